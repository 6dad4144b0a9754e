// troupe/task_group.hpp — troupe::task_group: structured concurrency
// (asyncio.TaskGroup). Children are local tasks or requests to actors; the
// first failure cancels the others; join waits until every child has
// finished unwinding and reports every failure.
#pragma once

#include <coroutine>
#include <cstddef>
#include <exception>
#include <string>
#include <vector>

#include <troupe/create_task.hpp>
#include <troupe/errors.hpp>
#include <troupe/future.hpp>
#include <troupe/task.hpp>
#include <troupe/detail/context.hpp>
#include <troupe/detail/future_state.hpp>
#include <troupe/detail/reactor_core.hpp>

namespace troupe {

/// Every failure of a task_group's children (asyncio's ExceptionGroup), in
/// the order they happened.
class task_group_error : public error {
 public:
  explicit task_group_error(std::vector<std::exception_ptr> errors);
  const std::vector<std::exception_ptr>& errors() const noexcept { return errors_; }

 private:
  std::vector<std::exception_ptr> errors_;
};

namespace detail {

/// The part of a task_group its children's completion nodes point at; it
/// outlives the group object while registrations remain.
class group_state {
 public:
  group_state();
  void watch(state_base* s);  // takes a reference on s
  void cancel_children(cancel_cause cause) noexcept;
  void release() noexcept;

  struct joiner;
  struct child;
  std::vector<child*> children_;  // still running
  std::vector<std::exception_ptr> errors_;
  reactor_core* home_;
  joiner* joiner_ = nullptr;
  std::size_t refs_ = 1;
  bool cancelling_ = false;
  bool joined_ = false;

 private:
  void finished(child& c) noexcept;
};

struct group_state::joiner final : runnable, cancellable {
  group_state* group_;
  std::coroutine_handle<> handle_;
  context* context_ = nullptr;
  bool cancelled_ = false;

  explicit joiner(group_state& g) noexcept : runnable(&resume), group_(&g) {}
  bool await_ready() const noexcept { return group_->children_.empty(); }
  bool await_suspend(std::coroutine_handle<> h) noexcept;
  void await_resume() noexcept;
  void cancel() noexcept override;
  static void resume(runnable* r) noexcept;
};

}  // namespace detail

/// A scope of concurrent children. Start them with `create_task` or hand it
/// requests with `add`; then `co_await group.join()`. If a child fails, the
/// others are cancelled (their handlers see cancelled_error, queued requests
/// are dropped) and join, once every child has unwound, throws
/// task_group_error with every failure. Cancelling the task that joins
/// cancels the children and still waits for them. A group destroyed without
/// join cancels its children and logs that it did.
/// @par Thread Safety
/// Its reactor's thread only; children may run anywhere.
class task_group {
 public:
  /// Throws std::logic_error off a reactor thread.
  task_group();
  ~task_group();
  task_group(const task_group&) = delete;
  task_group& operator=(const task_group&) = delete;

  /// Starts `t` as a child and returns its future (which may be awaited
  /// too; the group keeps its own watch on it).
  template <class T>
  future<T> create_task(task<T> t) {
    future<T> f = troupe::create_task(std::move(t));
    state_->watch(f.state());
    return f;
  }

  /// Makes the operation behind `f` (an ask, a task) a child; gives `f` back.
  template <class T>
  future<T> add(future<T> f) {
    if (!f.valid()) throw invalid_state_error("task_group::add given an empty troupe::future");
    state_->watch(f.state());
    return f;
  }

  /// Children still running.
  std::size_t size() const noexcept { return state_->children_.size(); }

  /// Cancels every child still running (join still waits for them).
  void cancel() noexcept;

  /// Waits until every child has finished; throws task_group_error if any
  /// failed, cancelled_error if the joining task was cancelled.
  [[nodiscard]] task<void> join();

 private:
  detail::group_state* state_;
};

}  // namespace troupe
