#include "causality.hpp"

namespace troupe_trace {

void causal_index::add(const event& e) {
  std::uint64_t id = 0;
  if (e.kind == event_kind::send) {
    id = e.req;
  } else if (e.kind == event_kind::task) {
    id = e.task;
    task_names_.insert_or_assign(e.task, std::string(e.name));
  } else {
    return;
  }
  // A repeated id (a malformed trace) keeps its first parent, so the tree
  // stays a tree.
  if (!parent_.emplace(id, e.parent).second) return;
  if (e.parent != 0 && e.parent != id) children_[e.parent].push_back(id);
}

std::uint64_t causal_index::parent_of(std::uint64_t id) const {
  auto it = parent_.find(id);
  return it == parent_.end() ? 0 : it->second;
}

const std::string* causal_index::task_name(std::uint64_t id) const {
  auto it = task_names_.find(id);
  return it == task_names_.end() ? nullptr : &it->second;
}

const std::vector<std::uint64_t>& causal_index::children(std::uint64_t id) const {
  static const std::vector<std::uint64_t> none;
  auto it = children_.find(id);
  return it == children_.end() ? none : it->second;
}

std::unordered_set<std::uint64_t> causal_index::descendants(std::uint64_t root) const {
  std::unordered_set<std::uint64_t> seen{root};
  std::vector<std::uint64_t> todo{root};
  while (!todo.empty()) {
    const std::uint64_t id = todo.back();
    todo.pop_back();
    for (const std::uint64_t c : children(id))
      if (seen.insert(c).second) todo.push_back(c);
  }
  return seen;
}

}  // namespace troupe_trace
