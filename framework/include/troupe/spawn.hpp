// troupe/spawn.hpp — troupe::spawn<A>(args...) and spawn_on<A>(placement,
// args...), which create actors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <stdexcept>
#include <utility>

#include <troupe/actor.hpp>
#include <troupe/actor_ref.hpp>
#include <troupe/detail/actor_cell.hpp>
#include <troupe/detail/type_name.hpp>
#include <troupe/placement.hpp>

namespace troupe {
namespace detail {

/// A cell and the user's actor in one allocation, from the block cache
/// (a fork-join of a million short-lived actors must not cost a million
/// mallocs).
template <class A>
struct cell_of final : actor_cell, recycled {
  alignas(A) std::byte storage_[sizeof(A)];

  cell_of(reactor_core& home, std::uint64_t id) noexcept
      : actor_cell(home, id, detail::type_name<A>(), &free) {}
  static void free(actor_cell* c) noexcept { delete static_cast<cell_of*>(c); }
};

void register_actor(actor_cell& c) noexcept;
/// The reactor `where` names, from the calling reactor's runtime. Throws
/// std::out_of_range for a reactor that does not exist.
reactor_core& choose_reactor(reactor_core& caller, placement where);

/// Constructs A (on the calling thread) and registers it with `home`, here
/// or through home's inbox; on_start and every handler run on home.
template <class A, class... Args>
actor_ref<A> spawn_in(reactor_core& caller, reactor_core& home, Args&&... args) {
  auto* cell = new cell_of<A>(home, caller.next_id());
  cell->add_ref();  // the reference spawn returns; self() in A's constructor works
  actor_cell* const outer = constructing_cell;
  constructing_cell = cell;
  A* obj = nullptr;
  try {
    obj = ::new (static_cast<void*>(cell->storage_)) A(std::forward<Args>(args)...);
  } catch (...) {
    constructing_cell = outer;
    delete cell;
    throw;
  }
  constructing_cell = outer;
  cell->object_ = obj;
  register_actor(*cell);
  if (tracing()) [[unlikely]]
    trace_spawn(*cell);
  return adopt_ref<A>(cell);
}

}  // namespace detail

/// Creates an actor of type A on the calling reactor, constructed from
/// `args`; its on_start runs there before its first message. Throws
/// std::logic_error off a reactor thread, and whatever A's constructor throws.
template <class A, class... Args>
  requires std::is_base_of_v<actor, A>
[[nodiscard]] actor_ref<A> spawn(Args&&... args) {
  detail::reactor_core* home = detail::current_reactor;
  if (home == nullptr) detail::throw_no_reactor("troupe::spawn");
  return detail::spawn_in<A>(*home, *home, std::forward<Args>(args)...);
}

/// Creates an actor of type A on the reactor `where` names —
/// troupe::on_reactor(i), troupe::round_robin or troupe::least_loaded — and
/// returns at once; A's constructor runs here, on the calling thread (so
/// reactor-bound members should use home(), not this_reactor()), and its
/// on_start and every handler on its home reactor. Messages sent before it
/// has started wait in its mailbox. Throws std::logic_error off a reactor
/// thread, std::out_of_range for a reactor index that does not exist, and
/// whatever A's constructor throws.
template <class A, class... Args>
  requires std::is_base_of_v<actor, A>
[[nodiscard]] actor_ref<A> spawn_on(placement where, Args&&... args) {
  detail::reactor_core* caller = detail::current_reactor;
  if (caller == nullptr) detail::throw_no_reactor("troupe::spawn_on");
  detail::reactor_core& home = detail::choose_reactor(*caller, where);
  return detail::spawn_in<A>(*caller, home, std::forward<Args>(args)...);
}

}  // namespace troupe
