// `troupe-trace follow ID`: the causal tree of one request or task.
#pragma once

#include <cstdint>
#include <ostream>

#include "reader.hpp"

namespace troupe_trace {

/// Writes the tree of request or task `id` and everything it caused, one
/// line per message or task: time since the root was sent (ms), kind and id,
/// sender → receiver and handler, mailbox wait and handling time, outcome.
/// Reads the trace twice. Unmatched when no send or task has this id.
/// Throws trace_error on malformed input.
command_result write_follow(const source& src, std::uint64_t id, std::ostream& out);

}  // namespace troupe_trace
