// troupe/options.hpp — how troupe::run configures the runtime.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace troupe {

/// Which clock drives timers, sleeps and deadlines.
enum class clock_kind {
  real_time,     ///< std::chrono::steady_clock
  virtual_time,  ///< jumps to the next timer when every reactor is idle
};

/// Runtime settings for `troupe::run`; an aggregate, so designated
/// initialisers read well: `troupe::options{.reactors = 2, .slow_handler = 50ms}`.
struct options {
  /// Reactor threads; 0 means one per hardware thread. Reactor 0 runs on the
  /// thread that called `run`.
  std::size_t reactors = 0;
  /// A handler or task step that holds its reactor longer than this is logged
  /// with the actor, the handler and the duration. Zero turns the check off.
  std::chrono::nanoseconds slow_handler = std::chrono::milliseconds(100);
  /// Path of the JSON-lines message-flow trace; empty means no trace unless
  /// the environment variable TROUPE_TRACE names a file.
  std::string trace;
  /// The clock behind timers and deadlines.
  clock_kind clock = clock_kind::real_time;
  /// Most threads troupe::to_thread may use at once; 0 means
  /// min(32, hardware threads + 4), as Python's default executor.
  std::size_t blocking_threads = 0;
  /// How long a reactor that messages from other reactors reach at short
  /// intervals polls its inbox before it sleeps, so that a reply across
  /// threads does not pay for a sleep and a wake-up. It polls only while
  /// messages have recently come within this time (an idle reactor sleeps
  /// at once) and yields its CPU to other runnable threads as it polls.
  /// Zero turns polling off: every wait sleeps.
  std::chrono::nanoseconds idle_spin = std::chrono::microseconds(50);
};

}  // namespace troupe
