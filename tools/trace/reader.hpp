// Reading a trace: one event per line, checked against the trace format
// (docs/tracing.md), with malformed lines either fatal or counted and skipped.
#pragma once

#include <cstdint>
#include <istream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "json.hpp"

namespace troupe_trace {

/// The kinds of event a trace holds. `unknown` is any other `ev`: a newer
/// recorder's event, skipped and counted.
enum class event_kind : std::uint8_t {
  spawn,
  task,
  task_end,
  send,
  start,
  end,
  reply,
  cancel,
  timeout,
  failure,
  dead_letter,
  stop,
  unknown
};

/// One line of a trace. Absent or null fields are 0 or empty; the string
/// views point into the reader's line buffer and are valid until the next
/// call to trace_reader::next.
struct event {
  event_kind kind = event_kind::unknown;
  std::string_view ev;
  std::uint64_t t = 0;  ///< nanoseconds since the runtime started
  std::uint64_t r = 0;  ///< reactor index
  std::uint64_t actor = 0;
  std::uint64_t task = 0;
  std::uint64_t req = 0;
  std::uint64_t from = 0;
  std::uint64_t parent = 0;
  std::uint64_t home = 0;
  std::uint64_t depth = 0;
  std::uint64_t deadline = 0;
  bool has_deadline = false;
  bool ask = false;  ///< send: "kind" is "ask" (otherwise "tell")
  std::string_view type;
  std::string_view name;
  std::string_view handler;
  std::string_view from_type;
  std::string_view outcome;
  std::string_view error;
  std::string_view cause;
  std::string_view where;
  std::string_view reason;

  /// The id the event is about: req for messages, task for tasks, actor for
  /// spawn and stop.
  std::uint64_t subject() const noexcept;
};

/// A trace file to read: the stream, the name used in messages, and whether
/// malformed lines are skipped (lenient) or fatal.
struct source {
  std::istream& in;
  std::string name;
  bool lenient = false;
};

/// What a command found.
struct command_result {
  bool matched = true;        ///< false: nothing to show (exit status 3)
  std::string why_unmatched;  ///< when !matched: what was not found
  std::uint64_t skipped = 0;  ///< malformed lines skipped (lenient)
};

/// A malformed line (or an unreadable file). what() is "FILE:LINE: reason"
/// ("FILE: reason" when no line is involved).
class trace_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Reads events from a stream, one JSON object per line; blank lines are
/// ignored.
/// @par Thread Safety One thread at a time.
class trace_reader {
 public:
  /// `name` is used in error messages; with `lenient`, malformed lines are
  /// skipped and counted instead of thrown.
  trace_reader(std::istream& in, std::string name, bool lenient);

  /// Reads the next known event into `e`. Returns false at the end of the
  /// input. Throws trace_error on a malformed line (unless lenient) or a
  /// read error.
  bool next(event& e);

  /// Goes back to the first line for another pass; counts restart.
  void rewind();

  std::uint64_t line_number() const noexcept { return line_no_; }
  std::uint64_t skipped() const noexcept { return skipped_; }  ///< malformed lines skipped
  std::uint64_t unknown() const noexcept { return unknown_; }  ///< events of unknown kinds
  std::uint64_t events() const noexcept { return events_; }    ///< known events returned
  const std::string& name() const noexcept { return name_; }

 private:
  // Fills `e` from fields_; returns what is wrong, or an empty string.
  std::string bind(event& e);

  std::istream& in_;
  std::string name_;
  bool lenient_;
  std::string line_;
  std::vector<json_field> fields_;
  std::uint64_t line_no_ = 0;
  std::uint64_t skipped_ = 0;
  std::uint64_t unknown_ = 0;
  std::uint64_t events_ = 0;
};

}  // namespace troupe_trace
