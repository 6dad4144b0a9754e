// asyncio-style introspection over a reactor's live task roots and the
// handlers in progress on its actors.

#include <troupe/introspection.hpp>

#include <troupe/detail/actor_cell.hpp>
#include <troupe/detail/reactor_core.hpp>
#include <troupe/detail/task_root.hpp>

namespace troupe::detail {
[[noreturn]] void throw_no_reactor(const char* what);
}

namespace troupe {
namespace {

task_info info_of(const detail::context& c) {
  return task_info{c.id_,       detail::display_name(c), c.actor_type_, c.actor_id_,
                   c.parent_,   c.cause_ != detail::cancel_cause::none, c.deadline_};
}

}  // namespace

std::optional<task_info> current_task() {
  if (const detail::context* c = detail::current_context) return info_of(*c);
  return std::nullopt;
}

std::vector<task_info> all_tasks() {
  detail::reactor_core* r = detail::current_reactor;
  if (r == nullptr) detail::throw_no_reactor("troupe::all_tasks");
  std::vector<task_info> out;
  out.reserve(r->tasks().size());
  r->tasks().for_each([&](detail::task_root_base* t) { out.push_back(info_of(*t)); });
  r->actors().for_each([&](detail::actor_cell* a) {
    if (const detail::message* m = a->running()) out.push_back(info_of(*m));
  });
  return out;
}

}  // namespace troupe
