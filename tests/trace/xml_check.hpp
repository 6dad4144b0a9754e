// A small XML 1.0 well-formedness checker for the troupe-trace suites: it
// accepts what `troupe-trace svg` needs (declaration, doctype without an
// internal subset, elements, attributes, character and entity references,
// comments, CDATA) and throws on anything malformed, with the byte offset.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace trace_test {

struct xml_element {
  std::string name;
  std::map<std::string, std::string> attributes;  ///< values decoded
  std::string text;                               ///< character data directly inside, decoded
  std::size_t parent = npos;                      ///< index in the document, npos for the root
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
};

class xml_checker {
 public:
  /// Every element of `doc` in document order; throws std::runtime_error if
  /// `doc` is not well-formed.
  static std::vector<xml_element> parse(std::string_view doc) {
    xml_checker c(doc);
    c.check_characters();
    if (c.starts("<?xml")) c.skip_past("?>");
    c.misc(true);
    if (!c.starts("<")) c.fail("no root element");
    c.element(xml_element::npos);
    c.misc(false);
    if (c.pos_ != doc.size()) c.fail("content after the root element");
    return std::move(c.elements_);
  }

 private:
  explicit xml_checker(std::string_view doc) : doc_(doc) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error("not well-formed XML at byte " + std::to_string(pos_) + ": " + what);
  }
  bool starts(std::string_view s) const { return doc_.substr(pos_, s.size()) == s; }
  void skip_past(std::string_view end) {
    const std::size_t at = doc_.find(end, pos_);
    if (at == std::string_view::npos) fail("unterminated, expected " + std::string(end));
    pos_ = at + end.size();
  }
  void spaces() {
    while (pos_ < doc_.size() &&
           std::string_view(" \t\r\n").find(doc_[pos_]) != std::string_view::npos)
      ++pos_;
  }

  // The whole document is UTF-8 and holds only characters XML allows.
  void check_characters() {
    for (std::size_t i = 0; i < doc_.size();) {
      const auto b = static_cast<unsigned char>(doc_[i]);
      const int n = b < 0x80             ? 0
                    : (b & 0xE0) == 0xC0 ? 1
                    : (b & 0xF0) == 0xE0 ? 2
                    : (b & 0xF8) == 0xF0 ? 3
                                         : -1;
      pos_ = i;
      if (n < 0) fail("not UTF-8");
      std::uint32_t cp = n == 0 ? b : b & (0x7Fu >> (n + 1));
      for (int k = 1; k <= n; ++k) {
        if (i + k >= doc_.size() || (static_cast<unsigned char>(doc_[i + k]) & 0xC0) != 0x80)
          fail("not UTF-8");
        cp = (cp << 6) | (static_cast<unsigned char>(doc_[i + k]) & 0x3Fu);
      }
      constexpr std::uint32_t least[] = {0, 0x80, 0x800, 0x10000};
      if (cp < least[n]) fail("overlong UTF-8");
      if (!allowed(cp)) fail("a character XML does not allow");
      i += static_cast<std::size_t>(n) + 1;
    }
    pos_ = 0;
  }
  static bool allowed(std::uint32_t cp) {
    return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
           (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
  }

  // Whitespace, comments and processing instructions; a doctype if allowed.
  void misc(bool doctype) {
    for (;;) {
      spaces();
      if (starts("<!--")) {
        skip_past("-->");
      } else if (starts("<?")) {
        skip_past("?>");
      } else if (doctype && starts("<!DOCTYPE")) {
        const std::size_t end = doc_.find('>', pos_);
        if (end == std::string_view::npos ||
            doc_.substr(pos_, end - pos_).find('[') != std::string_view::npos)
          fail("unsupported doctype");
        pos_ = end + 1;
        doctype = false;
      } else {
        return;
      }
    }
  }

  std::string name() {
    const std::size_t start = pos_;
    auto first = [](char c) {
      return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == ':';
    };
    auto rest = [&](char c) { return first(c) || (c >= '0' && c <= '9') || c == '-' || c == '.'; };
    if (pos_ >= doc_.size() || !first(doc_[pos_])) fail("expected a name");
    while (pos_ < doc_.size() && rest(doc_[pos_])) ++pos_;
    return std::string(doc_.substr(start, pos_ - start));
  }

  static void append_utf8(std::string& into, std::uint32_t cp) {
    auto put = [&](std::uint32_t v) { into += static_cast<char>(v); };
    if (cp < 0x80) {
      put(cp);
    } else if (cp < 0x800) {
      put(0xC0 | (cp >> 6)), put(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      put(0xE0 | (cp >> 12)), put(0x80 | ((cp >> 6) & 0x3F)), put(0x80 | (cp & 0x3F));
    } else {
      put(0xF0 | (cp >> 18)), put(0x80 | ((cp >> 12) & 0x3F)), put(0x80 | ((cp >> 6) & 0x3F));
      put(0x80 | (cp & 0x3F));
    }
  }

  // At '&': appends the character the reference stands for.
  void reference(std::string& into) {
    const std::size_t end = doc_.find(';', pos_);
    if (end == std::string_view::npos || end - pos_ > 12) fail("bad reference");
    const std::string_view ref = doc_.substr(pos_ + 1, end - pos_ - 1);
    static const std::map<std::string_view, char> named{
        {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}};
    if (auto it = named.find(ref); it != named.end()) {
      into += it->second;
    } else if (ref.size() > 1 && ref[0] == '#') {
      const bool hex = ref[1] == 'x';
      const std::string digits(ref.substr(hex ? 2 : 1));
      if (digits.empty() || digits.find_first_not_of(hex ? "0123456789abcdefABCDEF"
                                                         : "0123456789") != std::string::npos)
        fail("bad character reference");
      const unsigned long cp = std::stoul(digits, nullptr, hex ? 16 : 10);
      if (!allowed(static_cast<std::uint32_t>(cp)))
        fail("reference to a character XML does not allow");
      append_utf8(into, static_cast<std::uint32_t>(cp));
    } else {
      fail("unknown entity &" + std::string(ref) + ";");
    }
    pos_ = end + 1;
  }

  void element(std::size_t parent) {
    ++pos_;  // '<'
    const std::size_t self = elements_.size();
    elements_.push_back({name(), {}, {}, parent});
    for (;;) {
      const std::size_t before = pos_;
      spaces();
      if (starts("/>")) {
        pos_ += 2;
        return;
      }
      if (starts(">")) {
        ++pos_;
        break;
      }
      if (pos_ == before) fail("expected whitespace before an attribute");
      const std::string key = name();
      spaces();
      if (!starts("=")) fail("expected = after " + key);
      ++pos_;
      spaces();
      if (pos_ >= doc_.size() || (doc_[pos_] != '"' && doc_[pos_] != '\''))
        fail("unquoted attribute");
      const char quote = doc_[pos_++];
      std::string value;
      while (pos_ < doc_.size() && doc_[pos_] != quote) {
        if (doc_[pos_] == '<') fail("< in an attribute value");
        if (doc_[pos_] == '&') {
          reference(value);
        } else {
          value += doc_[pos_++];
        }
      }
      if (pos_ >= doc_.size()) fail("unterminated attribute");
      ++pos_;
      if (!elements_[self].attributes.emplace(key, value).second)
        fail("duplicate attribute " + key);
    }
    content(self);
  }

  void content(std::size_t self) {
    for (;;) {
      if (pos_ >= doc_.size()) fail("unclosed <" + elements_[self].name + ">");
      if (starts("</")) {
        pos_ += 2;
        const std::string closing = name();
        if (closing != elements_[self].name)
          fail("</" + closing + "> closes <" + elements_[self].name + ">");
        spaces();
        if (!starts(">")) fail("expected >");
        ++pos_;
        return;
      }
      if (starts("<!--")) {
        skip_past("-->");
      } else if (starts("<![CDATA[")) {
        const std::size_t start = pos_ + 9;
        skip_past("]]>");
        elements_[self].text += doc_.substr(start, pos_ - 3 - start);
      } else if (starts("<?")) {
        skip_past("?>");
      } else if (starts("<")) {
        element(self);
      } else if (starts("&")) {
        reference(elements_[self].text);
      } else {
        if (starts("]]>")) fail("]]> in character data");
        elements_[self].text += doc_[pos_++];
      }
    }
  }

  std::string_view doc_;
  std::size_t pos_ = 0;
  std::vector<xml_element> elements_;
};

}  // namespace trace_test
