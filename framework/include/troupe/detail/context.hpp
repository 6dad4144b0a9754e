// troupe/detail/context.hpp — what a running task or handler carries: who it
// is (for messages and the trace) and how to cancel it where it is parked.
#pragma once

#include <chrono>
#include <cstdint>
#include <source_location>
#include <exception>
#include <string_view>
#include <utility>

namespace troupe::detail {

class actor_cell;
class reactor_core;

/// An await that is parked and can be woken early by cancellation.
/// `cancel` runs on the parked coroutine's reactor and must only schedule
/// the resumption, never resume inline.
struct cancellable {
  virtual void cancel() noexcept = 0;

 protected:
  ~cancellable() = default;
};

/// Why a context was cancelled; picks the text of its cancelled_error.
enum class cancel_cause : std::uint8_t {
  none,
  caller,    // the awaiting side called cancel() on the future
  shutdown,  // troupe::run is closing
  stopping,  // the actor is stopping
  timeout,   // the caller's deadline (wait_for) expired
};

/// The root of one line of execution: a task started with create_task (or
/// by run), or one message being handled. Nested `co_await`s of task<T>
/// share their root's context. Its reactor's thread only.
struct context {
  cancellable* suspension_ = nullptr;  // the await parked right now, if any
  std::uint64_t id_ = 0;               // request id or task id
  std::uint64_t parent_ = 0;           // id of the context that sent/created it
  // Handler name ("counter::add"), or a task's full function signature,
  // shortened only when shown: read it through display_name().
  std::string_view name_;
  actor_cell* actor_ = nullptr;        // the actor handling it, if a message
  std::string_view actor_type_;        // its type and id, copied: the context
  std::uint64_t actor_id_ = 0;         // may outlive the actor
  // The deadline this work must finish by (max: none), inherited by the
  // requests and tasks it starts, and where it was set, for the error.
  std::chrono::steady_clock::time_point deadline_ = std::chrono::steady_clock::time_point::max();
  std::source_location deadline_where_{};
  cancel_cause cause_ = cancel_cause::none;
  bool cancel_pending_ = false;        // deliver at the next suspension
  bool cancel_always_ = false;         // every later suspension raises too
};

/// The context whose code is running on this thread (null outside any).
inline thread_local context* current_context = nullptr;

/// Work started while `parent` runs inherits its deadline (the remaining
/// time is the same absolute deadline) and its id as the causal parent.
inline void inherit(context& child, const context* parent) noexcept {
  if (parent == nullptr) return;
  child.parent_ = parent->id_;
  child.deadline_ = parent->deadline_;
  child.deadline_where_ = parent->deadline_where_;
}

inline bool has_deadline(const context& c) noexcept {
  return c.deadline_ != std::chrono::steady_clock::time_point::max();
}

/// Cancels `c`: wakes its parked await with cancelled_error, or arranges for
/// its next suspension point to raise. `level` makes every later suspension
/// raise as well (shutdown, stopping actor): a task that swallows the error
/// cannot park again. Runs on `c`'s reactor.
inline void request_cancel(context& c, cancel_cause cause, bool level) noexcept {
  if (c.cause_ == cancel_cause::none || level) c.cause_ = cause;
  if (level) c.cancel_always_ = true;
  if (cancellable* s = std::exchange(c.suspension_, nullptr))
    s->cancel();
  else
    c.cancel_pending_ = true;
}

/// At a suspension point: whether the current context must raise
/// cancelled_error instead of parking. Consumes an edge-triggered cancel.
inline bool take_cancel(context* c) noexcept {
  if (c == nullptr) return false;
  if (c->cancel_always_) return true;
  return std::exchange(c->cancel_pending_, false);
}

/// Parks `s` as the current context's cancellable await.
inline void park(context* c, cancellable* s) noexcept {
  if (c != nullptr) c->suspension_ = s;
}
inline void unpark(context* c, cancellable* s) noexcept {
  if (c != nullptr && c->suspension_ == s) c->suspension_ = nullptr;
}

/// Whether `e`, which ended context `c`, is `c`'s own cancellation
/// unwinding (a cancelled_error after `c` was cancelled) rather than a failure.
bool is_own_cancellation(const context& c, const std::exception_ptr& e) noexcept;

/// "amain" from "troupe::task<int> amain()"; a handler name stays as it is.
std::string_view short_function_name(std::string_view signature) noexcept;
inline std::string_view display_name(const context& c) noexcept { return short_function_name(c.name_); }

/// Builds the message of the cancelled_error raised in context `c`.
[[noreturn]] void throw_cancelled(const context* c);

}  // namespace troupe::detail
