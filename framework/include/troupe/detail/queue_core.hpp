// troupe/detail/queue_core.hpp — everything troupe::queue<T> knows except
// the items themselves: counts, the putters, getters and joiners, shutdown.
//
// Waiters are served FIFO by reservation. A get that frees room while
// putters wait reserves a slot for the first putter; a put while getters
// wait reserves the new item for the first getter. A reserved slot or item
// belongs to the granted waiter until it resumes (then it uses it) or is
// cancelled first (then it passes to the next waiter). So size() never
// exceeds maxsize, a newcomer never overtakes a waiter, and a cancelled
// waiter loses nothing and takes nothing.
#pragma once

#include <cstddef>
#include <mutex>

#include <troupe/detail/gate.hpp>
#include <troupe/detail/waiter_list.hpp>

namespace troupe::detail {

class queue_core {
 public:
  explicit queue_core(std::size_t maxsize) noexcept : maxsize_(maxsize) {}
  queue_core(const queue_core&) = delete;
  queue_core& operator=(const queue_core&) = delete;

  /// Wakes waiters left with invalid_state_error (for ~queue).
  void abandon() noexcept;

  // Everything below: with mutex_ held.

  /// A new put may go ahead now: room, and no putter waiting before it.
  bool can_put() const noexcept { return putters_.empty() && room(); }
  /// A new get may go ahead now: an item no granted getter has reserved.
  bool can_get() const noexcept { return size_ > reserved_items_; }

  /// Throws queue_shut_down naming `what` if the queue is shut down.
  void check_open(const char* what) const;
  [[noreturn]] void throw_full(const char* what) const;
  /// When nothing can be got: queue_shut_down after shutdown, else queue_empty.
  [[noreturn]] void throw_nothing(const char* what) const;
  [[noreturn]] static void throw_shut_down(const char* what);

  /// An item was appended (by a put that did not wait).
  void added(wake_batch& wakes) noexcept;
  /// An item was taken from the front.
  void removed(wake_batch& wakes) noexcept;

  /// A granted putter resumed: is its reserved slot still usable? After a
  /// shutdown it is not, and the slot is given back.
  bool claim_slot(wake_batch& wakes) noexcept;
  /// A granted putter is appending into its slot (then call added()).
  void slot_filled() noexcept { --reserved_slots_; }
  /// A granted putter will not use its slot (cancelled, or its append threw).
  void return_slot(wake_batch& wakes) noexcept;

  /// A granted getter took its reserved item (check discarded_ first: an
  /// immediate shutdown drops reserved items too).
  void item_claimed() noexcept { --reserved_items_; }
  /// A granted getter was cancelled before taking its item.
  void return_item(wake_batch& wakes) noexcept;

  /// One item processed; throws std::logic_error if none is unfinished.
  void task_done(wake_batch& wakes);
  /// Marks the queue shut down and wakes the blocked putters and getters
  /// with queue_shut_down. With `immediate`, the caller has discarded the
  /// items; they count as done for join().
  void shut_down(bool immediate, wake_batch& wakes) noexcept;

  mutable std::mutex mutex_;  // guards this and the queue's items
  waiter_list putters_;
  waiter_list getters_;
  gate joined_{true};  // open while no task is unfinished
  std::size_t maxsize_;
  std::size_t size_ = 0;            // items held, reserved ones included
  std::size_t reserved_items_ = 0;  // items promised to granted getters
  std::size_t reserved_slots_ = 0;  // slots promised to granted putters
  std::size_t unfinished_ = 0;      // put and not yet task_done
  bool shut_down_ = false;
  bool discarded_ = false;  // an immediate shutdown dropped the items

 private:
  bool room() const noexcept { return maxsize_ == 0 || size_ + reserved_slots_ < maxsize_; }
  void grant_getters(wake_batch& wakes) noexcept;
  void grant_putters(wake_batch& wakes) noexcept;
};

}  // namespace troupe::detail
