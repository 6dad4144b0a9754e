// troupe/create_task.hpp — troupe::create_task(task): run a task
// concurrently, get a future of its result.
#pragma once

#include <utility>

#include <troupe/detail/reactor_core.hpp>
#include <troupe/detail/task_root.hpp>
#include <troupe/future.hpp>
#include <troupe/task.hpp>

namespace troupe {

namespace detail {
[[noreturn]] void throw_empty_task(const char* what);
}  // namespace detail

/// Schedules `t` to run on the calling reactor, concurrently with the
/// caller, and returns a future of its result. Cancelling the future
/// raises cancelled_error in the task at its suspension point. An exception
/// nobody retrieves is logged when the future is dropped. Throws
/// std::logic_error off a reactor thread.
template <class T>
future<T> create_task(task<T> t) {
  detail::reactor_core* home = detail::current_reactor;
  if (home == nullptr) detail::throw_no_reactor("troupe::create_task");
  if (!t.valid()) detail::throw_empty_task("troupe::create_task");
  auto* root = new detail::task_root<T>(std::move(t));
  root->start(*home);
  if (home->closing()) root->cancel_for_shutdown();
  return detail::adopt_future<T>(root);
}

}  // namespace troupe
