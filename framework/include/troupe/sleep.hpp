// troupe/sleep.hpp — troupe::sleep(d) and troupe::yield(): suspend the
// current task without blocking its reactor.
#pragma once

#include <chrono>
#include <coroutine>

#include <troupe/detail/context.hpp>
#include <troupe/detail/reactor_core.hpp>
#include <troupe/detail/timer_heap.hpp>

namespace troupe {
namespace detail {


struct sleep_awaiter final : timer_node, cancellable {
  std::chrono::nanoseconds duration_;
  std::coroutine_handle<> handle_;
  context* context_ = nullptr;
  reactor_core* home_ = nullptr;
  bool cancelled_ = false;

  explicit sleep_awaiter(std::chrono::nanoseconds d) noexcept : timer_node(&fire), duration_(d) {}

  bool await_ready() const noexcept { return false; }
  bool await_suspend(std::coroutine_handle<> h) {
    home_ = current_reactor;
    if (home_ == nullptr) throw_no_reactor("troupe::sleep");
    handle_ = h;
    context_ = current_context;
    if (take_cancel(context_)) {
      cancelled_ = true;
      return false;
    }
    if (duration_.count() <= 0) {
      home_->schedule(this);  // sleep(0) yields
    } else {
      deadline_ = home_->now() + std::chrono::duration_cast<clock_type::duration>(duration_);
      home_->add_timer(this);
    }
    park(context_, this);
    return true;
  }
  void await_resume() const {
    unpark(context_, const_cast<sleep_awaiter*>(this));
    if (cancelled_) throw_cancelled(context_);
  }
  void cancel() noexcept override {
    if (home_->cancel_timer(this)) {
      cancelled_ = true;
      home_->schedule(this);
    } else if (context_ != nullptr) {
      context_->cancel_pending_ = true;  // already due; raise at the next suspension
    }
  }
  static void fire(runnable* r) noexcept {
    auto* self = static_cast<sleep_awaiter*>(r);
    current_context = self->context_;
    self->handle_.resume();
  }
};

struct yield_awaiter final : runnable {
  std::coroutine_handle<> handle_;
  context* context_ = nullptr;

  yield_awaiter() noexcept : runnable(&fire) {}
  bool await_ready() const noexcept { return false; }
  bool await_suspend(std::coroutine_handle<> h) {
    reactor_core* home = current_reactor;
    if (home == nullptr) throw_no_reactor("troupe::yield");
    handle_ = h;
    context_ = current_context;
    if (take_cancel(context_)) throw_cancelled(context_);
    home->schedule(this);
    return true;
  }
  void await_resume() const {
    if (take_cancel(context_)) throw_cancelled(context_);
  }
  static void fire(runnable* r) noexcept {
    auto* self = static_cast<yield_awaiter*>(r);
    current_context = self->context_;
    self->handle_.resume();
  }
};

}  // namespace detail

/// Suspends the current task for `d` without blocking the reactor (other
/// tasks and handlers run meanwhile). Raises cancelled_error if the task is
/// cancelled while asleep. `sleep(0)` yields. Reactor threads only.
template <class Rep, class Period>
[[nodiscard]] detail::sleep_awaiter sleep(std::chrono::duration<Rep, Period> d) noexcept {
  return detail::sleep_awaiter(std::chrono::duration_cast<std::chrono::nanoseconds>(d));
}

/// Lets every other ready task and handler on this reactor run once, then
/// continues (asyncio's `sleep(0)`). Reactor threads only.
[[nodiscard]] inline detail::yield_awaiter yield() noexcept { return {}; }

}  // namespace troupe
