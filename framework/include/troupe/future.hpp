// troupe/future.hpp — troupe::future<T>, the awaitable result of an ask or
// of create_task (asyncio's Future/Task).
#pragma once

#include <coroutine>
#include <exception>
#include <stdexcept>
#include <string_view>
#include <type_traits>
#include <utility>

#include <troupe/detail/context.hpp>
#include <troupe/detail/future_state.hpp>
#include <troupe/detail/reactor_core.hpp>
#include <troupe/errors.hpp>

namespace troupe {

template <class T>
class future;

namespace detail {

template <class T>
future<T> adopt_future(future_state<T>* s) noexcept;
void report_callback_failure(const context* producer, std::exception_ptr e) noexcept;

/// Parks a coroutine on a future; resumed on its own reactor.
template <class T>
struct future_awaiter final : completion_node, cancellable {
  future_state<T>* state_;
  std::coroutine_handle<> handle_;
  context* context_ = nullptr;

  explicit future_awaiter(future_state<T>* s) noexcept : completion_node(&resume), state_(s) {}

  bool await_ready() const {
    if (state_ == nullptr) throw invalid_state_error("co_await of an empty troupe::future");
    return state_->done();
  }
  bool await_suspend(std::coroutine_handle<> h) noexcept {
    handle_ = h;
    context_ = current_context;
    home_ = current_reactor;
    if (take_cancel(context_)) {
      // Raise here, and do not leave the awaited work running for nobody.
      if (!state_->cancel()) context_->cancel_pending_ = true;
      if (!state_->done()) {
        // Claimed by a producer finishing right now; wait for its publish.
        return state_->add_waiter(this);
      }
      return false;
    }
    if (!state_->add_waiter(this)) return false;
    park(context_, this);
    return true;
  }
  T await_resume() {
    unpark(context_, this);
    return state_->take();
  }

  // Cancelling the awaiting context cancels the awaited future (propagation
  // down); its completion then schedules this awaiter.
  void cancel() noexcept override {
    if (!state_->cancel()) context_->cancel_pending_ = true;
  }

  static void resume(runnable* r) noexcept {
    auto* self = static_cast<future_awaiter*>(r);
    current_context = self->context_;
    self->handle_.resume();
  }
};

template <class T, class F>
struct callback_node final : completion_node {
  future_state<T>* state_;
  F fn_;
  callback_node(future_state<T>* s, F&& f) : completion_node(&run_it), state_(s), fn_(std::move(f)) {
    s->add_ref();
  }
  static void run_it(runnable* r) noexcept;
};

}  // namespace detail

/// The eventual result of an ask or a task. Move-only handle to state shared
/// with the producer. `co_await` it (as an lvalue or rvalue) to get the value
/// or the exception; a second `co_await` throws invalid_state_error.
/// @par Thread Safety
/// Use a future from one thread at a time. It may be completed from another
/// reactor; the awaiting coroutine always resumes on its own reactor.
template <class T>
class [[nodiscard]] future {
 public:
  using value_type = T;

  future() noexcept = default;
  future(future&& other) noexcept : s_(std::exchange(other.s_, nullptr)) {}
  future& operator=(future&& other) noexcept {
    if (this != &other) {
      reset();
      s_ = std::exchange(other.s_, nullptr);
    }
    return *this;
  }
  future(const future&) = delete;
  future& operator=(const future&) = delete;
  ~future() { reset(); }

  /// Whether this future refers to a result at all (false when moved from).
  bool valid() const noexcept { return s_ != nullptr; }
  /// Whether it has a value, an exception, or was cancelled.
  bool done() const noexcept { return s_ != nullptr && s_->done(); }
  /// Whether it was cancelled.
  bool cancelled() const noexcept { return s_ != nullptr && s_->cancelled(); }

  /// The value (a reference; the future keeps it). Rethrows the exception,
  /// throws cancelled_error if cancelled, invalid_state_error before done or
  /// after a co_await took the value.
  decltype(auto) result() {
    check_valid();
    return s_->peek();
  }

  /// Blocks the calling thread until the future is done, then returns the
  /// value (moved out, like co_await) or throws its exception
  /// (cancelled_error if cancelled). For plain threads that drive troupe
  /// from outside — an existing program asking an actor. On a reactor
  /// thread it throws std::logic_error instead of deadlocking: co_await the
  /// future there. The runtime must outlive the wait.
  T get() {
    check_valid();
    detail::block_until_done(*s_);
    return s_->take();
  }

  /// The exception (null if it has a value). Throws invalid_state_error
  /// before done and cancelled_error if cancelled.
  std::exception_ptr exception() {
    check_valid();
    if (!s_->done()) s_->throw_not_done("exception()");
    if (s_->kind_ == detail::result_kind::cancelled) s_->throw_cancelled();
    s_->retrieved_ = true;
    return s_->error_;
  }

  /// Completes this future as cancelled now and sends a cancel to the
  /// producer: a queued request is dropped unrun, a suspended handler gets
  /// cancelled_error. Returns false if it was already done.
  bool cancel() noexcept { return s_ != nullptr && s_->cancel(); }

  /// Calls `f(future<T>&)` on this reactor once the future is done (soon,
  /// if it already is). The reference is valid during the call only.
  template <class F>
    requires std::is_invocable_v<F&, future<T>&>
  void add_done_callback(F f) {
    check_valid();
    auto* node = new detail::callback_node<T, F>(s_, std::move(f));
    node->home_ = detail::current_reactor;
    if (node->home_ == nullptr) {
      delete node;
      throw std::logic_error("troupe::future::add_done_callback outside a reactor thread");
    }
    if (!s_->add_waiter(node)) node->home_->post(node);
  }

  detail::future_awaiter<T> operator co_await() & noexcept { return detail::future_awaiter<T>(s_); }
  detail::future_awaiter<T> operator co_await() && noexcept { return detail::future_awaiter<T>(s_); }

  /// The shared state (troupe internals).
  detail::future_state<T>* state() const noexcept { return s_; }

 private:
  friend future<T> detail::adopt_future<T>(detail::future_state<T>*) noexcept;
  explicit future(detail::future_state<T>* s) noexcept : s_(s) {}

  void check_valid() const {
    if (s_ == nullptr) throw invalid_state_error("use of an empty troupe::future");
  }
  void reset() noexcept {
    if (s_ != nullptr) std::exchange(s_, nullptr)->release();
  }

  detail::future_state<T>* s_ = nullptr;
};

namespace detail {

/// Wraps a state whose consumer reference the caller already counted.
template <class T>
future<T> adopt_future(future_state<T>* s) noexcept {
  return future<T>(s);
}

template <class T, class F>
void callback_node<T, F>::run_it(runnable* r) noexcept {
  auto* self = static_cast<callback_node*>(r);
  future<T> view = adopt_future(self->state_);  // takes over the node's reference
  try {
    self->fn_(view);
  } catch (...) {
    report_callback_failure(self->state_->producer_, std::current_exception());
  }
  delete self;
}

}  // namespace detail

}  // namespace troupe
