// The sequence of messages that `flow` and `svg` draw: which events of a
// trace are kept, in what order, between which participants. The Mermaid and
// SVG writers are two back-ends of this one model.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "reader.hpp"

namespace troupe_trace {

/// Which messages `flow` and `svg` draw.
struct flow_filter {
  /// Only this request or task and everything it caused (via `parent`).
  std::optional<std::uint64_t> request;
  /// Only messages to or from this actor: a type ("counter") or one actor
  /// ("counter#17").
  std::optional<std::string> actor;
};

/// What a row of a sequence diagram shows.
enum class row_kind : std::uint8_t {
  ask,     ///< a request that expects a reply
  tell,    ///< a one-way message
  reply,   ///< the reply to an ask, back to its sender
  cancel,  ///< a cancel sent to the receiver of a request
  note     ///< a failure, timeout, task cancel, dead letter or stop, over one participant
};

/// One row: an arrow from `from` to `to` with a label above it, or a note
/// over `from`. Participants are indices into sequence::participants.
struct sequence_row {
  row_kind kind = row_kind::note;
  std::size_t from = 0;
  std::size_t to = 0;   ///< arrows only
  std::uint64_t t = 0;  ///< the event's time, ns since the runtime started
  std::string text;     ///< unescaped; may hold newlines (from error messages)
};

/// A sequence diagram before it is written in any syntax.
struct sequence {
  /// Labels, in order of first appearance: "type#id" for actors, the name
  /// for tasks (with " (task N)" when two share a name), "outside" for
  /// plain threads.
  std::vector<std::string> participants;
  /// In time order; events at one time in the order of the file.
  std::vector<sequence_row> rows;
};

/// Reads the trace twice and fills `out` with the selected messages. Not
/// matched (and `out` empty) for an unknown request or actor, or when
/// nothing is left to draw. Throws trace_error on malformed input. Equal
/// input gives equal output.
command_result select_sequence(const source& src, const flow_filter& filter, sequence& out);

}  // namespace troupe_trace
