// troupe/offload.hpp — work that must not run inline on an actor's reactor:
// troupe::run_in_pool(f) for CPU-bound work (on the least busy reactor of
// the pool) and troupe::to_thread(f) for blocking calls (on a separate,
// bounded pool of blocking threads).
#pragma once

#include <atomic>
#include <cstdint>
#include <exception>
#include <optional>
#include <functional>
#include <type_traits>
#include <utility>

#include <troupe/detail/blocking_pool.hpp>
#include <troupe/detail/context.hpp>
#include <troupe/detail/future_state.hpp>
#include <troupe/detail/runtime.hpp>
#include <troupe/future.hpp>

namespace troupe {
namespace detail {

/// One offloaded call: the callable, the state of its future, and a context
/// naming it ("task troupe::run_in_pool (task 12)") in errors.
template <class F>
class offload_job final : public future_state<std::invoke_result_t<F&>>,
                          public blocking_job,
                          public context {
  using R = std::invoke_result_t<F&>;
  using state = future_state<R>;

 public:
  offload_job(F&& f, const char* what) : state(&destroy, 2), fn_(std::move(f)) {
    what_ = what;
    name_ = what;
    id_ = next_request_id();
    inherit(*this, current_context);
    this->producer_ = this;
    abandon_ = &abandon;
  }

  /// On a pool reactor: runs unless cancelled while queued; the reactor's
  /// slow-step check excuses it (holding the reactor is what it is for).
  static void run_on_reactor(runnable* r) noexcept {
    auto* self = static_cast<offload_job*>(static_cast<blocking_job*>(r));
    reactor_core& home = *current_reactor;
    self->execute(&home.pool_jobs_);
    home.forget_context(self);
    home.excuse_step();
    self->state::release();
  }

  /// On a blocking thread.
  static void run_on_thread(runnable* r) noexcept {
    auto* self = static_cast<offload_job*>(static_cast<blocking_job*>(r));
    self->execute();
    self->state::release();
  }

 private:
  // Runs the call and publishes its result. `jobs` (run_in_pool) is this
  // reactor's job count: it drops before the result is published, so a
  // caller placing its next job at once sees this reactor free again.
  void execute(std::atomic<std::uint32_t>* jobs = nullptr) noexcept {
    if (this->claimed()) {  // cancelled while queued: never runs
      if (jobs != nullptr) jobs->fetch_sub(1, std::memory_order_relaxed);
      return;
    }
    context* const outer = std::exchange(current_context, this);
    std::exception_ptr error;
    std::optional<value_holder> value;
    try {
      if constexpr (std::is_void_v<R>) {
        std::invoke(fn_);
        value.emplace();
      } else {
        value.emplace(value_holder{std::invoke(fn_)});
      }
    } catch (...) {
      error = std::current_exception();
    }
    current_context = outer;
    if (jobs != nullptr) jobs->fetch_sub(1, std::memory_order_relaxed);
    if (error) {
      this->fail(std::move(error));
    } else if constexpr (std::is_void_v<R>) {
      this->succeed();
    } else {
      try {
        this->succeed(std::move(value->v));
      } catch (...) {
        this->fail(std::current_exception());
      }
    }
  }

  struct empty {};
  struct value_holder {
    std::conditional_t<std::is_void_v<R>, empty, R> v;
  };

  static void abandon(blocking_job* j) noexcept {
    auto* self = static_cast<offload_job*>(j);
    self->finish_cancelled();
    self->state::release();
  }
  static void destroy(state_base* s) noexcept {
    delete static_cast<offload_job*>(static_cast<state*>(s));
  }

  F fn_;
};

template <class F>
using offload_result_t = std::invoke_result_t<std::decay_t<F>&>;

/// The calling reactor and a new job for `f`, named `what`; throws
/// std::logic_error off a reactor thread.
template <class F>
std::pair<reactor_core*, offload_job<std::decay_t<F>>*> make_offload_job(F&& f, const char* what) {
  reactor_core* caller = current_reactor;
  if (caller == nullptr) throw_no_reactor(what);
  return {caller, new offload_job<std::decay_t<F>>(std::decay_t<F>(std::forward<F>(f)), what)};
}

}  // namespace detail

/// Runs `f()` on the least busy reactor of the pool (fewest queued jobs,
/// then fewest actors) and returns a future of its result; the awaiting
/// coroutine resumes on its own reactor. With N reactors, N jobs run in
/// parallel. For CPU-bound work: the job holds its reactor while it runs
/// (that reactor's actors wait, and the slow-handler check excuses it), so
/// it must not block on I/O — use to_thread for that. Cancelling the future
/// before the job starts means it never runs; once running it finishes and
/// its result is dropped. `f` is moved into the job. Throws std::logic_error
/// off a reactor thread.
template <class F>
  requires std::is_invocable_v<std::decay_t<F>&>
[[nodiscard]] future<detail::offload_result_t<F>> run_in_pool(F&& f) {
  auto [caller, job] = detail::make_offload_job(std::forward<F>(f), "troupe::run_in_pool");
  job->run_ = &std::remove_pointer_t<decltype(job)>::run_on_reactor;
  detail::reactor_core& target = caller->owner().least_busy();
  target.pool_jobs_.fetch_add(1, std::memory_order_relaxed);
  target.post(job);
  return detail::adopt_future<detail::offload_result_t<F>>(job);
}

/// Runs the blocking call `f()` on one of troupe's blocking threads
/// (options::blocking_threads of them at most; calls beyond that wait their
/// turn) and returns a future of its result, so no reactor blocks — asyncio's
/// to_thread / run_in_executor. Cancelling the future before the call starts
/// means it never runs; a running call cannot be interrupted: it finishes
/// and its result is dropped, and troupe::run waits for it at shutdown.
/// Throws std::logic_error off a reactor thread.
template <class F>
  requires std::is_invocable_v<std::decay_t<F>&>
[[nodiscard]] future<detail::offload_result_t<F>> to_thread(F&& f) {
  auto [caller, job] = detail::make_offload_job(std::forward<F>(f), "troupe::to_thread");
  job->run_ = &std::remove_pointer_t<decltype(job)>::run_on_thread;
  caller->owner().blocking().submit(job);
  return detail::adopt_future<detail::offload_result_t<F>>(job);
}

}  // namespace troupe
