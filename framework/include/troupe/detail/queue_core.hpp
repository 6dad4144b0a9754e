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
//
// The mutex is skipped by a reactor that owns the queue. A queue used only
// from one reactor for a while (owner_streak operations in a row, no waiter
// of another reactor in flight) becomes owned by it: that reactor's
// operations then mark the queue busy with plain stores instead of locking.
// Any other thread's operation first takes the ownership back, under the
// mutex, for good: it clears the owner, forces a memory barrier on every
// thread of the process (membarrier), and waits until the owner is not busy.
// After that the owner sees it no longer owns the queue and locks like
// everyone else. So a queue shared between reactors pays one revocation,
// and one used from a single reactor never pays an atomic read-modify-write.
#pragma once

#include <atomic>
#include <coroutine>
#include <cstddef>
#include <cstdint>
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
  void check_open(const char* what) const {
    if (shut_down_) throw_shut_down(what);
  }
  [[noreturn]] void throw_full(const char* what) const;
  /// When nothing can be got: queue_shut_down after shutdown, else queue_empty.
  [[noreturn]] void throw_nothing(const char* what) const;
  [[noreturn]] static void throw_shut_down(const char* what);

  /// An item was appended (by a put that did not wait).
  void added(wake_batch& wakes) noexcept {
    ++size_;
    ++unfinished_;
    joined_.close();
    if (!getters_.empty()) grant_getters(wakes);
  }
  /// An item was taken from the front.
  void removed(wake_batch& wakes) noexcept {
    --size_;
    if (!putters_.empty()) grant_putters(wakes);
  }

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

  /// A waiter of reactor `home` parked (enqueue returned true).
  void waiter_parked(reactor_core* home) noexcept;
  /// In await_resume of a waiter that parked, before finish(): it is no
  /// longer in flight. Takes the queue itself; skips an abandoned one.
  void waiter_resumed(const sync_waiter& w);

  // Entering and leaving an operation (queue_section does both).

  /// On the owning reactor: marks the queue busy and returns true if it is
  /// still owned, else returns false (then lock).
  bool enter_owned() const noexcept {
    reactor_core* me = current_reactor;
    if (me == nullptr || owner_.load(std::memory_order_relaxed) != me) return false;
    owner_busy_.store(true, std::memory_order_relaxed);
    // A revoker's membarrier orders this store before the load below on
    // the CPU (asymmetric Dekker); only the compiler must be kept from it.
    std::atomic_signal_fence(std::memory_order_seq_cst);
    if (owner_.load(std::memory_order_relaxed) == me) return true;
    owner_busy_.store(false, std::memory_order_relaxed);
    return false;
  }
  void leave_owned() const noexcept { owner_busy_.store(false, std::memory_order_release); }
  /// Locks the mutex; takes the ownership back from another reactor, or
  /// counts towards this reactor's.
  void enter_locked() const;

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
  /// Operations in a row from one reactor before it owns the queue.
  static constexpr std::uint32_t owner_streak = 128;

  bool room() const noexcept { return maxsize_ == 0 || size_ + reserved_slots_ < maxsize_; }
  void revoke_owner() const noexcept;
  void grant_getters(wake_batch& wakes) noexcept;
  void grant_putters(wake_batch& wakes) noexcept;

  // Ownership. owner_ is set (to the reactor locking) and cleared under the
  // mutex; owner_busy_ is written by the owner only.
  mutable std::atomic<reactor_core*> owner_{nullptr};
  mutable std::atomic<bool> owner_busy_{false};
  // Under the mutex: the reactor of the current streak of locked operations
  // and its length; whether owning is still allowed (never again after a
  // revocation); waiters parked or woken and not yet resumed, and their
  // reactor if they all have the same one (else null).
  mutable reactor_core* streak_reactor_ = nullptr;
  mutable std::uint32_t streak_ = 0;
  mutable bool may_own_ = true;
  std::size_t in_flight_ = 0;
  reactor_core* in_flight_home_ = nullptr;
};

/// One queue operation: on the owning reactor it marks the queue busy, else
/// it holds the mutex; on leaving it posts the waiters it woke.
class queue_section {
 public:
  explicit queue_section(const queue_core& q) : q_(q), owned_(q.enter_owned()) {
    if (!owned_) q.enter_locked();
  }
  queue_section(const queue_section&) = delete;
  queue_section& operator=(const queue_section&) = delete;
  ~queue_section() {
    if (owned_)
      q_.leave_owned();
    else
      q_.mutex_.unlock();
    wakes_.post_all();
  }
  wake_batch& wakes() noexcept { return wakes_; }

 private:
  const queue_core& q_;
  bool owned_;
  wake_batch wakes_;
};

/// A put or get of troupe::queue that has to wait. The awaiters build one
/// only then, in place, so that an operation that goes ahead at once (the
/// common case) does not initialise a waiter it never uses.
class queue_waiter final : public sync_waiter {
 public:
  enum class kind : bool { put, get };
  queue_waiter(queue_core& q, kind k) noexcept : sync_waiter(q.mutex_), q_(q), kind_(k) {}

  using sync_waiter::enqueue;
  using sync_waiter::finish;

 private:
  // Cancelled after it was granted: the reserved slot or item passes on.
  void give_back(wake_batch& wakes) noexcept override {
    if (kind_ == kind::put)
      q_.return_slot(wakes);
    else
      q_.return_item(wakes);
  }

  queue_core& q_;
  kind kind_;
};

/// queue::join(): waits until every item put is task_done().
class [[nodiscard]] queue_join_awaiter final : public sync_waiter {
 public:
  explicit queue_join_awaiter(queue_core& q) noexcept : sync_waiter(q.mutex_), q_(&q) {}

  bool await_ready();
  bool await_suspend(std::coroutine_handle<> h);
  void await_resume();

 private:
  queue_core* q_;
  bool parked_ = false;
};

}  // namespace troupe::detail
