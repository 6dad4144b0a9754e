// `troupe-trace flow`: a Mermaid sequence diagram of the messages in a trace.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "reader.hpp"

namespace troupe_trace {

/// Which messages `flow` draws.
struct flow_filter {
  /// Only this request or task and everything it caused (via `parent`).
  std::optional<std::uint64_t> request;
  /// Only messages to or from this actor: a type ("counter") or one actor
  /// ("counter#17").
  std::optional<std::string> actor;
};

/// Writes a Mermaid `sequenceDiagram` of the selected messages: asks `->>`,
/// tells `-)`, replies `-->>`, cancels `-x`, failures, timeouts, dead letters
/// and stops as notes. Reads the trace twice. Throws trace_error on
/// malformed input.
command_result write_flow(const source& src, const flow_filter& filter, std::ostream& out);

/// Escapes `text` for a Mermaid sequence-diagram label or participant name:
/// the characters Mermaid's lexer treats specially become entity codes
/// ("#" is "#35;", ";" is "#59;", ":" is "#58;", ...), a newline becomes
/// `<br/>`, and other control characters a space.
std::string mermaid_escape(std::string_view text);

}  // namespace troupe_trace
