// troupe/detail/task_root.hpp — the owner of a top-level task frame started
// by create_task or run: it is the task's context, its future's state, and
// an entry in its reactor's list of live tasks.
#pragma once

#include <coroutine>
#include <string_view>
#include <utility>

#include <troupe/detail/block_cache.hpp>
#include <troupe/detail/context.hpp>
#include <troupe/detail/future_state.hpp>
#include <troupe/detail/intrusive_list.hpp>
#include <troupe/detail/reactor_core.hpp>
#include <troupe/detail/trace.hpp>
#include <troupe/task.hpp>

namespace troupe::detail {

/// Completes `s` with how the root task of context `c` ended: cancelled if
/// it unwound from its own cancellation, else its exception or its value.
template <class T>
void complete_from(future_state<T>& s, const context& c, task_promise<T>& p) noexcept {
  if (is_own_cancellation(c, p.error_)) {
    s.finish_cancelled();
  } else if (p.error_) {
    s.fail(p.error_);
  } else {
    try {
      if constexpr (std::is_void_v<T>)
        s.succeed();
      else
        s.succeed(std::move(*p.value_));
    } catch (...) {
      s.fail(std::current_exception());
    }
  }
}



/// How a completed state ended, in the trace's words.
inline const char* outcome_name(result_kind k) noexcept {
  return k == result_kind::value ? "ok" : k == result_kind::error ? "failed" : "cancelled";
}

struct task_root_base : context, list_hook, root_hook, recycled {
  struct start_node : runnable {
    task_root_base* owner_;
    explicit start_node(task_root_base* o) noexcept : runnable(&start_fn), owner_(o) {}
  };
  start_node start_{this};
  reactor_core* home_ = nullptr;
  std::coroutine_handle<> frame_;
  std::source_location where_;

  void attach(reactor_core& home, std::coroutine_handle<> frame, std::source_location where) {
    home_ = &home;
    frame_ = frame;
    where_ = where;
    id_ = home.next_id();
    name_ = where.function_name();  // shortened when shown
    inherit(*this, current_context);
    home.tasks().push_back(this);
    home.schedule(&start_);
    if (tracing()) [[unlikely]]
      trace_task(*this);
  }
  /// Unlinks, destroys the finished frame.
  void detach() noexcept {
    home_->tasks().erase(this);
    home_->forget_context(this);
    std::exchange(frame_, {}).destroy();
  }
  /// Shutdown: cancel, and keep cancelling at every later suspension.
  void cancel_for_shutdown() noexcept { request_cancel(*this, cancel_cause::shutdown, true); }

  static void start_fn(runnable* r) noexcept { static_cast<start_node*>(r)->owner_->first_step(); }
  /// Runs the first step, unless the task was cancelled before it started:
  /// then its body never runs (as in asyncio) and it ends cancelled.
  virtual void first_step() noexcept = 0;

 protected:
  ~task_root_base() = default;
};

template <class T>
class task_root final : public future_state<T>, public task_root_base {
 public:
  explicit task_root(task<T>&& t) noexcept
      : future_state<T>(&destroy, 2), handle_(t.release()) {
    this->on_cancel_ = &on_cancel;
    this->on_deadline_ = &on_deadline;
    this->producer_ = this;
    handle_.promise().root_ = this;
  }

  void start(reactor_core& home) {
    attach(home, handle_, handle_.promise().where_);
  }

  void first_step() noexcept override {
    if (this->claimed() || cancel_always_ || cancel_pending_) {
      this->finish_cancelled();
      if (tracing()) [[unlikely]]
        trace_task_end(*this, "cancelled");
      detach();
      this->release();  // the producer's reference
      return;
    }
    current_context = this;
    frame_.resume();
  }

  void task_finished() noexcept override {
    complete_from<T>(*this, *this, handle_.promise());
    if (tracing()) [[unlikely]]
      trace_task_end(*this, outcome_name(this->kind_));
    detach();
    this->release();  // the producer's reference
  }

 private:
  static void destroy(state_base* s) noexcept {
    delete static_cast<task_root*>(static_cast<future_state<T>*>(s));
  }
  static void on_deadline(state_base* s, time_point d, const std::source_location& where) noexcept {
    auto* self = static_cast<task_root*>(static_cast<future_state<T>*>(s));
    deliver_deadline(*self->home_, *self, *s, d, where);
  }
  static void on_cancel(state_base* s, cancel_cause cause) noexcept {
    auto* self = static_cast<task_root*>(static_cast<future_state<T>*>(s));
    deliver_cancel(*self->home_, *self, *s, cause);
  }

  typename task<T>::handle_type handle_;
};

}  // namespace troupe::detail
