// troupe/actor.hpp — troupe::actor, the base class of user actors.
#pragma once

#include <cstdint>
#include <exception>
#include <string_view>
#include <type_traits>

#include <troupe/detail/type_name.hpp>

#include <troupe/actor_ref.hpp>
#include <troupe/detail/actor_cell.hpp>

namespace troupe {

class reactor;

/// What an actor does after a tell handler threw.
enum class failure_action {
  resume,  ///< keep handling messages (the default)
  stop,    ///< stop the actor: on_stop runs, queued messages are rejected
};

/// Base class of every actor. Subclass it, give it member functions as
/// handlers (plain, or returning `task<R>`), and `spawn` it. An actor handles
/// one message at a time: while a coroutine handler is suspended, its next
/// message waits. Its state needs no locks.
/// @par Thread Safety
/// Members run on the actor's reactor only; reach an actor through its
/// actor_ref from anywhere else.
class actor {
 public:
  actor() noexcept;
  virtual ~actor();
  actor(const actor&) = delete;
  actor& operator=(const actor&) = delete;

  /// Runs on the actor's reactor before its first message. An exception
  /// stops the actor (logged).
  virtual void on_start() {}
  /// Runs once when the actor stops: stop(), its last reference dropped,
  /// on_failure said stop, or troupe::run shutting down.
  virtual void on_stop() {}
  /// A tell handler (which has nobody to reply to) threw. The default logs
  /// the error with the actor and handler names and resumes.
  virtual failure_action on_failure(std::string_view handler, std::exception_ptr error);

  /// A reference to this actor. `self()` is untyped: it can be told or
  /// asked any handler of this actor, checked on delivery. `self<A>()` is
  /// typed; it throws std::invalid_argument if this actor is not an A.
  template <class A = actor>
    requires std::is_base_of_v<actor, A> || std::is_same_v<A, actor>
  actor_ref<A> self() const {
    if constexpr (!std::is_same_v<A, actor>) {
      if (dynamic_cast<const A*>(this) == nullptr) throw_not_a(detail::type_name<A>());
    }
    return detail::adopt_ref<A>(counted_cell());
  }
  /// Stops this actor once the current handler returns: on_stop runs, and
  /// messages still queued are rejected (asks get actor_stopped, tells are
  /// logged as dead letters). A suspended coroutine handler being stopped
  /// from outside gets cancelled_error. Its reactor's thread only.
  void stop() noexcept;

  /// Process-unique id, as in logs and traces ("counter#7").
  std::uint64_t id() const noexcept;
  /// The actor's type name, e.g. "counter".
  std::string_view type_name() const noexcept;
  /// The reactor this actor lives on.
  reactor& home() const noexcept;

 private:
  detail::actor_cell* counted_cell() const noexcept;
  [[noreturn]] void throw_not_a(std::string_view type) const;

  detail::actor_cell* cell_;
};

}  // namespace troupe
