// troupe/actors/ticker.hpp — troupe::actors::ticker, an actor that calls a
// function at a fixed period, on its reactor, until it is stopped.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

#include <troupe/troupe.hpp>

namespace troupe::actors {

/// Calls `on_tick(n)` (n = 1, 2, ...) every `period` on its own reactor. A
/// tick is an ordinary message, so it never runs during another handler of
/// the ticker. The ticker keeps itself alive: stop it with its `halt`
/// handler (or let troupe::run stop it at shutdown).
/// @par Thread Safety
/// Reach it through its actor_ref from any thread; `on_tick` runs on the
/// ticker's reactor.
class ticker : public troupe::actor {
 public:
  /// Throws std::invalid_argument when `period` is not positive or `on_tick`
  /// is empty.
  ticker(std::chrono::nanoseconds period, std::function<void(std::uint64_t)> on_tick);

  /// Ticks delivered so far.
  std::uint64_t ticks() const noexcept { return ticks_; }
  /// Stops ticking now (no on_tick after this returns), then stops the
  /// actor once ticks already queued have been discarded.
  void halt();
  /// One tick (sent by the ticker's own clock task).
  void tick();
  /// Stops the actor (sent by halt, behind any queued ticks).
  void finish() noexcept { stop(); }

  void on_start() override;
  void on_stop() override;

 private:
  std::chrono::nanoseconds period_;
  std::function<void(std::uint64_t)> on_tick_;
  std::uint64_t ticks_ = 0;
  bool halted_ = false;
  troupe::future<void> clock_;
};

}  // namespace troupe::actors
