// troupe/wait_for.hpp — troupe::wait_for: await with a deadline; at the
// deadline the caller gets timeout_error and the work is cancelled
// (asyncio.wait_for / asyncio.timeout).
#pragma once

#include <chrono>
#include <concepts>
#include <type_traits>
#include <source_location>
#include <utility>

#include <troupe/create_task.hpp>
#include <troupe/errors.hpp>
#include <troupe/future.hpp>
#include <troupe/gather.hpp>
#include <troupe/task.hpp>
#include <troupe/detail/wait_block.hpp>

namespace troupe {
namespace detail {

[[noreturn]] void throw_timed_out(const state_base& s, std::chrono::nanoseconds after,
                                  const std::source_location& where);

template <class T>
task<T> wait_for_impl(future<T> f, std::chrono::nanoseconds d, std::source_location where) {
  if (!f.valid()) throw_empty_future("troupe::wait_for");
  block_ref block({f.state()});
  const time_point deadline = current_reactor->now() + std::chrono::duration_cast<clock_type::duration>(d);
  // The work carries the deadline: what it asks meanwhile inherits it, and a
  // request still queued when it passes is dropped unrun.
  if (f.state()->on_deadline_ != nullptr && !f.done()) f.state()->on_deadline_(f.state(), deadline, where);
  auto waiting = block->until(1, false, deadline);
  try {
    co_await waiting;
  } catch (const cancelled_error&) {
    f.state()->cancel(cancel_cause::caller);  // propagate down
    throw;
  }
  if (waiting.timed_out()) {
    // The work is cancelled, not abandoned. Usually that completes it at
    // once; an I/O operation completes when Asio has let go of its buffers,
    // and a result published right now from another reactor is waited for.
    const bool cancelled = f.state()->cancel(cancel_cause::timeout);
    if (!f.done()) co_await block->until(1);
    // A result that arrived in the same turn as the deadline wins (a value
    // taken from a queue must not be lost).
    if (cancelled && f.state()->cancelled()) throw_timed_out(*f.state(), d, where);
  }
  co_return f.state()->take();
}

/// An awaiter (something with await_ready/await_suspend/await_resume).
template <class A>
concept direct_awaiter = requires(A& a) {
  { a.await_ready() } -> std::convertible_to<bool>;
  a.await_resume();
};

template <class A>
using awaiter_result_t = decltype(std::declval<A&>().await_resume());

template <class A>
task<awaiter_result_t<A>> await_as_task(A a) {
  co_return co_await a;
}

}  // namespace detail

/// Awaits `f` for at most `d`. At the deadline it cancels the operation (an
/// ask's handler sees cancelled_error, a queued request is dropped) and
/// throws timeout_error naming the operation, the duration and where the
/// deadline was set. Cancelling the awaiting task cancels the operation too.
/// Reactor threads only.
template <class T, class Rep, class Period>
task<T> wait_for(future<T>&& f, std::chrono::duration<Rep, Period> d,
                 std::source_location where = std::source_location::current()) {
  if (detail::current_reactor == nullptr) detail::throw_no_reactor("troupe::wait_for");
  return detail::wait_for_impl<T>(std::move(f), std::chrono::duration_cast<std::chrono::nanoseconds>(d),
                                  where);
}
template <class T, class Rep, class Period>
task<T> wait_for(future<T>& f, std::chrono::duration<Rep, Period> d,
                 std::source_location where = std::source_location::current()) {
  return troupe::wait_for(std::move(f), d, where);
}
/// A task is started (as with create_task) and awaited with the deadline.
template <class T, class Rep, class Period>
task<T> wait_for(task<T>&& t, std::chrono::duration<Rep, Period> d,
                 std::source_location where = std::source_location::current()) {
  return troupe::wait_for(create_task(std::move(t)), d, where);
}

/// Any other awaiter that has not been awaited yet (`queue::get()`,
/// `semaphore::acquire()`, `event::wait()` ...) is moved into a task and
/// awaited under the deadline; at the deadline that task is cancelled, so a
/// timed-out get takes no item and a timed-out acquire holds no permit.
template <class A, class Rep, class Period>
  requires detail::direct_awaiter<std::remove_cvref_t<A>> &&
           std::move_constructible<std::remove_cvref_t<A>> &&
           (!detail::is_future_v<std::remove_cvref_t<A>>)
task<detail::awaiter_result_t<std::remove_cvref_t<A>>> wait_for(
    A&& a, std::chrono::duration<Rep, Period> d,
    std::source_location where = std::source_location::current()) {
  return troupe::wait_for(
      create_task(detail::await_as_task(std::remove_cvref_t<A>(std::forward<A>(a)))), d, where);
}

}  // namespace troupe
