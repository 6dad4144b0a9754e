// `troupe-trace flow`: a Mermaid sequence diagram of the messages in a trace.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "reader.hpp"
#include "sequence.hpp"

namespace troupe_trace {

/// Writes a Mermaid `sequenceDiagram` of the selected messages: asks `->>`,
/// tells `-)`, replies `-->>`, cancels `-x`, failures, timeouts, dead letters
/// and stops as notes (the rows of select_sequence). Reads the trace twice.
/// Throws trace_error on malformed input.
command_result write_flow(const source& src, const flow_filter& filter, std::ostream& out);

/// Escapes `text` for a Mermaid sequence-diagram label or participant name:
/// the characters Mermaid's lexer treats specially become entity codes
/// ("#" is "#35;", ";" is "#59;", ":" is "#58;", ...), a newline becomes
/// `<br/>`, and other control characters a space.
std::string mermaid_escape(std::string_view text);

}  // namespace troupe_trace
