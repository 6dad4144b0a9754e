// The JSON that troupe-trace reads and writes: a parser for one flat object
// per line (the trace format) and helpers that append JSON text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace troupe_trace {

/// What a field's value is. `nested` is an object or array: the trace format
/// has none, so a known field holding one is the wrong type, and an unknown
/// field holding one is skipped (a newer recorder may add such fields).
enum class json_type : std::uint8_t { null, boolean, integer, number, string, nested };

/// Returns "null", "a boolean", "an integer", ... for error messages.
std::string_view describe(json_type t) noexcept;

/// One `"key": value` of a flat object. Views point into the parsed line.
struct json_field {
  std::string_view key;
  json_type type = json_type::null;
  /// string: the decoded contents; number, integer, nested: the literal text.
  std::string_view text;
  /// integer: its value when `fits`, which needs it to be non-negative and
  /// below 2^64.
  std::uint64_t value = 0;
  bool fits = false;
  bool truth = false;  ///< boolean: its value
};

/// Parses `line` as one JSON object into `out` (cleared first). Strings are
/// decoded in place, so `line` is modified and the views in `out` stay valid
/// until `line` changes. Returns an empty string on success, otherwise what
/// was wrong ("expected ':' after a key at column 12").
/// @par Thread Safety Any thread, on distinct arguments.
std::string parse_object(std::string& line, std::vector<json_field>& out);

/// Appends `s` to `out` as a quoted JSON string.
void append_json_string(std::string& out, std::string_view s);

/// Appends `ns` nanoseconds as microseconds with three decimals ("12.345"):
/// Chrome's trace-event timestamps, exact, with no floating point.
void append_micros(std::string& out, std::uint64_t ns);

}  // namespace troupe_trace
