// `troupe-trace svg`: the sequence diagram `flow` describes, drawn as a
// standalone SVG 1.1 image, so that no Mermaid renderer is needed.
#pragma once

#include <ostream>
#include <string_view>

#include "reader.hpp"
#include "sequence.hpp"

namespace troupe_trace {

/// Writes an SVG image of the messages select_sequence chooses: a column
/// per participant (a box at the top and a lifeline), then one row per event
/// from top to bottom, with the time since the first one (ms) at the left.
/// Asks are solid arrows with a filled head, tells have an open head,
/// replies are dashed back to the sender, cancels end in a cross; failures,
/// timeouts, dead letters and stops are notes. Reads the trace twice and
/// writes nothing unless it matched. Throws trace_error on malformed input.
command_result write_svg(const source& src, const flow_filter& filter, std::ostream& out);

/// Writes `seq` as an SVG document titled `title`. The size follows the
/// number of participants, the lengths of the labels and the number of rows;
/// equal input gives byte-identical output.
void draw_svg(const sequence& seq, std::string_view title, std::ostream& out);

}  // namespace troupe_trace
