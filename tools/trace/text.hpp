// Small text helpers shared by the commands: durations, aligned tables,
// UTF-8 and XML escaping.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace troupe_trace {

/// `ns` with three significant digits and a unit: "850ns", "12.3us",
/// "1.50ms", "2.00s".
std::string format_duration(std::uint64_t ns);

/// `ns` as milliseconds with three decimals ("2.006"), signed when negative.
std::string format_ms(std::int64_t ns);

/// `text` on one line: newlines and other control characters are shown as
/// escapes ("\n", "\x07"), so that a message from a trace cannot break a
/// table or a tree.
std::string one_line(std::string_view text);

/// Decodes the UTF-8 sequence at `s[i]` (i < s.size()) and moves `i` past
/// it. A malformed sequence (cut short, overlong, a surrogate, past
/// U+10FFFF) is U+FFFD and consumes only the bytes that belonged to it.
char32_t decode_utf8(std::string_view s, std::size_t& i) noexcept;

/// Escapes `text` for XML character data or an attribute value: `&` `<` `>`
/// `"` `'` become entity references, control characters a space, and bytes
/// that are not UTF-8 (or code points XML does not allow) U+FFFD.
std::string xml_escape(std::string_view text);

/// "1 ask", "2 asks".
std::string count_of(std::uint64_t n, std::string_view singular, std::string_view plural);

/// Writes rows as columns separated by two spaces. The first row is the
/// header; columns listed in `right` are right-aligned. Widths count UTF-8
/// code points, not bytes.
void write_table(std::ostream& out, const std::vector<std::vector<std::string>>& rows,
                 const std::vector<bool>& right);

}  // namespace troupe_trace
