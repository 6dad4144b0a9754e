// troupe/lock.hpp — troupe::lock, mutual exclusion between tasks across
// suspension points (asyncio.Lock).
#pragma once

#include <cstddef>

#include <troupe/detail/permit_pool.hpp>

namespace troupe {

/// What a lock is doing right now (Trio's statistics()).
struct lock_statistics {
  bool locked = false;
  std::size_t tasks_waiting = 0;  ///< tasks parked in acquire() or hold()
};

/// A lock for tasks, held across `co_await`s: `acquire()` suspends while
/// another task holds it; `release()` hands it to the first waiting task
/// (first come, first served: `try_acquire()` fails while anyone waits). A
/// waiter whose task is cancelled raises cancelled_error without the lock;
/// if the lock had already been handed to it, it passes to the next waiter.
/// As in asyncio, the lock has no owner: any task may release it. It does
/// not block threads; inside one actor's handlers it is rarely needed (an
/// actor runs one message at a time), so it is for tasks and for state
/// shared between actors. Not an actor: a plain object to keep in an actor
/// or a task (it must outlive every task waiting on it).
///
/// `hold()` acquires and returns a guard that releases at the end of its
/// scope (the C++ form of `async with lock:`):
/// @code
///   auto held = co_await account_lock.hold();
///   auto balance = co_await read_balance();
///   co_await write_balance(balance + amount);  // no other holder in between
/// @endcode
/// A bare `co_await l.hold();` unlocks at once: Clang warns about the
/// discarded guard, GCC 12 cannot.
/// @par Thread Safety
/// Every member may be called from any thread, and tasks on different
/// reactors may share one lock: state is guarded by a mutex, and each waiter
/// is resumed on its own reactor. `acquire()` and `hold()` are awaited on
/// reactor threads only (in a task or handler).
class lock {
 public:
  /// Releases on destruction; returned by `hold()`.
  using guard = detail::release_guard<lock>;

  lock() noexcept : pool_(1) {}
  /// Wakes the tasks still waiting with invalid_state_error and logs the
  /// mistake: a lock must outlive its waiters.
  ~lock() { pool_.abandon("troupe::lock"); }
  lock(const lock&) = delete;
  lock& operator=(const lock&) = delete;

  /// Awaitable: takes the lock, suspending while it is held. Raises
  /// cancelled_error if the task is cancelled while it waits (without the
  /// lock). Reactor threads only; throws std::logic_error elsewhere.
  [[nodiscard]] detail::acquire_awaiter acquire() noexcept {
    return detail::acquire_awaiter(pool_, "troupe::lock::acquire");
  }

  /// Awaitable: acquire(), then a guard that releases the lock when it is
  /// destroyed. Same errors as acquire().
  [[nodiscard]] detail::hold_awaiter<lock> hold() noexcept {
    return detail::hold_awaiter<lock>(*this, pool_, "troupe::lock::hold");
  }

  /// Takes the lock if it is free and no task waits; never suspends. Any thread.
  bool try_acquire() noexcept { return pool_.try_take(); }

  /// Releases the lock, handing it to the first waiting task if there is
  /// one. Throws std::logic_error if the lock is not locked. Any thread.
  void release();

  /// Whether some task holds the lock. Any thread (a snapshot).
  bool locked() const noexcept { return pool_.value() == 0; }
  /// Whether it is locked, and how many tasks wait. Any thread (a snapshot).
  lock_statistics statistics() const noexcept;

 private:
  detail::permit_pool pool_;
};

}  // namespace troupe
