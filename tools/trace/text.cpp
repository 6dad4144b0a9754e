#include "text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace troupe_trace {
namespace {

std::size_t display_width(const std::string& s) noexcept {
  // Counts every byte that does not continue a UTF-8 sequence.
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

std::string format_duration(std::uint64_t ns) {
  if (ns < 1000) return fmt::format("{}ns", ns);
  constexpr std::array<const char*, 3> units{"us", "ms", "s"};
  double v = static_cast<double>(ns) / 1000.0;
  std::size_t u = 0;
  // Rounding to three digits can carry into the next unit (999.96us is 1.00ms).
  while (u + 1 < units.size() && v >= 999.5) {
    v /= 1000.0;
    ++u;
  }
  if (v < 9.995) return fmt::format("{:.2f}{}", v, units[u]);
  if (v < 99.95) return fmt::format("{:.1f}{}", v, units[u]);
  return fmt::format("{:.0f}{}", v, units[u]);
}

std::string format_ms(std::int64_t ns) {
  const bool negative = ns < 0;
  const std::uint64_t a =
      negative ? 0 - static_cast<std::uint64_t>(ns) : static_cast<std::uint64_t>(ns);
  // Rounded to the nearest microsecond, in integers so that no value is off by one.
  const std::uint64_t us = (a + 500) / 1000;
  return fmt::format("{}{}.{:03}", negative && us != 0 ? "-" : "", us / 1000, us % 1000);
}

std::string one_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7f) {
      out += fmt::format("\\x{:02x}", u);
    } else {
      out += c;
    }
  }
  return out;
}

char32_t decode_utf8(std::string_view s, std::size_t& i) noexcept {
  const auto lead = static_cast<unsigned char>(s[i++]);
  if (lead < 0x80) return lead;
  // The lead byte gives the length; the smallest value of each length
  // rules out overlong forms.
  const int extra = (lead & 0xE0) == 0xC0   ? 1
                    : (lead & 0xF0) == 0xE0 ? 2
                    : (lead & 0xF8) == 0xF0 ? 3
                                            : 0;
  if (extra == 0) return 0xFFFD;
  constexpr char32_t least[] = {0, 0x80, 0x800, 0x10000};
  char32_t cp = lead & (0x7Fu >> (extra + 1));
  for (int k = 0; k < extra; ++k) {
    if (i >= s.size() || (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) return 0xFFFD;
    cp = (cp << 6) | (static_cast<unsigned char>(s[i++]) & 0x3Fu);
  }
  // Overlong forms, surrogates and values past U+10FFFF are not characters.
  if (cp < least[extra] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return 0xFFFD;
  return cp;
}

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t start = i;
    const char32_t c = decode_utf8(text, i);
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
          out += ' ';
        } else if (c == 0xFFFD || c == 0xFFFE || c == 0xFFFF) {
          out += "\xEF\xBF\xBD";
        } else {
          out.append(text.substr(start, i - start));
        }
    }
  }
  return out;
}

std::string count_of(std::uint64_t n, std::string_view singular, std::string_view plural) {
  return fmt::format("{} {}", n, n == 1 ? singular : plural);
}

void write_table(std::ostream& out, const std::vector<std::vector<std::string>>& rows,
                 const std::vector<bool>& right) {
  std::vector<std::size_t> width;
  for (const auto& row : rows) {
    if (width.size() < row.size()) width.resize(row.size(), 0);
    for (std::size_t c = 0; c < row.size(); ++c)
      width[c] = std::max(width[c], display_width(row[c]));
  }
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) {
      const std::size_t pad = width[c] - display_width(row[c]);
      const bool r = c < right.size() && right[c];
      if (c > 0) line += "  ";
      if (r) line.append(pad, ' ');
      line += row[c];
      if (!r && c + 1 < row.size()) line.append(pad, ' ');
    }
    out << line << '\n';
  }
}

}  // namespace troupe_trace
