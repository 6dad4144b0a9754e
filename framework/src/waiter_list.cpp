// The waiter machinery shared by queue, semaphore, lock and event.

#include <troupe/detail/waiter_list.hpp>

#include <spdlog/spdlog.h>

#include <string>

#include <troupe/errors.hpp>
#include <troupe/log.hpp>

namespace troupe::detail {

[[noreturn]] void throw_no_reactor(const char* what);

void wake_batch::add(sync_waiter* w) noexcept {
  w->wake_next_ = nullptr;
  if (tail_ != nullptr)
    tail_->wake_next_ = w;
  else
    head_ = w;
  tail_ = w;
}

void wake_batch::post_each() noexcept {
  sync_waiter* w = head_;
  head_ = tail_ = nullptr;
  while (w != nullptr) {
    // Read the link first: once posted, the waiter may resume on its own
    // reactor and be gone.
    sync_waiter* next = w->wake_next_;
    w->post_home();
    w = next;
  }
}

bool sync_waiter::enqueue(std::coroutine_handle<> h, waiter_list& list, const char* what) {
  home_ = current_reactor;
  if (home_ == nullptr) throw_no_reactor(what);
  context_ = current_context;
  if (take_cancel(context_)) {
    status_.store(status::cancelled, std::memory_order_relaxed);
    return false;
  }
  handle_ = h;
  list_ = &list;
  status_.store(status::waiting, std::memory_order_relaxed);
  list.push_back(this);
  park(context_, this);
  return true;
}

sync_waiter::status sync_waiter::finish() {
  unpark(context_, this);
  // Written by the waker before it posted us (or by cancel() on this
  // thread): the post orders it before this read.
  const status s = status_.load(std::memory_order_acquire);
  if (s == status::cancelled) throw_cancelled(context_);
  if (s == status::abandoned)
    throw invalid_state_error(std::string(abandoned_by_) +
                              " was destroyed while this task waited on it");
  return s;
}

void sync_waiter::give_back(wake_batch&) noexcept {}

void sync_waiter::cancel() noexcept {
  // A destroyed primitive already woke us; its mutex is gone.
  if (status_.load(std::memory_order_acquire) == status::abandoned) return;
  bool schedule_now = false;
  {
    critical_section cs(*mutex_);
    switch (status_.load(std::memory_order_relaxed)) {
      case status::waiting:
        list_->erase(this);
        status_.store(status::cancelled, std::memory_order_relaxed);
        schedule_now = true;
        break;
      case status::granted:
        // Woken but not yet resumed: the resumption is already posted. What
        // it was granted goes to the next waiter, and it raises instead.
        status_.store(status::cancelled, std::memory_order_relaxed);
        give_back(cs.wakes());
        break;
      case status::closed:
        status_.store(status::cancelled, std::memory_order_relaxed);
        break;
      default:
        break;
    }
  }
  // cancel() runs on our reactor and must not resume inline.
  if (schedule_now) home_->schedule(this);
}

void sync_waiter::wake(status s, waiter_list& list, wake_batch& wakes) noexcept {
  list.erase(this);
  status_.store(s, std::memory_order_release);
  wakes.add(this);
}

void sync_waiter::grant_front(waiter_list& list, wake_batch& wakes) noexcept {
  if (sync_waiter* w = list.front()) w->wake(status::granted, list, wakes);
}

void sync_waiter::grant_all(waiter_list& list, wake_batch& wakes) noexcept {
  while (sync_waiter* w = list.front()) w->wake(status::granted, list, wakes);
}

void sync_waiter::close_all(waiter_list& list, wake_batch& wakes) noexcept {
  while (sync_waiter* w = list.front()) w->wake(status::closed, list, wakes);
}

void sync_waiter::abandon_all(waiter_list& list, wake_batch& wakes, const char* what) noexcept {
  if (list.empty()) return;
  try {
    troupe::logger()->error(
        "{} destroyed while {} task(s) waited on it; they get invalid_state_error "
        "(a primitive must outlive every task that waits on it)",
        what, list.size());
  } catch (...) {
  }
  while (sync_waiter* w = list.front()) {
    w->abandoned_by_ = what;
    w->wake(status::abandoned, list, wakes);
  }
}

void sync_waiter::resume(runnable* r) noexcept {
  auto* self = static_cast<sync_waiter*>(r);
  current_context = self->context_;
  self->handle_.resume();
}

}  // namespace troupe::detail
