#include "json.hpp"

#include <fmt/format.h>

namespace troupe_trace {
namespace {

// Nested values are only skipped, but a hostile line should not blow the stack.
constexpr int max_nesting = 64;

class object_parser {
 public:
  explicit object_parser(std::string& line) : s_(line) {}

  std::string parse(std::vector<json_field>& out) {
    skip_space();
    if (at_end()) return "not a JSON object (the line is blank)";
    if (s_[pos_] != '{') return fmt::format("not a JSON object (starts with {})", shown(pos_));
    ++pos_;
    skip_space();
    if (peek() == '}') {
      ++pos_;
      return finish();
    }
    for (;;) {
      skip_space();
      json_field f;
      if (peek() != '"') return expected("a string key");
      if (auto e = string_value(f.key); !e.empty()) return e;
      skip_space();
      if (peek() != ':') return expected("':' after a key");
      ++pos_;
      skip_space();
      if (auto e = value(f); !e.empty()) return e;
      out.push_back(f);
      skip_space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() == '}') {
        ++pos_;
        return finish();
      }
      return expected("',' or '}'");
    }
  }

 private:
  bool at_end() const noexcept { return pos_ >= s_.size(); }
  char peek() const noexcept { return at_end() ? '\0' : s_[pos_]; }

  void skip_space() noexcept {
    while (!at_end() &&
           (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\r' || s_[pos_] == '\n'))
      ++pos_;
  }

  std::string shown(std::size_t at) const {
    if (at >= s_.size()) return "end of line";
    const auto c = static_cast<unsigned char>(s_[at]);
    if (c < 0x20 || c >= 0x7f) return fmt::format("byte 0x{:02x}", c);
    return fmt::format("'{}'", s_[at]);
  }

  std::string expected(std::string_view what) const {
    return fmt::format("bad JSON: expected {} at column {}, found {}", what, pos_ + 1, shown(pos_));
  }

  std::string finish() {
    skip_space();
    if (!at_end())
      return fmt::format("bad JSON: unexpected {} at column {} after the object", shown(pos_),
                         pos_ + 1);
    return {};
  }

  std::string value(json_field& f) {
    const char c = peek();
    if (c == '"') {
      f.type = json_type::string;
      return string_value(f.text);
    }
    if (c == '-' || (c >= '0' && c <= '9')) return number(f);
    if (c == '{' || c == '[') {
      const std::size_t begin = pos_;
      f.type = json_type::nested;
      if (auto e = skip_nested(0); !e.empty()) return e;
      f.text = std::string_view(s_).substr(begin, pos_ - begin);
      return {};
    }
    if (literal("true")) {
      f.type = json_type::boolean;
      f.truth = true;
      return {};
    }
    if (literal("false")) {
      f.type = json_type::boolean;
      return {};
    }
    if (literal("null")) {
      f.type = json_type::null;
      return {};
    }
    return expected("a value");
  }

  bool literal(std::string_view word) noexcept {
    if (std::string_view(s_).substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  static bool digit(char c) noexcept { return c >= '0' && c <= '9'; }

  std::string number(json_field& f) {
    const std::size_t begin = pos_;
    bool negative = false;
    if (peek() == '-') {
      negative = true;
      ++pos_;
    }
    if (!digit(peek())) return expected("a digit");
    std::uint64_t v = 0;
    bool fits = !negative;
    if (peek() == '0') {
      ++pos_;
      if (digit(peek())) return expected("no leading zero");
    } else {
      while (digit(peek())) {
        const auto d = static_cast<std::uint64_t>(s_[pos_] - '0');
        if (v > (UINT64_MAX - d) / 10) fits = false;
        v = v * 10 + d;
        ++pos_;
      }
    }
    bool integral = true;
    if (peek() == '.') {
      integral = false;
      ++pos_;
      if (!digit(peek())) return expected("a digit after '.'");
      while (digit(peek())) ++pos_;
    }
    if (peek() == 'e' || peek() == 'E') {
      integral = false;
      ++pos_;
      if (peek() == '+' || peek() == '-') ++pos_;
      if (!digit(peek())) return expected("a digit in the exponent");
      while (digit(peek())) ++pos_;
    }
    f.type = integral ? json_type::integer : json_type::number;
    f.text = std::string_view(s_).substr(begin, pos_ - begin);
    f.fits = integral && fits;
    f.value = f.fits ? v : 0;
    return {};
  }

  static int hex(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  // Reads the four hex digits of a \u escape at pos_; -1 if they are not hex.
  long hex4() noexcept {
    if (pos_ + 4 > s_.size()) return -1;
    long v = 0;
    for (int i = 0; i < 4; ++i) {
      const int h = hex(s_[pos_ + static_cast<std::size_t>(i)]);
      if (h < 0) return -1;
      v = v * 16 + h;
    }
    pos_ += 4;
    return v;
  }

  // Writes code point `cp` as UTF-8 at `w`. Never longer than the escape it
  // came from, so decoding in place cannot overtake the reader.
  void put_utf8(std::size_t& w, unsigned long cp) noexcept {
    auto put = [&](unsigned long b) { s_[w++] = static_cast<char>(static_cast<unsigned char>(b)); };
    if (cp < 0x80) {
      put(cp);
    } else if (cp < 0x800) {
      put(0xC0 | (cp >> 6));
      put(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      put(0xE0 | (cp >> 12));
      put(0x80 | ((cp >> 6) & 0x3F));
      put(0x80 | (cp & 0x3F));
    } else {
      put(0xF0 | (cp >> 18));
      put(0x80 | ((cp >> 12) & 0x3F));
      put(0x80 | ((cp >> 6) & 0x3F));
      put(0x80 | (cp & 0x3F));
    }
  }

  // Parses the string at pos_ (which is '"'), decoding it in place.
  std::string string_value(std::string_view& out) {
    ++pos_;
    const std::size_t begin = pos_;
    std::size_t w = pos_;
    for (;;) {
      if (at_end()) return "bad JSON: unterminated string";
      const char c = s_[pos_];
      if (c == '"') {
        ++pos_;
        out = std::string_view(s_).substr(begin, w - begin);
        return {};
      }
      if (static_cast<unsigned char>(c) < 0x20)
        return fmt::format(
            "bad JSON: raw control character (byte 0x{:02x}) in a string at column {}",
            static_cast<unsigned char>(c), pos_ + 1);
      if (c != '\\') {
        s_[w++] = c;
        ++pos_;
        continue;
      }
      const std::size_t escape_at = pos_;
      ++pos_;
      const char e = peek();
      ++pos_;
      switch (e) {
        case '"':
          s_[w++] = '"';
          break;
        case '\\':
          s_[w++] = '\\';
          break;
        case '/':
          s_[w++] = '/';
          break;
        case 'b':
          s_[w++] = '\b';
          break;
        case 'f':
          s_[w++] = '\f';
          break;
        case 'n':
          s_[w++] = '\n';
          break;
        case 'r':
          s_[w++] = '\r';
          break;
        case 't':
          s_[w++] = '\t';
          break;
        case 'u': {
          long cp = hex4();
          if (cp < 0)
            return fmt::format("bad JSON: \\u needs four hex digits at column {}", escape_at + 1);
          if (cp >= 0xD800 && cp <= 0xDBFF && peek() == '\\' && pos_ + 1 < s_.size() &&
              s_[pos_ + 1] == 'u') {
            const std::size_t back = pos_;
            pos_ += 2;
            const long low = hex4();
            if (low >= 0xDC00 && low <= 0xDFFF) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            } else {
              pos_ = back;  // not a pair: the next escape is read on its own
            }
          }
          if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;  // a lone surrogate
          put_utf8(w, static_cast<unsigned long>(cp));
          break;
        }
        default:
          return fmt::format("bad JSON: unknown escape '\\{}' at column {}", e == '\0' ? ' ' : e,
                             escape_at + 1);
      }
    }
  }

  std::string skip_nested(int depth) {
    if (depth >= max_nesting) return "bad JSON: values nested too deeply";
    const char close = peek() == '{' ? '}' : ']';
    const bool object = close == '}';
    ++pos_;
    skip_space();
    if (peek() == close) {
      ++pos_;
      return {};
    }
    for (;;) {
      skip_space();
      if (object) {
        std::string_view ignored;
        if (peek() != '"') return expected("a string key");
        if (auto e = string_value(ignored); !e.empty()) return e;
        skip_space();
        if (peek() != ':') return expected("':' after a key");
        ++pos_;
        skip_space();
      }
      if (peek() == '{' || peek() == '[') {
        if (auto e = skip_nested(depth + 1); !e.empty()) return e;
      } else {
        json_field ignored;
        if (auto e = value(ignored); !e.empty()) return e;
      }
      skip_space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() == close) {
        ++pos_;
        return {};
      }
      return expected(object ? "',' or '}'" : "',' or ']'");
    }
  }

  std::string& s_;
  std::size_t pos_ = 0;
};

}  // namespace

std::string_view describe(json_type t) noexcept {
  switch (t) {
    case json_type::null:
      return "null";
    case json_type::boolean:
      return "a boolean";
    case json_type::integer:
      return "an integer";
    case json_type::number:
      return "a number";
    case json_type::string:
      return "a string";
    case json_type::nested:
      return "an object or array";
  }
  return "a value";
}

std::string parse_object(std::string& line, std::vector<json_field>& out) {
  out.clear();
  return object_parser(line).parse(out);
}

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (const char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<unsigned char>(c));
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void append_micros(std::string& out, std::uint64_t ns) {
  fmt::format_to(std::back_inserter(out), "{}.{:03}", ns / 1000, ns % 1000);
}

}  // namespace troupe_trace
