// troupe/task.hpp — troupe::task<T>, the lazy coroutine type (asyncio's
// `async def`).
#pragma once

#include <coroutine>
#include <exception>
#include <optional>
#include <source_location>
#include <type_traits>
#include <utility>

#include <troupe/detail/block_cache.hpp>
#include <troupe/errors.hpp>

namespace troupe {

template <class T = void>
class task;

namespace detail {

/// Owns a top-level task frame (create_task, run, a coroutine handler) and
/// is told when the frame reaches its final suspend point.
struct root_hook {
  virtual void task_finished() noexcept = 0;

 protected:
  ~root_hook() = default;
};

struct promise_base {
  // task_promise's default argument is evaluated where the coroutine builds
  // its promise, so it names the coroutine function itself: tasks are named
  // for free.
  explicit promise_base(std::source_location where) noexcept : where_(where) {}

  std::source_location where_;
  std::coroutine_handle<> continuation_;
  root_hook* root_ = nullptr;
  std::exception_ptr error_;
  bool inline_ = false;            // being run from the awaiter's await_suspend
  bool completed_inline_ = false;  // finished before that await_suspend returned
  bool taken_ = false;             // the result was handed out

  void mark_taken() {
    if (taken_) throw invalid_state_error("a troupe::task was awaited twice");
    taken_ = true;
  }

  struct final_awaiter {
    bool await_ready() const noexcept { return false; }
    template <class P>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<P> h) noexcept {
      promise_base& p = h.promise();
      if (p.root_ != nullptr) {
        p.root_->task_finished();  // may destroy the frame
        return std::noop_coroutine();
      }
      if (p.inline_) {
        p.completed_inline_ = true;
        return std::noop_coroutine();
      }
      return p.continuation_;
    }
    void await_resume() const noexcept {}
  };

  // Frames come from the thread's block cache: a task per message or per
  // request must not cost a malloc/free pair.
  static void* operator new(std::size_t n) { return thread_blocks.allocate(n); }
  static void operator delete(void* p, std::size_t n) noexcept { thread_blocks.deallocate(p, n); }

  std::suspend_always initial_suspend() const noexcept { return {}; }
  final_awaiter final_suspend() const noexcept { return {}; }
  void unhandled_exception() noexcept { error_ = std::current_exception(); }
};

template <class T>
struct task_promise : promise_base {
  // Defaulted here, in the constructor the coroutine itself calls, so that
  // the location is the coroutine function's.
  explicit task_promise(std::source_location where = std::source_location::current()) noexcept
      : promise_base(where) {}

  std::optional<T> value_;

  task<T> get_return_object() noexcept;
  template <class U = T>
    requires std::is_convertible_v<U&&, T>
  void return_value(U&& v) {
    value_.emplace(std::forward<U>(v));
  }
  T take() {
    mark_taken();
    if (error_) std::rethrow_exception(error_);
    return std::move(*value_);
  }
};

template <>
struct task_promise<void> : promise_base {
  explicit task_promise(std::source_location where = std::source_location::current()) noexcept
      : promise_base(where) {}

  task<void> get_return_object() noexcept;
  void return_void() const noexcept {}
  void take() {
    mark_taken();
    if (error_) std::rethrow_exception(error_);
  }
};

template <class T>
struct is_task : std::false_type {};
template <class T>
struct is_task<task<T>> : std::true_type {
  using value_type = T;
};

}  // namespace detail

/// A lazy coroutine: nothing runs until it is awaited, passed to
/// `create_task`, or handed to `run`. `[[nodiscard]]`, so a forgotten
/// `co_await` is a compiler warning. Awaiting a task that finishes without
/// suspending continues the caller directly, so loops of ready tasks do not
/// grow the stack. Move-only; a task is awaited at most once.
/// @par Thread Safety
/// A task runs on the reactor that started it; do not share one across threads.
template <class T>
class [[nodiscard]] task {
 public:
  using value_type = T;
  using promise_type = detail::task_promise<T>;
  using handle_type = std::coroutine_handle<promise_type>;

  task() noexcept = default;
  explicit task(handle_type h) noexcept : h_(h) {}
  task(task&& other) noexcept : h_(std::exchange(other.h_, {})) {}
  task& operator=(task&& other) noexcept {
    if (this != &other) {
      if (h_) h_.destroy();
      h_ = std::exchange(other.h_, {});
    }
    return *this;
  }
  task(const task&) = delete;
  task& operator=(const task&) = delete;
  ~task() {
    if (h_) h_.destroy();
  }

  /// Whether this task holds a coroutine.
  bool valid() const noexcept { return static_cast<bool>(h_); }

  struct awaiter {
    handle_type h_;
    bool await_ready() const noexcept { return !h_ || h_.done(); }
    bool await_suspend(std::coroutine_handle<> caller) noexcept {
      promise_type& p = h_.promise();
      p.continuation_ = caller;
      p.inline_ = true;
      h_.resume();
      p.inline_ = false;
      return !p.completed_inline_;
    }
    T await_resume() {
      if (!h_) throw invalid_state_error("co_await of an empty troupe::task");
      return h_.promise().take();
    }
  };

  /// Runs the task and resumes the caller with its result (or exception).
  awaiter operator co_await() && noexcept { return awaiter{h_}; }
  awaiter operator co_await() & noexcept { return awaiter{h_}; }

  /// Gives up ownership of the frame (troupe internals start roots with it).
  handle_type release() noexcept { return std::exchange(h_, {}); }

 private:
  handle_type h_;
};

namespace detail {
template <class T>
task<T> task_promise<T>::get_return_object() noexcept {
  return task<T>(std::coroutine_handle<task_promise<T>>::from_promise(*this));
}
inline task<void> task_promise<void>::get_return_object() noexcept {
  return task<void>(std::coroutine_handle<task_promise<void>>::from_promise(*this));
}
}  // namespace detail

}  // namespace troupe
