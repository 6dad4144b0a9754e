// troupe/runtime.hpp — troupe::run(task, options), the entry point (like
// asyncio.run).
#pragma once

#include <utility>

#include <troupe/create_task.hpp>
#include <troupe/detail/runtime.hpp>
#include <troupe/detail/task_root.hpp>
#include <troupe/future.hpp>
#include <troupe/options.hpp>
#include <troupe/task.hpp>

namespace troupe {

/// Starts the runtime, runs `main` on reactor 0 (the calling thread) to
/// completion, and returns its value or rethrows its exception. Before
/// returning it cancels the tasks left, stops every actor, waits for them to
/// unwind, and joins the reactor threads. Throws std::logic_error when
/// called on a reactor thread, std::invalid_argument for options it cannot
/// honour.
template <class T>
T run(task<T> main, const options& opts = {}) {
  if (!main.valid()) detail::throw_empty_task("troupe::run");
  detail::runtime rt(opts);
  auto* root = new detail::task_root<T>(std::move(main));
  future<T> result = detail::adopt_future<T>(root);
  root->start(rt.main());
  rt.drive(*root);
  return result.state()->take();
}

}  // namespace troupe
