// troupe/semaphore.hpp — troupe::semaphore and troupe::bounded_semaphore
// (asyncio.Semaphore, asyncio.BoundedSemaphore): at most N holders at once.
#pragma once

#include <cstddef>
#include <limits>

#include <troupe/detail/permit_pool.hpp>

namespace troupe {

/// What a semaphore is doing right now (Trio's statistics()).
struct semaphore_statistics {
  std::size_t value = 0;          ///< free permits
  std::size_t tasks_waiting = 0;  ///< tasks parked in acquire() or hold()
};

/// A counter of permits: `acquire()` takes one, suspending while none is
/// free; `release()` returns one. Waiters are served first come, first
/// served: a release with tasks waiting hands its permit to the first of
/// them, and `try_acquire()` fails while anyone waits. A waiter whose task is
/// cancelled raises cancelled_error and never holds a permit; if a permit
/// had already been handed to it, it passes to the next waiter. Not an actor:
/// a plain object to keep in an actor or a task (it must outlive every task
/// waiting on it).
///
/// For scoped use, `hold()` acquires and returns a guard that releases when
/// it is destroyed (the C++ form of `async with sem:`):
/// @code
///   auto permit = co_await sem.hold();   // keep it in a variable
///   co_await fetch(url);                 // released at the end of the scope,
///                                        // also when fetch throws
/// @endcode
/// A bare `co_await sem.hold();` releases at once: Clang warns about the
/// discarded guard, GCC 12 cannot. Use `acquire()`/`release()` when the
/// permit outlives a scope.
/// @par Thread Safety
/// Every member may be called from any thread, and tasks on different
/// reactors may share one semaphore: state is guarded by a mutex, and each
/// waiter is resumed on its own reactor. `acquire()` and `hold()` are awaited
/// on reactor threads only (in a task or handler).
class semaphore {
 public:
  /// Releases on destruction; returned by `hold()`.
  using guard = detail::release_guard<semaphore>;

  /// Starts with `value` free permits.
  explicit semaphore(std::size_t value) noexcept : pool_(value) {}
  /// Wakes the tasks still waiting with invalid_state_error and logs the
  /// mistake: a semaphore must outlive its waiters.
  ~semaphore() { pool_.abandon("troupe::semaphore"); }
  semaphore(const semaphore&) = delete;
  semaphore& operator=(const semaphore&) = delete;

  /// Awaitable: takes a permit, suspending until one is free. Raises
  /// cancelled_error if the task is cancelled while it waits (holding
  /// nothing). Reactor threads only; throws std::logic_error elsewhere.
  [[nodiscard]] detail::acquire_awaiter acquire() noexcept {
    return detail::acquire_awaiter(pool_, "troupe::semaphore::acquire");
  }

  /// Awaitable: acquire(), then a guard that releases the permit when it is
  /// destroyed. Same errors as acquire().
  [[nodiscard]] detail::hold_awaiter<semaphore> hold() noexcept {
    return detail::hold_awaiter<semaphore>(*this, pool_, "troupe::semaphore::hold");
  }

  /// Takes a permit if one is free and no task waits; never suspends. Any thread.
  bool try_acquire() noexcept { return pool_.try_take(); }

  /// Returns a permit, waking the first waiting task if there is one.
  /// A plain semaphore lets releases exceed the initial value (as asyncio
  /// does); bounded_semaphore throws std::logic_error instead. Any thread.
  void release();

  /// Free permits. Any thread (a snapshot).
  std::size_t value() const noexcept { return pool_.value(); }
  /// Whether acquire() would suspend now. Any thread (a snapshot).
  bool locked() const noexcept { return value() == 0; }
  /// Free permits and waiting tasks. Any thread (a snapshot).
  semaphore_statistics statistics() const noexcept;

 protected:
  semaphore(std::size_t value, std::size_t bound) noexcept : pool_(value), bound_(bound) {}

 private:
  detail::permit_pool pool_;
  std::size_t bound_ = std::numeric_limits<std::size_t>::max();  // most free permits
};

/// A semaphore whose `release()` throws std::logic_error when it would raise
/// the count above the initial value: a release without a matching acquire
/// is a bug it reports (asyncio.BoundedSemaphore's ValueError).
/// @par Thread Safety
/// As semaphore.
class bounded_semaphore : public semaphore {
 public:
  /// Starts with `value` free permits, which is also the most it may hold.
  explicit bounded_semaphore(std::size_t value) noexcept : semaphore(value, value) {}
};

}  // namespace troupe
