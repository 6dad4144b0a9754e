// A small, strict JSON parser for tests: reads troupe-trace's Chrome output
// back into a tree so that tests can check it field by field.
#pragma once

#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace trace_test {

struct json_value {
  enum class kind { null, boolean, number, string, array, object };
  kind k = kind::null;
  bool truth = false;
  double number = 0;
  std::string text;
  std::vector<json_value> items;
  std::vector<std::pair<std::string, json_value>> members;

  const json_value* find(std::string_view key) const {
    for (const auto& [name, value] : members)
      if (name == key) return &value;
    return nullptr;
  }
  const json_value& at(std::string_view key) const {
    if (const json_value* v = find(key)) return *v;
    throw std::runtime_error("no member \"" + std::string(key) + "\"");
  }
};

class json_parser {
 public:
  explicit json_parser(std::string_view s) : s_(s) {}

  json_value document() {
    json_value v = value();
    space();
    if (i_ != s_.size()) fail("trailing text");
    return v;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error("JSON: " + what + " at offset " + std::to_string(i_));
  }
  void space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t'))
      ++i_;
  }
  char peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  void expect(char c) {
    space();
    if (peek() != c) fail(std::string("expected '") + c + "'");
    ++i_;
  }

  json_value value() {
    space();
    json_value v;
    const char c = peek();
    if (c == '{') {
      v.k = json_value::kind::object;
      ++i_;
      space();
      if (peek() == '}') return ++i_, v;
      for (;;) {
        space();
        std::string key = string();
        expect(':');
        v.members.emplace_back(std::move(key), value());
        space();
        if (peek() == ',') {
          ++i_;
          continue;
        }
        expect('}');
        return v;
      }
    }
    if (c == '[') {
      v.k = json_value::kind::array;
      ++i_;
      space();
      if (peek() == ']') return ++i_, v;
      for (;;) {
        v.items.push_back(value());
        space();
        if (peek() == ',') {
          ++i_;
          continue;
        }
        expect(']');
        return v;
      }
    }
    if (c == '"') {
      v.k = json_value::kind::string;
      v.text = string();
      return v;
    }
    for (const auto& [word, k, truth] : {std::tuple{"true", json_value::kind::boolean, true},
                                         std::tuple{"false", json_value::kind::boolean, false},
                                         std::tuple{"null", json_value::kind::null, false}}) {
      if (s_.substr(i_, std::string_view(word).size()) == word) {
        i_ += std::string_view(word).size();
        v.k = k;
        v.truth = truth;
        return v;
      }
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      const std::size_t begin = i_;
      while (i_ < s_.size() &&
             std::string_view("+-.eE0123456789").find(s_[i_]) != std::string_view::npos)
        ++i_;
      const std::string literal(s_.substr(begin, i_ - begin));
      char* end = nullptr;
      v.number = std::strtod(literal.c_str(), &end);
      if (end != literal.c_str() + literal.size()) fail("bad number " + literal);
      v.k = json_value::kind::number;
      return v;
    }
    fail("expected a value");
  }

  std::string string() {
    if (peek() != '"') fail("expected a string");
    ++i_;
    std::string out;
    for (;;) {
      if (i_ >= s_.size()) fail("unterminated string");
      const char c = s_[i_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) fail("control character in a string");
      if (c != '\\') {
        out += c;
        continue;
      }
      const char e = peek();
      ++i_;
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'u': {
          const std::string hex(s_.substr(i_, 4));
          i_ += 4;
          const long cp = std::strtol(hex.c_str(), nullptr, 16);
          if (cp >= 0x80) fail("tests only expect ASCII \\u escapes");
          out += static_cast<char>(cp);
          break;
        }
        default:
          fail("bad escape");
      }
    }
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

inline json_value parse_json(std::string_view text) { return json_parser(text).document(); }

}  // namespace trace_test
