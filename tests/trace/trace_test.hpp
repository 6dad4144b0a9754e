// Helpers for the troupe-trace suites: fixture paths and traces held in
// memory or read from a fixture file.
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "reader.hpp"

namespace trace_test {

/// The path of tests/trace/fixtures/<name>.
inline std::string fixture(std::string_view name) {
  return std::string(TROUPE_TRACE_FIXTURES) + "/" + std::string(name);
}

/// A trace given as text, named "mem.jsonl" in messages.
class text_trace {
 public:
  explicit text_trace(std::string text, bool lenient = false)
      : in_(std::move(text)), src_{in_, "mem.jsonl", lenient} {}
  const troupe_trace::source& source() const { return src_; }

 private:
  std::istringstream in_;
  troupe_trace::source src_;
};

/// A fixture file, named by its file name in messages.
class file_trace {
 public:
  explicit file_trace(std::string_view name, bool lenient = false)
      : in_(fixture(name), std::ios::binary), src_{in_, std::string(name), lenient} {
    if (!in_) throw std::runtime_error("cannot open fixture " + fixture(name));
  }
  const troupe_trace::source& source() const { return src_; }

 private:
  std::ifstream in_;
  troupe_trace::source src_;
};

}  // namespace trace_test
