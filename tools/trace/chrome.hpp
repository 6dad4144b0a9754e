// `troupe-trace chrome`: Chrome trace-event JSON, for the Perfetto UI
// (ui.perfetto.dev) or chrome://tracing.
#pragma once

#include <ostream>

#include "reader.hpp"

namespace troupe_trace {

/// Writes `{"traceEvents":[...],"displayTimeUnit":"ns"}`: one thread per
/// reactor ("reactor 0", ...), a complete slice (`X`) per handler run, a
/// flow arrow (`s` at the send, `f` binding to the handler's slice) per
/// request, a counter (`C`) of each actor's mailbox depth, instants for
/// replies, cancels, timeouts, failures, dead letters, spawns and stops, and
/// an async slice per task. Streams: memory grows only with the handlers
/// running and tasks alive at once. Throws trace_error on malformed input.
command_result write_chrome(const source& src, std::ostream& out);

}  // namespace troupe_trace
