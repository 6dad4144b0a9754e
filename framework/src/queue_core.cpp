// troupe::queue<T>'s bookkeeping: counts, reservations, waiters, shutdown.

#include <troupe/detail/queue_core.hpp>

#include <algorithm>
#include <stdexcept>
#include <string>

#include <troupe/errors.hpp>

namespace troupe::detail {

void queue_core::abandon() noexcept {
  critical_section cs(mutex_);
  sync_waiter::abandon_all(getters_, cs.wakes(), "troupe::queue");
  sync_waiter::abandon_all(putters_, cs.wakes(), "troupe::queue");
  sync_waiter::abandon_all(joined_.waiters_, cs.wakes(), "troupe::queue");
}

void queue_core::check_open(const char* what) const {
  if (shut_down_) throw_shut_down(what);
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

void queue_core::added(wake_batch& wakes) noexcept {
  ++size_;
  ++unfinished_;
  joined_.close();
  grant_getters(wakes);
}

void queue_core::removed(wake_batch& wakes) noexcept {
  --size_;
  grant_putters(wakes);
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
