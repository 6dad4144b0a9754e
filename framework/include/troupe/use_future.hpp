// troupe/use_future.hpp — troupe::use_future, an Asio completion token:
// any Asio asynchronous operation started with it returns a troupe::future,
// so actors and tasks co_await real I/O, and cancelling the future (cancel(),
// wait_for, task_group) cancels the operation.
#pragma once

#include <asio/associated_cancellation_slot.hpp>
#include <asio/async_result.hpp>
#include <asio/cancellation_signal.hpp>
#include <asio/cancellation_type.hpp>
#include <asio/error.hpp>
#include <asio/execution/context.hpp>
#include <asio/io_context.hpp>
#include <asio/query.hpp>

#include <atomic>
#include <exception>
#include <stdexcept>
#include <system_error>
#include <tuple>
#include <type_traits>
#include <utility>

#include <troupe/detail/context.hpp>
#include <troupe/detail/future_state.hpp>
#include <troupe/detail/reactor_core.hpp>
#include <troupe/future.hpp>

namespace troupe {

/// The completion token: `co_await sock.async_read_some(buf, troupe::use_future)`.
/// The operation starts at once and its future completes with the handler's
/// value (std::size_t for reads and writes, nothing for connect or a timer
/// wait, several values as a tuple); an error_code other than success is
/// thrown as std::system_error when awaited. Cancelling the future cancels
/// the operation (Asio's terminal cancellation); the future completes as
/// cancelled when Asio reports the operation ended, so a coroutine awaiting
/// it never resumes while the operation can still touch its buffers (one
/// that completed before the cancel took effect keeps its value). The I/O object must run on
/// the calling reactor's io_context (this_reactor().io_context()), so its
/// handler runs on this reactor; otherwise initiation throws std::logic_error.
struct use_future_t {
  constexpr use_future_t() noexcept = default;
};
inline constexpr use_future_t use_future{};

namespace detail {

/// The future's value type for a completion signature's arguments: none
/// (void), one, or a tuple of several, after a leading error_code.
template <class... Args>
struct io_value_of {
  using type = std::tuple<std::decay_t<Args>...>;
};
template <>
struct io_value_of<> {
  using type = void;
};
template <class A>
struct io_value_of<A> {
  using type = std::decay_t<A>;
};
template <class... Args>
struct io_value : io_value_of<Args...> {};
template <class... Args>
struct io_value<std::error_code, Args...> : io_value_of<Args...> {};
template <class... Args>
struct io_value<const std::error_code&, Args...> : io_value_of<Args...> {};

template <class... Args>
using io_value_t = typename io_value<Args...>::type;

[[noreturn]] void throw_foreign_io_object();

/// One Asio operation: its future's state, the cancellation signal bound to
/// its handler, and a context that names it in errors. Two references: the
/// future's and the handler's (a cancel crossing reactors takes a third).
template <class T>
class io_operation final : public future_state<T>, public context, public runnable {
  using state = future_state<T>;

 public:
  explicit io_operation(reactor_core& home) : state(&destroy, 2), home_(&home) {
    name_ = "asio operation (troupe::use_future)";
    id_ = home.next_id();
    inherit(*this, current_context);
    this->producer_ = this;
    this->on_cancel_ = &on_cancel;
    this->cancel_waits_ = true;  // the operation may still write into the caller's buffers
    run_ = &emit_cancel;
  }

  asio::cancellation_slot slot() noexcept { return signal_.slot(); }

  /// The handler ran with `a...`.
  template <class... A>
  void complete(A&&... a) noexcept {
    finish(std::forward<A>(a)...);
    this->state::release();
  }
  /// The handler was destroyed without running (its io_context went away,
  /// or the initiation threw).
  void abandon() noexcept {
    this->finish_cancelled();
    this->state::release();
  }

 private:
  template <class E, class... A>
    requires std::is_same_v<std::decay_t<E>, std::error_code>
  void finish(E&& ec, A&&... a) noexcept {
    if (!ec) {
      succeed_with(std::forward<A>(a)...);
    } else if (ec == asio::error::operation_aborted && cancel_sent_.load()) {
      this->finish_cancelled();  // our own cancel (no-op if the consumer already completed it)
    } else {
      this->fail(std::make_exception_ptr(std::system_error(ec)));
    }
  }
  template <class... A>
  void finish(A&&... a) noexcept {
    succeed_with(std::forward<A>(a)...);
  }
  template <class... A>
  void succeed_with(A&&... a) noexcept {
    try {
      if constexpr (std::is_void_v<T>)
        this->succeed();
      else if constexpr (sizeof...(A) == 1)
        this->succeed(std::forward<A>(a)...);
      else
        this->succeed(T(std::forward<A>(a)...));
    } catch (...) {
      this->fail(std::current_exception());
    }
  }

  // Cancelling the future emits the signal on the reactor that runs the
  // handler (once, however many times cancel is asked for).
  static void on_cancel(state_base* s, cancel_cause) noexcept {
    auto* self = static_cast<io_operation*>(static_cast<state*>(s));
    if (self->cancel_sent_.exchange(true)) return;
    self->state::add_ref();
    if (self->home_->is_current())
      emit_cancel(self);
    else
      self->home_->post(self);
  }
  static void emit_cancel(runnable* r) noexcept {
    auto* self = static_cast<io_operation*>(r);
    self->signal_.emit(asio::cancellation_type::terminal);
    self->state::release();
  }
  static void destroy(state_base* s) noexcept {
    delete static_cast<io_operation*>(static_cast<state*>(s));
  }

  asio::cancellation_signal signal_;
  reactor_core* home_;
  std::atomic<bool> cancel_sent_{false};
};

/// The handler Asio calls: completes the operation, on the reactor thread.
template <class T>
class io_handler {
 public:
  using cancellation_slot_type = asio::cancellation_slot;

  explicit io_handler(io_operation<T>* op) noexcept : op_(op) {}
  io_handler(io_handler&& o) noexcept : op_(std::exchange(o.op_, nullptr)) {}
  io_handler& operator=(io_handler&&) = delete;
  ~io_handler() {
    if (op_ != nullptr) op_->abandon();
  }

  cancellation_slot_type get_cancellation_slot() const noexcept { return op_->slot(); }

  template <class... A>
  void operator()(A&&... a) {
    io_operation<T>* op = std::exchange(op_, nullptr);
    op->slot().clear();
    op->complete(std::forward<A>(a)...);
  }

 private:
  io_operation<T>* op_;
};

}  // namespace detail
}  // namespace troupe

namespace asio {

template <class R, class... Args>
class async_result<troupe::use_future_t, R(Args...)> {
 public:
  using value_type = troupe::detail::io_value_t<Args...>;
  using return_type = troupe::future<value_type>;

  template <class Initiation, class... InitArgs>
  static return_type initiate(Initiation&& init, troupe::use_future_t, InitArgs&&... args) {
    troupe::detail::reactor_core* home = troupe::detail::current_reactor;
    if (home == nullptr) troupe::detail::throw_no_reactor("troupe::use_future");
    if constexpr (requires { init.get_executor(); }) {
      if (&asio::query(init.get_executor(), asio::execution::context) != &home->io())
        troupe::detail::throw_foreign_io_object();
    }
    auto* op = new troupe::detail::io_operation<value_type>(*home);
    return_type result = troupe::detail::adopt_future<value_type>(op);
    std::forward<Initiation>(init)(troupe::detail::io_handler<value_type>(op),
                                   std::forward<InitArgs>(args)...);
    return result;
  }
};

}  // namespace asio
