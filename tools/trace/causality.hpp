// Who caused what: the tree of requests and tasks that `parent` links, built
// in one pass so that `flow --request` and `follow` can select a subtree
// before a second pass reads its events.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "reader.hpp"

namespace troupe_trace {

/// Requests (send) and tasks (task) by id, with their parent and children,
/// and every task's name. Memory is a few dozen bytes per request.
/// @par Thread Safety One thread at a time.
class causal_index {
 public:
  /// Records `e` if it is a send or a task; ignores other events.
  void add(const event& e);

  /// Whether a send or task with this id was seen.
  bool known(std::uint64_t id) const { return parent_.count(id) != 0; }

  /// The parent of a known request or task (0 for none or unknown).
  std::uint64_t parent_of(std::uint64_t id) const;

  /// The name of task `id`, or nullptr when `id` is not a task.
  const std::string* task_name(std::uint64_t id) const;

  /// `root` and everything it caused, transitively.
  std::unordered_set<std::uint64_t> descendants(std::uint64_t root) const;

  /// The ids `id` caused directly, in the order they were read.
  const std::vector<std::uint64_t>& children(std::uint64_t id) const;

 private:
  std::unordered_map<std::uint64_t, std::uint64_t> parent_;
  std::unordered_map<std::uint64_t, std::vector<std::uint64_t>> children_;
  std::unordered_map<std::uint64_t, std::string> task_names_;
};

}  // namespace troupe_trace
