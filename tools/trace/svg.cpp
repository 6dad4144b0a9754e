#include "svg.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <numeric>
#include <vector>

#include "text.hpp"

namespace troupe_trace {
namespace {

// Sizes in pixels. Coordinates are whole numbers, so that the output does
// not depend on how a platform prints floating point.
constexpr int font_size = 13;
constexpr int time_font_size = 11;
constexpr int line_height = 17;
constexpr int margin = 20;
constexpr int box_pad_x = 12;
constexpr int box_pad_y = 9;
constexpr int min_box_width = 96;
constexpr int box_gap = 32;     // between neighbouring boxes
constexpr int label_pad = 14;   // each side of an arrow's label
constexpr int loop_width = 32;  // a message an actor sends itself
constexpr int note_pad = 8;
constexpr int row_gap = 14;
constexpr int time_gap = 14;  // between the time labels and the diagram

constexpr std::string_view ink = "#333333";

// An estimate, in tenths of a pixel, of a character's advance at font_size
// in a common sans-serif font. No font is measured, so it errs on the wide
// side (DejaVu Sans, wider than Helvetica or Arial).
int char_width(char32_t c) {
  constexpr std::string_view narrow = " iljI.,:;'|!";
  constexpr std::string_view half = "tfr()[]{}\"/-`";
  constexpr std::string_view wide = "mwMW@%&#<>=+~";
  if (c < 0x80) {
    const char a = static_cast<char>(c);
    if (narrow.find(a) != std::string_view::npos) return 45;
    if (half.find(a) != std::string_view::npos) return 56;
    if (wide.find(a) != std::string_view::npos) return 125;
    return a >= 'A' && a <= 'Z' ? 100 : 84;
  }
  const bool east_asian = (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xD7A3) ||
                          (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF00 && c <= 0xFF60) ||
                          c >= 0x1F300;
  return east_asian ? 130 : 90;
}

int text_width(std::string_view line) {
  int tenths = 0;
  for (std::size_t i = 0; i < line.size();) tenths += char_width(decode_utf8(line, i));
  return (tenths + 9) / 10;
}

// A label's lines: an error message may hold newlines.
struct block {
  std::vector<std::string> lines;
  int width = 0;
  int height() const { return static_cast<int>(lines.size()) * line_height; }
};

block block_of(std::string_view text) {
  block b;
  std::string line;
  for (const char c : text) {
    if (c == '\n') {
      b.lines.push_back(std::move(line));
      line.clear();
    } else if (c != '\r') {
      line += c;
    }
  }
  b.lines.push_back(std::move(line));
  for (const std::string& l : b.lines) b.width = std::max(b.width, text_width(l));
  return b;
}

// Writes one <text> per line; `top` is the top of the first line.
void write_block(std::ostream& out, const block& b, int x, int top, std::string_view anchor) {
  for (std::size_t k = 0; k < b.lines.size(); ++k) {
    const int baseline = top + static_cast<int>(k + 1) * line_height - 4;
    out << fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"{}\">{}</text>\n", x, baseline,
                       anchor, xml_escape(b.lines[k]));
  }
}

std::string_view class_of(row_kind kind) {
  switch (kind) {
    case row_kind::ask:
      return "ask";
    case row_kind::tell:
      return "tell";
    case row_kind::reply:
      return "reply";
    case row_kind::cancel:
      return "cancel";
    case row_kind::note:
      break;
  }
  return "note";
}

// The stroke and head of each kind of arrow.
std::string arrow_style(row_kind kind) {
  std::string style = fmt::format("stroke=\"{}\" stroke-width=\"1.5\" fill=\"none\"", ink);
  if (kind == row_kind::reply) style += " stroke-dasharray=\"6,4\"";
  const std::string_view head = kind == row_kind::tell     ? "open"
                                : kind == row_kind::cancel ? "cross"
                                                           : "filled";
  return style + fmt::format(" marker-end=\"url(#{})\"", head);
}

class layout {
 public:
  explicit layout(const sequence& seq) : seq_(seq) {
    for (const std::string& p : seq.participants) {
      boxes_.push_back(block_of(p));
      box_height_ = std::max(box_height_, boxes_.back().height() + 2 * box_pad_y);
    }
    for (const sequence_row& row : seq.rows) labels_.push_back(block_of(row.text));
    place_columns();
    const std::uint64_t t0 = seq.rows.empty() ? 0 : seq.rows.front().t;
    int time_width = text_width("ms");
    for (const sequence_row& row : seq.rows) {
      times_.push_back(format_ms(static_cast<std::int64_t>(row.t - t0)));
      time_width = std::max(time_width, text_width(times_.back()));
    }
    time_right_ = margin + time_width * time_font_size / font_size;
    const int shift = time_right_ + time_gap - left_;
    for (int& x : x_) x += shift;
    width_ = right_ + shift + margin;
    height_ = margin + box_height_ + row_gap;
    for (std::size_t r = 0; r < seq.rows.size(); ++r) height_ += row_height(r);
    height_ += margin;
  }

  void write(std::string_view title, std::ostream& out) const {
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
           "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" "
           "\"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n";
    out << fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{0}\" "
        "height=\"{1}\" viewBox=\"0 0 {0} {1}\" font-family=\"Helvetica, Arial, sans-serif\" "
        "font-size=\"{2}\">\n",
        width_, height_, font_size);
    out << "<title>" << xml_escape(title) << "</title>\n";
    out << "<defs>\n";
    const std::string_view marker =
        "<marker id=\"{}\" viewBox=\"0 0 12 12\" markerWidth=\"12\" markerHeight=\"12\" "
        "refX=\"{}\" refY=\"6\" orient=\"auto\" markerUnits=\"userSpaceOnUse\">";
    out << fmt::format(fmt::runtime(marker), "filled", 11)
        << fmt::format("<path d=\"M1,1 L11,6 L1,11 z\" fill=\"{}\"/></marker>\n", ink);
    out << fmt::format(fmt::runtime(marker), "open", 11)
        << fmt::format(
               "<path d=\"M1,1 L11,6 L1,11\" fill=\"none\" stroke=\"{}\" "
               "stroke-width=\"1.5\"/></marker>\n",
               ink);
    out << fmt::format(fmt::runtime(marker), "cross", 6)
        << fmt::format(
               "<path d=\"M2,2 L10,10 M2,10 L10,2\" stroke=\"{}\" stroke-width=\"2\"/>"
               "</marker>\n",
               ink);
    out << "</defs>\n";
    out << fmt::format("<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>\n",
                       width_, height_);
    write_participants(out);
    write_rows(out);
    out << "</svg>\n";
  }

 private:
  int row_height(std::size_t r) const {
    const sequence_row& row = seq_.rows[r];
    const int text = labels_[r].height();
    if (row.kind == row_kind::note) return text + 2 * note_pad + row_gap;
    if (row.from == row.to) return 4 + std::max(18, text) + row_gap;
    return text + 4 + row_gap;
  }

  // Centres every column so that boxes do not touch and each arrow's label
  // fits between the lifelines it joins; records the horizontal extent.
  void place_columns() {
    const std::size_t n = boxes_.size();
    std::vector<int> width(n);
    for (std::size_t i = 0; i < n; ++i)
      width[i] = std::max(min_box_width, boxes_[i].width + 2 * box_pad_x);
    std::vector<int> gap(n == 0 ? 0 : n - 1);
    for (std::size_t i = 0; i + 1 < n; ++i) gap[i] = (width[i] + width[i + 1]) / 2 + box_gap;
    // Narrow spans first, so that a wide span only widens what is still short.
    std::vector<std::size_t> order(seq_.rows.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    auto span = [&](std::size_t r) {
      const sequence_row& row = seq_.rows[r];
      return row.kind == row_kind::note ? 0
                                        : std::max(row.from, row.to) - std::min(row.from, row.to);
    };
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return span(a) < span(b); });
    extra_right_ = 0;
    for (const std::size_t r : order) {
      const sequence_row& row = seq_.rows[r];
      if (row.kind == row_kind::note) continue;
      const int label = labels_[r].width + 2 * label_pad;
      if (row.from == row.to) {
        const int need = loop_width + label;
        if (row.from + 1 < n) {
          gap[row.from] = std::max(gap[row.from], need);
        } else {
          extra_right_ = std::max(extra_right_, need);
        }
        continue;
      }
      const std::size_t a = std::min(row.from, row.to);
      const std::size_t b = std::max(row.from, row.to);
      const int have = std::accumulate(gap.begin() + static_cast<std::ptrdiff_t>(a),
                                       gap.begin() + static_cast<std::ptrdiff_t>(b), 0);
      if (have >= label) continue;
      const int short_by = label - have;
      const int k = static_cast<int>(b - a);
      for (std::size_t i = a; i < b; ++i)
        gap[i] += short_by / k + (static_cast<int>(b - i) <= short_by % k ? 1 : 0);
    }
    x_.assign(n, 0);
    for (std::size_t i = 1; i < n; ++i) x_[i] = x_[i - 1] + gap[i - 1];
    left_ = 0;
    right_ = 0;
    for (std::size_t i = 0; i < n; ++i) {
      left_ = std::min(left_, x_[i] - width[i] / 2);
      right_ = std::max(right_, x_[i] + width[i] - width[i] / 2);
    }
    if (n != 0) right_ = std::max(right_, x_.back() + extra_right_);
    for (std::size_t r = 0; r < seq_.rows.size(); ++r) {
      if (seq_.rows[r].kind != row_kind::note) continue;
      const int w = labels_[r].width + 2 * note_pad;
      left_ = std::min(left_, x_[seq_.rows[r].from] - w / 2);
      right_ = std::max(right_, x_[seq_.rows[r].from] + w - w / 2);
    }
    box_width_ = std::move(width);
  }

  void write_participants(std::ostream& out) const {
    out << fmt::format(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"{}\" "
        "fill=\"#777777\">ms</text>\n",
        time_right_, margin + box_height_ - 4, time_font_size);
    for (std::size_t i = 0; i < boxes_.size(); ++i) {
      const int w = box_width_[i];
      out << "<g class=\"participant\">\n";
      out << fmt::format(
          "<line class=\"lifeline\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" "
          "stroke=\"#999999\" stroke-width=\"1\"/>\n",
          x_[i], margin + box_height_, height_ - margin);
      out << fmt::format(
          "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"#eef2fb\" "
          "stroke=\"#4a5f8a\" stroke-width=\"1.5\"/>\n",
          x_[i] - w / 2, margin, w, box_height_);
      write_block(out, boxes_[i], x_[i], margin + (box_height_ - boxes_[i].height()) / 2, "middle");
      out << "</g>\n";
    }
  }

  void write_rows(std::ostream& out) const {
    int y = margin + box_height_ + row_gap;
    const std::string* last_time = nullptr;
    for (std::size_t r = 0; r < seq_.rows.size(); ++r) {
      const sequence_row& row = seq_.rows[r];
      const block& label = labels_[r];
      const int x = x_[row.from];
      int mid = 0;  // where the row's time is written
      if (row.kind == row_kind::note) {
        const int w = label.width + 2 * note_pad;
        const int h = label.height() + 2 * note_pad;
        out << "<g class=\"note\">\n";
        out << fmt::format(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#fff5c2\" "
            "stroke=\"#c8b560\" stroke-width=\"1\"/>\n",
            x - w / 2, y, w, h);
        write_block(out, label, x, y + note_pad, "middle");
        mid = y + h / 2;
      } else if (row.from == row.to) {
        const int bottom = y + 4 + std::max(18, label.height());
        out << fmt::format("<g class=\"message {}\">\n", class_of(row.kind));
        out << fmt::format("<path d=\"M{0},{1} H{2} V{3} H{0}\" {4}/>\n", x, y + 4, x + loop_width,
                           bottom, arrow_style(row.kind));
        write_block(out, label, x + loop_width + label_pad, y + 4, "start");
        mid = y + 4;
      } else {
        const int arrow_y = y + label.height() + 4;
        out << fmt::format("<g class=\"message {}\">\n", class_of(row.kind));
        out << fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" {}/>\n", x, arrow_y,
                           x_[row.to], arrow_y, arrow_style(row.kind));
        write_block(out, label, (x + x_[row.to]) / 2, y, "middle");
        mid = arrow_y;
      }
      out << "</g>\n";
      // A time is written once, at the first row that has it.
      if (!last_time || *last_time != times_[r]) {
        out << fmt::format(
            "<text class=\"time\" x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"{}\" "
            "fill=\"#777777\">{}</text>\n",
            time_right_, mid + 4, time_font_size, times_[r]);
        last_time = &times_[r];
      }
      y += row_height(r);
    }
  }

  const sequence& seq_;
  std::vector<block> boxes_;
  std::vector<block> labels_;
  std::vector<std::string> times_;
  std::vector<int> box_width_;
  std::vector<int> x_;
  int box_height_ = 0;
  int extra_right_ = 0;
  int left_ = 0;
  int right_ = 0;
  int time_right_ = 0;
  int width_ = 0;
  int height_ = 0;
};

}  // namespace

void draw_svg(const sequence& seq, std::string_view title, std::ostream& out) {
  layout(seq).write(title, out);
}

command_result write_svg(const source& src, const flow_filter& filter, std::ostream& out) {
  sequence seq;
  const command_result result = select_sequence(src, filter, seq);
  if (!result.matched) return result;
  const std::string name = std::filesystem::path(src.name).filename().string();
  draw_svg(seq, fmt::format("Messages in {}", name.empty() ? src.name : name), out);
  return result;
}

}  // namespace troupe_trace
