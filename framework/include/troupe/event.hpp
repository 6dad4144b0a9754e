// troupe/event.hpp — troupe::event, a flag tasks can wait for (asyncio.Event).
#pragma once

#include <cstddef>
#include <mutex>

#include <troupe/detail/gate.hpp>

namespace troupe {

/// What an event is doing right now (Trio's statistics()).
struct event_statistics {
  bool is_set = false;
  std::size_t tasks_waiting = 0;  ///< tasks parked in wait()
};

/// A flag that starts clear: `wait()` suspends until someone calls `set()`,
/// which wakes every waiter at once; `clear()` makes later waits suspend
/// again. Like asyncio.Event, a waiter woken by `set()` returns even if the
/// event is cleared before it runs. Not an actor: a plain object to keep in
/// an actor or a task (it must outlive every task waiting on it).
/// @par Thread Safety
/// Every member may be called from any thread, and tasks on different
/// reactors may wait on one event: state is guarded by a mutex, and each
/// waiter is resumed on its own reactor. `wait()` is awaited on reactor
/// threads only (in a task or handler).
class event {
 public:
  event() noexcept = default;
  /// Wakes the tasks still waiting with invalid_state_error and logs the
  /// mistake: an event must outlive its waiters.
  ~event();
  event(const event&) = delete;
  event& operator=(const event&) = delete;

  /// Awaitable: returns at once if set, else suspends until `set()`. Raises
  /// cancelled_error if the waiting task is cancelled first. Reactor threads
  /// only; throws std::logic_error elsewhere.
  [[nodiscard]] detail::gate_awaiter wait() noexcept {
    return detail::gate_awaiter(mutex_, gate_, "troupe::event::wait");
  }

  /// Sets the flag and wakes every waiting task, in the order they started
  /// waiting. Setting a set event does nothing. Any thread.
  void set() noexcept;

  /// Clears the flag. Any thread.
  void clear() noexcept;

  /// Whether the flag is set. Any thread (a snapshot).
  bool is_set() const noexcept;

  /// The flag and the number of waiting tasks. Any thread (a snapshot).
  event_statistics statistics() const noexcept;

 private:
  mutable std::mutex mutex_;
  detail::gate gate_{false};
};

}  // namespace troupe
