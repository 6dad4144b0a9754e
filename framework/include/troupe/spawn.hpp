// troupe/spawn.hpp — troupe::spawn<A>(args...), which creates an actor.
#pragma once

#include <cstddef>
#include <new>
#include <stdexcept>
#include <utility>

#include <troupe/actor.hpp>
#include <troupe/actor_ref.hpp>
#include <troupe/detail/actor_cell.hpp>
#include <troupe/detail/type_name.hpp>

namespace troupe {
namespace detail {

/// A cell and the user's actor in one allocation.
template <class A>
struct cell_of final : actor_cell {
  alignas(A) std::byte storage_[sizeof(A)];

  explicit cell_of(reactor_core& home) noexcept : actor_cell(home, detail::type_name<A>(), &free) {}
  static void free(actor_cell* c) noexcept { delete static_cast<cell_of*>(c); }
};

void register_actor(actor_cell& c) noexcept;

template <class A, class... Args>
actor_ref<A> spawn_in(reactor_core& home, Args&&... args) {
  auto* cell = new cell_of<A>(home);
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
  return detail::spawn_in<A>(*home, std::forward<Args>(args)...);
}

}  // namespace troupe
