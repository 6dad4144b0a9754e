// troupe/detail/messages.hpp — the envelopes behind ask and tell: the copied
// arguments, the handler call, and (for ask) the reply state, in one
// allocation.
#pragma once

#include <coroutine>
#include <exception>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include <troupe/detail/actor_cell.hpp>
#include <troupe/detail/future_state.hpp>
#include <troupe/detail/handler_traits.hpp>
#include <troupe/detail/task_root.hpp>
#include <troupe/detail/type_name.hpp>
#include <troupe/task.hpp>

namespace troupe {
class actor;
}

namespace troupe::detail {

std::exception_ptr make_actor_stopped(const message& m);
std::exception_ptr make_wrong_actor(const message& m);
std::exception_ptr make_expired(const message& m, time_point now);
void report_expired_tell(const message& m) noexcept;
void report_dead_letter(const message& m) noexcept;
/// Trace: a handler ended (`kind` how; for an ask also its reply).
void trace_finished(const message& m, result_kind kind, const std::exception_ptr& e,
                    bool ask = true) noexcept;
/// Trace: an ask rejected unrun (`reason`), and the reply that says so.
void trace_rejected(const message& m, const char* reason, result_kind kind,
                    const std::exception_ptr& e) noexcept;

/// The handler's object, or null when an untyped ref names a handler of a
/// class this actor is not.
template <class C, class RefType>
C* resolve_object(actor* obj) noexcept {
  if constexpr (std::is_base_of_v<C, RefType>)
    return static_cast<RefType*>(obj);
  else
    return dynamic_cast<C*>(obj);
}

template <auto M, class RefType>
struct message_base : message {
  using traits = member_traits<decltype(M)>;
  using class_type = typename traits::class_type;
  typename traits::stored_args args_;

  template <class... Args>
  message_base(actor_cell* cell, Args&&... args) : args_(std::forward<Args>(args)...) {
    actor_ = cell;
    actor_type_ = cell->type_name();
    actor_id_ = cell->id();
    name_ = handler_name<M>();
    id_ = next_request_id();
    inherit(*this, current_context);
  }

  /// Starts a coroutine handler as a root whose end `root` is told about;
  /// the actor takes no other message until then.
  template <class Handle>
  void start_coroutine(Handle& h, class_type* obj, root_hook* root) {
    h = call(obj).release();
    h.promise().root_ = root;
    actor_->handler_suspended(this);
    h.resume();
  }

  decltype(auto) call(class_type* obj) {
    return std::apply(
        [obj](auto&... a) -> decltype(auto) { return (obj->*M)(std::move(a)...); }, args_);
  }
};

template <auto M, class RefType>
class ask_message final : public message_base<M, RefType>,
                          public future_state<reply_t<M>>,
                          public root_hook {
  using base = message_base<M, RefType>;
  using reply = reply_t<M>;
  using state = future_state<reply>;

 public:
  template <class... Args>
  explicit ask_message(actor_cell* cell, Args&&... args)
      : base(cell, std::forward<Args>(args)...), state(&destroy, 2) {
    this->op_ = &op;
    this->on_cancel_ = &on_cancel;
    this->on_deadline_ = &on_deadline;
    state::producer_ = this;
  }

  void task_finished() noexcept override {
    complete_from<reply>(*this, *this, handle_.promise());
    if (tracing()) [[unlikely]]
      trace_finished(*this, this->kind_, this->error_);
    std::exchange(handle_, {}).destroy();
    actor_cell* cell = this->actor_;
    cell->home().forget_context(this);
    cell->handler_done();
    state::release();
  }

 private:
  static void op(message* m, bool deliver) noexcept {
    auto* self = static_cast<ask_message*>(m);
    if (!deliver) {
      // Stopped by troupe::run's shutdown: cancelled, like every other
      // operation left then. Stopped otherwise: the caller must hear why.
      if (self->actor_->home().closing())
        self->finish_cancelled();
      else
        self->fail(make_actor_stopped(*self));
      if (tracing()) [[unlikely]]
        trace_rejected(*self, "stopped", self->kind_, self->error_);
      self->state::release();
      return;
    }
    if (self->claimed()) {  // cancelled while queued: dropped unrun
      if (tracing()) [[unlikely]]
        trace_dead_letter(*self, "cancelled");
      self->state::release();
      return;
    }
    if (self->cancel_pending_ || self->cancel_always_) {  // its producer-side cancel came first
      self->finish_cancelled();
      if (tracing()) [[unlikely]]
        trace_rejected(*self, "cancelled", self->kind_, self->error_);
      self->state::release();
      return;
    }
    if (has_deadline(*self) && self->deadline_ <= self->actor_->home().now()) {
      self->fail(make_expired(*self, self->actor_->home().now()));  // dropped unrun
      if (tracing()) [[unlikely]]
        trace_rejected(*self, "expired", self->kind_, self->error_);
      self->actor_->home().forget_context(self);
      self->state::release();
      return;
    }
    auto* obj = resolve_object<typename base::class_type, RefType>(self->actor_->object());
    if (obj == nullptr) {
      self->fail(make_wrong_actor(*self));
      self->state::release();
      return;
    }
    current_context = self;
    if (tracing()) [[unlikely]]
      trace_start(*self, self->actor_->queued());
    try {
      if constexpr (is_coroutine_handler<M>) {
        self->start_coroutine(self->handle_, obj, self);  // task_finished releases when it ends
        return;
      } else if constexpr (std::is_void_v<reply>) {
        self->call(obj);
        self->succeed();
      } else {
        self->succeed(self->call(obj));
      }
    } catch (...) {
      self->fail(std::current_exception());
    }
    if (tracing()) [[unlikely]]
      trace_finished(*self, self->kind_, self->error_);
    self->actor_->home().forget_context(self);
    self->state::release();
  }

  static void on_cancel(state_base* s, cancel_cause cause) noexcept {
    auto* self = static_cast<ask_message*>(static_cast<state*>(s));
    deliver_cancel(self->actor_->home(), *self, *s, cause);
  }
  static void on_deadline(state_base* s, time_point d, const std::source_location& where) noexcept {
    auto* self = static_cast<ask_message*>(static_cast<state*>(s));
    deliver_deadline(self->actor_->home(), *self, *s, d, where);
  }
  static void destroy(state_base* s) noexcept {
    delete static_cast<ask_message*>(static_cast<state*>(s));
  }

  typename task<reply>::handle_type handle_;
};

template <auto M, class RefType>
class tell_message final : public message_base<M, RefType>, public root_hook {
  using base = message_base<M, RefType>;

 public:
  template <class... Args>
  explicit tell_message(actor_cell* cell, Args&&... args)
      : base(cell, std::forward<Args>(args)...) {
    this->op_ = &op;
  }

  void task_finished() noexcept override {
    std::exception_ptr e = handle_.promise().error_;
    std::exchange(handle_, {}).destroy();
    actor_cell* cell = this->actor_;
    cell->home().forget_context(this);
    const bool own_cancel = e && is_own_cancellation(*this, e);
    if (tracing()) [[unlikely]]
      trace_finished(*this, !e ? result_kind::value : own_cancel ? result_kind::cancelled
                                                                 : result_kind::error, e, false);
    if (e && !own_cancel) cell->handler_failed(this->name_, e);
    cell->handler_done();
    delete this;
  }

 private:
  static void op(message* m, bool deliver) noexcept {
    auto* self = static_cast<tell_message*>(m);
    if (!deliver) {
      if (tracing()) [[unlikely]]
        trace_dead_letter(*self, "stopped");
      report_dead_letter(*self);
      delete self;
      return;
    }
    actor_cell* cell = self->actor_;
    if (has_deadline(*self) && self->deadline_ <= cell->home().now()) {
      if (tracing()) [[unlikely]]
        trace_dead_letter(*self, "expired");
      report_expired_tell(*self);
      delete self;
      return;
    }
    auto* obj = resolve_object<typename base::class_type, RefType>(cell->object());
    if (obj == nullptr) {
      cell->handler_failed(self->name_, make_wrong_actor(*self));
      delete self;
      return;
    }
    current_context = self;
    if (tracing()) [[unlikely]]
      trace_start(*self, cell->queued());
    try {
      if constexpr (is_coroutine_handler<M>) {
        self->start_coroutine(self->handle_, obj, self);  // task_finished deletes it when it ends
        return;
      } else {
        self->call(obj);
        if (tracing()) [[unlikely]]
          trace_finished(*self, result_kind::value, nullptr, false);
      }
    } catch (...) {
      if (tracing()) [[unlikely]]
        trace_finished(*self, result_kind::error, std::current_exception(), false);
      cell->handler_failed(self->name_, std::current_exception());
    }
    cell->home().forget_context(self);
    delete self;
  }

  typename task<reply_t<M>>::handle_type handle_;
};

}  // namespace troupe::detail
