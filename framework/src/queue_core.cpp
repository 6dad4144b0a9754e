// troupe::queue<T>'s bookkeeping: counts, reservations, waiters, shutdown.

#include <troupe/detail/queue_core.hpp>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <thread>

#if defined(__linux__)
#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include <troupe/errors.hpp>

namespace troupe::detail {

namespace {

// Whether heavy_fence() works: the process registered for expedited
// private membarrier (Linux 4.14+). Without it no queue is ever owned.
bool heavy_fence_ready() noexcept {
#if defined(__linux__) && defined(SYS_membarrier)
  static const bool ready = [] {
    const long cmds = syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
    if (cmds < 0 || (cmds & MEMBARRIER_CMD_PRIVATE_EXPEDITED) == 0) return false;
    return syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0;
  }();
  return ready;
#else
  return false;
#endif
}

// A full memory barrier on every running thread of the process.
void heavy_fence() noexcept {
#if defined(__linux__) && defined(SYS_membarrier)
  syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0);
#endif
}

}  // namespace

void queue_core::enter_locked() const {
  mutex_.lock();
  reactor_core* me = current_reactor;
  if (reactor_core* owner = owner_.load(std::memory_order_relaxed); owner != nullptr) {
    if (owner != me) revoke_owner();
    return;
  }
  if (!may_own_) return;
  if (me == nullptr || me != streak_reactor_) {
    streak_reactor_ = me;
    streak_ = 1;
    return;
  }
  // Only with no waiter of another reactor in flight: their cancel() and
  // resumption would lock the mutex, which the owner no longer does.
  if (++streak_ >= owner_streak && (in_flight_ == 0 || in_flight_home_ == me) &&
      heavy_fence_ready())
    owner_.store(me, std::memory_order_relaxed);
}

void queue_core::revoke_owner() const noexcept {
  owner_.store(nullptr, std::memory_order_seq_cst);
  may_own_ = false;
  streak_reactor_ = nullptr;
  // Now the owner either sees that it lost the queue, or was busy when the
  // barrier ran and this sees it; its operation is short, and never waits.
  heavy_fence();
  for (int spins = 0; owner_busy_.load(std::memory_order_acquire); ++spins)
    if (spins > 64) std::this_thread::yield();
}

void queue_core::waiter_parked(reactor_core* home) noexcept {
  if (in_flight_++ == 0)
    in_flight_home_ = home;
  else if (in_flight_home_ != home)
    in_flight_home_ = nullptr;
}

void queue_core::waiter_resumed(const sync_waiter& w) {
  // An abandoned waiter's queue is gone (its destructor woke it).
  if (w.state() == sync_waiter::status::abandoned) return;
  queue_section cs(*this);
  if (--in_flight_ == 0) in_flight_home_ = nullptr;
}

bool queue_join_awaiter::await_ready() {
  queue_section cs(*q_);
  return q_->joined_.open_;
}

bool queue_join_awaiter::await_suspend(std::coroutine_handle<> h) {
  queue_section cs(*q_);
  if (q_->joined_.open_) return false;
  if (!enqueue(h, q_->joined_.waiters_, "troupe::queue::join")) return false;
  parked_ = true;
  q_->waiter_parked(current_reactor);
  return true;
}

void queue_join_awaiter::await_resume() {
  if (parked_) q_->waiter_resumed(*this);
  finish();
}

void queue_core::abandon() noexcept {
  queue_section cs(*this);
  sync_waiter::abandon_all(getters_, cs.wakes(), "troupe::queue");
  sync_waiter::abandon_all(putters_, cs.wakes(), "troupe::queue");
  sync_waiter::abandon_all(joined_.waiters_, cs.wakes(), "troupe::queue");
}

void queue_core::throw_shut_down(const char* what) {
  throw queue_shut_down(std::string(what) + ": the queue is shut down");
}

void queue_core::throw_full(const char* what) const {
  throw queue_full(std::string(what) + ": the queue is full (maxsize " + std::to_string(maxsize_) +
                   (putters_.empty() ? ")"
                                     : ", and " + std::to_string(putters_.size()) +
                                           " task(s) wait to put before this one)"));
}

void queue_core::throw_nothing(const char* what) const {
  if (shut_down_) throw_shut_down(what);
  throw queue_empty(std::string(what) + ": the queue is empty");
}

void queue_core::grant_getters(wake_batch& wakes) noexcept {
  while (!getters_.empty() && can_get()) {
    sync_waiter::grant_front(getters_, wakes);
    ++reserved_items_;
  }
}

void queue_core::grant_putters(wake_batch& wakes) noexcept {
  while (!putters_.empty() && room()) {
    sync_waiter::grant_front(putters_, wakes);
    ++reserved_slots_;
  }
}

bool queue_core::claim_slot(wake_batch& wakes) noexcept {
  if (!shut_down_) return true;
  return_slot(wakes);
  return false;
}

void queue_core::return_slot(wake_batch& wakes) noexcept {
  --reserved_slots_;
  grant_putters(wakes);
}

void queue_core::return_item(wake_batch& wakes) noexcept {
  if (discarded_) return;  // the item is gone already
  --reserved_items_;
  grant_getters(wakes);
}

void queue_core::task_done(wake_batch& wakes) {
  if (unfinished_ == 0)
    throw std::logic_error(
        "troupe::queue::task_done() called more times than items were put (every get() is "
        "matched by at most one task_done())");
  if (--unfinished_ == 0) joined_.open(wakes);
}

void queue_core::shut_down(bool immediate, wake_batch& wakes) noexcept {
  shut_down_ = true;
  if (immediate) {
    // As asyncio: every discarded item counts as done, so join() returns.
    unfinished_ -= std::min(unfinished_, size_);
    size_ = 0;
    reserved_items_ = 0;
    discarded_ = true;
    if (unfinished_ == 0) joined_.open(wakes);
  }
  // A waiting getter found no unreserved item, and none can come now.
  sync_waiter::close_all(getters_, wakes);
  sync_waiter::close_all(putters_, wakes);
}

}  // namespace troupe::detail
