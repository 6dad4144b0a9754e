// troupe/actor_ref.hpp — troupe::actor_ref<A>, the handle through which
// actors are asked and told.
#pragma once

#include <compare>
#include <cstdint>
#include <string_view>
#include <type_traits>
#include <utility>

#include <troupe/detail/actor_cell.hpp>
#include <troupe/detail/handler_traits.hpp>
#include <troupe/detail/messages.hpp>
#include <troupe/errors.hpp>
#include <troupe/future.hpp>

namespace troupe {

class actor;

template <class A>
class actor_ref;

namespace detail {
template <class A>
actor_ref<A> adopt_ref(actor_cell* c) noexcept;
[[noreturn]] void throw_empty_ref(std::string_view what);
}  // namespace detail

/// A cheap, copyable handle to an actor: ask it (a future reply) or tell it
/// (no reply). Default-constructed it is empty. `actor_ref<actor>` is the
/// untyped form (what `self()` returns): its handlers are checked when the
/// message is delivered instead of at compile time.
/// A may still be incomplete where a ref is only named, stored, copied or
/// destroyed, so an actor can keep an `actor_ref` to its own type as a
/// member; it must derive from troupe::actor where a ref is made from an
/// actor, converted, asked or told.
/// An actor lives while it is referenced or busy; when the last reference
/// goes and its mailbox is empty it is stopped (`on_stop`) and destroyed.
/// @par Thread Safety
/// Any thread may copy, ask and tell; a copy may be passed in messages and
/// kept in other actors.
template <class A>
class actor_ref {
 public:
  actor_ref() noexcept = default;
  actor_ref(const actor_ref& o) noexcept : cell_(o.cell_) {
    if (cell_ != nullptr) cell_->add_ref();
  }
  actor_ref(actor_ref&& o) noexcept : cell_(std::exchange(o.cell_, nullptr)) {}
  template <class B>
    requires(std::is_base_of_v<A, B> && !std::is_same_v<A, B>)
  actor_ref(const actor_ref<B>& o) noexcept : cell_(o.cell()) {
    check_actor_type();
    if (cell_ != nullptr) cell_->add_ref();
  }
  actor_ref& operator=(actor_ref o) noexcept {
    std::swap(cell_, o.cell_);
    return *this;
  }
  ~actor_ref() {
    if (cell_ != nullptr) cell_->release();
  }

  explicit operator bool() const noexcept { return cell_ != nullptr; }
  /// The actor's process-unique id (0 when empty).
  std::uint64_t id() const noexcept { return cell_ != nullptr ? cell_->id() : 0; }
  /// The actor's type name, e.g. "counter".
  std::string_view type_name() const noexcept {
    return cell_ != nullptr ? cell_->type_name() : std::string_view{};
  }
  friend bool operator==(const actor_ref& a, const actor_ref& b) noexcept {
    return a.cell_ == b.cell_;
  }

  /// Sends a request to handler M; the future completes with its reply
  /// (`R`, or `T` when M returns `task<T>`), its exception, actor_stopped if
  /// the actor is or becomes stopped first, or cancelled. Arguments are
  /// converted to M's parameter types and copied into the message here.
  /// Throws invalid_state_error on an empty ref. Any thread.
  template <auto M, class... Args>
    requires detail::handler_pointer<M>
  future<detail::reply_t<M>> ask(Args&&... args) const {
    check_handler<M, Args...>();
    if (cell_ == nullptr) detail::throw_empty_ref(detail::handler_name<M>());
    auto* m = new detail::ask_message<M, A>(cell_, std::forward<Args>(args)...);
    if (detail::tracing()) [[unlikely]]
      detail::trace_send(*m, true);
    cell_->send(m);
    return detail::adopt_future<detail::reply_t<M>>(m);
  }

  /// Sends a message to handler M with no reply. An exception in the handler
  /// goes to the actor's on_failure and the log; a tell to a stopped actor is
  /// logged as a dead letter. Throws invalid_state_error on an empty ref.
  template <auto M, class... Args>
    requires detail::handler_pointer<M>
  void tell(Args&&... args) const {
    check_handler<M, Args...>();
    if (cell_ == nullptr) detail::throw_empty_ref(detail::handler_name<M>());
    auto* m = new detail::tell_message<M, A>(cell_, std::forward<Args>(args)...);
    if (detail::tracing()) [[unlikely]]
      detail::trace_send(*m, false);
    cell_->send(m);
  }

  /// The runtime's cell (troupe internals).
  detail::actor_cell* cell() const noexcept { return cell_; }

 private:
  // Not at class scope: there it would run wherever actor_ref<A> is named,
  // and inside A's own body A is incomplete. Every way a ref comes to point
  // at an actor, and every send, goes through here instead; consteval, so
  // it costs nothing at run time in any build.
  static consteval void check_actor_type() {
    static_assert(std::is_base_of_v<actor, A> || std::is_same_v<A, actor>,
                  "troupe::actor_ref<A>: A must derive from troupe::actor");
  }

  template <auto M, class... Args>
  static constexpr void check_handler() {
    using traits = detail::member_traits<decltype(M)>;
    using C = typename traits::class_type;
    check_actor_type();
    static_assert(std::is_base_of_v<actor, C>,
                  "troupe: a handler must be a member function of a troupe::actor subclass");
    // A that is no actor at all has had its error from check_actor_type.
    static_assert(
        !std::is_base_of_v<actor, A> || std::is_same_v<A, actor> || std::is_base_of_v<C, A>,
        "troupe: this handler belongs to another actor type than the ref's");
    static_assert(traits::arity == sizeof...(Args),
                  "troupe: wrong number of arguments for this handler");
    static_assert(detail::args_fit<typename traits::params, Args...>::value,
                  "troupe: an argument cannot be converted to the handler's parameter type");
    static_assert(detail::params_safe<typename traits::params>::value,
                  "troupe: handler parameters must be values or const references; messages "
                  "are copied, so a non-const reference could never reach the sender");
  }

  friend actor_ref detail::adopt_ref<A>(detail::actor_cell*) noexcept;
  explicit actor_ref(detail::actor_cell* c) noexcept : cell_(c) { check_actor_type(); }

  detail::actor_cell* cell_ = nullptr;
};

namespace detail {
/// Wraps a cell whose reference the caller already counted.
template <class A>
actor_ref<A> adopt_ref(actor_cell* c) noexcept {
  return actor_ref<A>(c);
}
}  // namespace detail

}  // namespace troupe
