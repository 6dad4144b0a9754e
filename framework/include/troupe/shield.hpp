// troupe/shield.hpp — troupe::shield: a future you can cancel without
// cancelling the operation behind it (asyncio.shield).
#pragma once

#include <utility>

#include <troupe/future.hpp>
#include <troupe/detail/future_state.hpp>
#include <troupe/detail/reactor_core.hpp>

namespace troupe {
namespace detail {

void throw_empty_future(const char* what);

template <class T>
class shield_state final : public future_state<T>, public completion_node {
 public:
  explicit shield_state(future<T>&& inner)
      : future_state<T>(&destroy, 2), completion_node(&fired), inner_(std::move(inner)) {
    this->producer_ = inner_.state()->producer_;  // valid: inner_ lives as long as we do
    home_ = current_reactor;
    if (!inner_.state()->add_waiter(this)) home_->schedule(this);
  }

 private:
  // The inner operation finished: forward its result unless the shield was
  // cancelled. A forwarded error counts as retrieved only once someone looks
  // at the shield's; if nobody wanted it, the inner future logs it.
  static void fired(runnable* r) noexcept {
    auto* self = static_cast<shield_state*>(static_cast<completion_node*>(r));
    future_state<T>* in = self->inner_.state();
    if (!self->claimed()) {
      switch (in->kind_) {
        case result_kind::value:
          try {
            if constexpr (std::is_void_v<T>) {
              in->take();
              self->succeed();
            } else {
              self->succeed(in->take());
            }
          } catch (...) {
            self->fail(std::current_exception());
          }
          break;
        case result_kind::error:
          in->retrieved_ = true;
          self->fail(in->error_);
          break;
        default:
          self->state_base::cancel(cancel_cause::caller);
          break;
      }
    }
    self->release();  // the forwarding reference
  }
  static void destroy(state_base* s) noexcept {
    delete static_cast<shield_state*>(static_cast<future_state<T>*>(s));
  }

  future<T> inner_;
};

}  // namespace detail

/// A new future for the same result: cancelling it (or the task awaiting
/// it) completes it as cancelled but leaves `f`'s operation running.
/// Takes over `f`. Reactor threads only.
template <class T>
future<T> shield(future<T>&& f) {
  if (detail::current_reactor == nullptr) detail::throw_no_reactor("troupe::shield");
  if (!f.valid()) detail::throw_empty_future("troupe::shield");
  return detail::adopt_future<T>(new detail::shield_state<T>(std::move(f)));
}
template <class T>
future<T> shield(future<T>& f) {
  return shield(std::move(f));
}

}  // namespace troupe
