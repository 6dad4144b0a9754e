// `troupe-trace summary`: per actor type and handler, how many messages, how
// they ended, how long they waited and ran, and how deep mailboxes got.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "histogram.hpp"
#include "reader.hpp"

namespace troupe_trace {

/// The figures for one (actor type, handler).
struct handler_summary {
  std::string type;
  std::string handler;
  std::uint64_t messages = 0;    ///< sends
  std::uint64_t handled = 0;     ///< handler starts
  std::uint64_t failed = 0;      ///< failure events
  std::uint64_t cancelled = 0;   ///< requests a cancel was sent for
  std::uint64_t timed_out = 0;   ///< requests a wait_for deadline fired on
  std::uint64_t dropped = 0;     ///< dead letters
  histogram handling;            ///< end.t - start.t
  histogram wait;                ///< start.t - send.t
  std::uint64_t peak_depth = 0;  ///< the largest depth + 1 seen at a start
};

/// Everything `summary` reports.
struct summary_report {
  std::vector<handler_summary> rows;  ///< sorted by type, then handler
  std::uint64_t asks = 0;
  std::uint64_t tells = 0;
  std::uint64_t unfinished = 0;  ///< requests sent that neither finished nor were dropped
  std::uint64_t tasks = 0;
  std::uint64_t tasks_ok = 0;
  std::uint64_t tasks_failed = 0;
  std::uint64_t tasks_cancelled = 0;
  std::uint64_t task_timeouts = 0;  ///< timeout events on task ids
  std::uint64_t spawned = 0;
  std::uint64_t stopped = 0;
  std::uint64_t events = 0;          ///< known events read
  std::uint64_t unknown_events = 0;  ///< events of kinds this tool does not know
  std::uint64_t skipped_lines = 0;   ///< malformed lines skipped (lenient)
  std::uint64_t peak_in_flight = 0;  ///< the most requests tracked at once (memory bound)
};

/// Reads the whole trace once, keeping state only for requests in flight
/// (and a bounded number of recently finished ones, for events that arrive
/// late from another reactor). Throws trace_error on malformed input.
summary_report summarize(const source& src);

/// Writes the report as a table followed by totals.
void print_summary(const summary_report& report, std::ostream& out);

}  // namespace troupe_trace
