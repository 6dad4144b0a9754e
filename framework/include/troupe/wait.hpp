// troupe/wait.hpp — troupe::wait: wait for some or all of a set of futures,
// with an optional timeout, and get them back split into done and pending
// (asyncio.wait).
#pragma once

#include <chrono>
#include <optional>
#include <vector>

#include <troupe/future.hpp>
#include <troupe/gather.hpp>
#include <troupe/task.hpp>
#include <troupe/detail/wait_block.hpp>

namespace troupe {

/// When troupe::wait returns.
enum class return_when {
  first_completed,  ///< as soon as any future is done
  first_exception,  ///< as soon as any fails (or is cancelled), else when all are done
  all_completed,    ///< when every future is done
};

/// The futures given to troupe::wait, split: `done` in completion order,
/// `pending` in input order.
template <class T>
struct wait_result {
  std::vector<future<T>> done;
  std::vector<future<T>> pending;
};

namespace detail {

template <class T>
task<wait_result<T>> wait_impl(std::vector<future<T>> fs, return_when when,
                               std::optional<std::chrono::nanoseconds> timeout) {
  block_ref block(states_of(fs, "troupe::wait"));
  std::optional<time_point> deadline;
  if (timeout) deadline = current_reactor->now() + std::chrono::duration_cast<clock_type::duration>(*timeout);
  const std::size_t target = when == return_when::first_completed ? 1 : fs.size();
  co_await block->until(target, when == return_when::first_exception, deadline);
  wait_result<T> r;
  std::vector<bool> taken(fs.size(), false);
  for (std::uint32_t i : block->order()) {
    r.done.push_back(std::move(fs[i]));
    taken[i] = true;
  }
  for (std::size_t i = 0; i < fs.size(); ++i)
    if (!taken[i]) r.pending.push_back(std::move(fs[i]));
  co_return r;
}


}  // namespace detail

/// Waits until `when` is met or `timeout` passes (no timeout: wait as long as
/// it takes), then hands the futures back as {done, pending}. Never throws
/// for the futures' results and never cancels them (a timeout just returns);
/// cancelling the awaiting task raises cancelled_error. Takes over the futures
/// (an lvalue vector is emptied). Reactor threads only.
template <class T>
task<wait_result<T>> wait(std::vector<future<T>>&& fs, return_when when = return_when::all_completed,
                          std::optional<std::chrono::nanoseconds> timeout = std::nullopt) {
  if (detail::current_reactor == nullptr) detail::throw_no_reactor("troupe::wait");
  return detail::wait_impl<T>(std::move(fs), when, timeout);
}
template <class T>
task<wait_result<T>> wait(std::vector<future<T>>& fs, return_when when = return_when::all_completed,
                          std::optional<std::chrono::nanoseconds> timeout = std::nullopt) {
  return troupe::wait(std::move(fs), when, timeout);
}

}  // namespace troupe
