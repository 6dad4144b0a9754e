// Synthetic traces of any length, in the trace format, for measuring
// troupe-trace and checking that its memory stays bounded.
#pragma once

#include <cstdint>
#include <ostream>

namespace trace_test {

struct synthetic_options {
  std::uint64_t lines = 1'000'000;  ///< stop after about this many lines
  std::uint64_t seed = 1;
  std::uint32_t actors = 64;
  std::uint32_t reactors = 4;
};

/// What a synthetic trace holds, to check a summary against.
struct synthetic_counts {
  std::uint64_t lines = 0;
  std::uint64_t asks = 0;
  std::uint64_t tells = 0;
  std::uint64_t handled = 0;
  std::uint64_t failed = 0;
  std::uint64_t timed_out = 0;
  std::uint64_t dropped = 0;
};

/// Writes a deterministic trace: requests between `actors` actors on
/// `reactors` reactors, each reactor's lines in time order but reactors
/// interleaved out of order, with failures, timeouts, cancels and dead
/// letters, plus now and then an event kind the tool does not know.
synthetic_counts write_synthetic(std::ostream& out, const synthetic_options& options);

}  // namespace trace_test
