// troupe/introspection.hpp — troupe::current_task() and troupe::all_tasks()
// (asyncio.current_task / asyncio.all_tasks).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace troupe {

/// What is known about a running task or message handler.
struct task_info {
  std::uint64_t id = 0;            ///< task id, or request id for a handler
  std::string_view name;           ///< "amain", or the handler, "counter::add"
  std::string_view actor_type;     ///< the handling actor's type; empty for a task
  std::uint64_t actor_id = 0;      ///< the handling actor's id; 0 for a task
  std::uint64_t parent = 0;        ///< id of the task or request that started it
  bool cancelling = false;         ///< a cancellation has been requested
  /// The deadline it carries (set by wait_for, or inherited from the request
  /// that started it); time_point::max() when it has none.
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

/// The task or handler running on this thread, or nothing outside one
/// (off a reactor, or in a plain callback). Reactor threads.
std::optional<task_info> current_task();

/// Every task created with create_task (or run) that has not finished on
/// the calling reactor, then every coroutine handler in progress there.
/// Throws std::logic_error off a reactor thread.
std::vector<task_info> all_tasks();

}  // namespace troupe
