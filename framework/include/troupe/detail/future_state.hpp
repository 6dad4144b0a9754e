// troupe/detail/future_state.hpp — the state a future shares with whatever
// completes it (a message, a task root). One atomic word holds "claimed",
// "done" and the list of waiters, so completion from another reactor needs no
// lock, and a cancel racing a reply has exactly one winner.
#pragma once

#include <atomic>
#include <cstdint>
#include <exception>
#include <optional>
#include <source_location>
#include <string_view>
#include <type_traits>
#include <utility>

#include <troupe/detail/context.hpp>
#include <troupe/detail/reactor_core.hpp>
#include <troupe/detail/runnable.hpp>

namespace troupe::detail {

/// Something waiting for a future: scheduled on `home_` when it completes
/// (run at once, on the completing thread, when `home_` is null).
struct completion_node : runnable {
  reactor_core* home_ = nullptr;
  completion_node* next_waiter_ = nullptr;
  using runnable::runnable;
};

enum class result_kind : std::uint8_t { pending, value, error, cancelled };

/// The part of a future's state that does not depend on T.
class state_base {
 public:
  using destroy_fn = void (*)(state_base*) noexcept;
  using cancel_fn = void (*)(state_base*, cancel_cause) noexcept;
  using deadline_fn = void (*)(state_base*, time_point, const std::source_location&) noexcept;

  explicit state_base(destroy_fn destroy, std::uint32_t refs = 2) noexcept
      : refs_(refs), destroy_(destroy) {}
  state_base(const state_base&) = delete;
  state_base& operator=(const state_base&) = delete;

  bool done() const noexcept { return (word_.load(std::memory_order_acquire) & done_bit) != 0; }
  bool claimed() const noexcept {
    return (word_.load(std::memory_order_acquire) & claimed_bit) != 0;
  }
  bool cancelled() const noexcept { return done() && kind_ == result_kind::cancelled; }

  /// Wins the right to complete this state; false if someone else did.
  bool try_claim() noexcept {
    return (word_.fetch_or(claimed_bit, std::memory_order_acq_rel) & claimed_bit) == 0;
  }

  /// After a successful claim and the result written: marks done and
  /// schedules every waiter on its own reactor, in registration order.
  void publish() noexcept {
    const std::uintptr_t old =
        word_.exchange(claimed_bit | done_bit, std::memory_order_acq_rel);
    completion_node* n = reinterpret_cast<completion_node*>(old & ~flag_mask);
    completion_node* ordered = nullptr;
    while (n != nullptr) {
      completion_node* next = n->next_waiter_;
      n->next_waiter_ = ordered;
      ordered = n;
      n = next;
    }
    while (ordered != nullptr) {
      completion_node* next = ordered->next_waiter_;
      if (ordered->home_ != nullptr)
        ordered->home_->post(ordered);
      else
        ordered->run();  // a plain thread blocked in get(): wake it from here
      ordered = next;
    }
  }

  /// Registers `n`; false if the state is already done (nothing registered).
  bool add_waiter(completion_node* n) noexcept {
    std::uintptr_t w = word_.load(std::memory_order_acquire);
    do {
      if ((w & done_bit) != 0) return false;
      n->next_waiter_ = reinterpret_cast<completion_node*>(w & ~flag_mask);
    } while (!word_.compare_exchange_weak(
        w, reinterpret_cast<std::uintptr_t>(n) | (w & flag_mask), std::memory_order_acq_rel,
        std::memory_order_acquire));
    return true;
  }

  /// Completes as cancelled from the consumer's side, then tells the
  /// producer. False if the state was already completed (or completing).
  bool cancel(cancel_cause cause = cancel_cause::caller) noexcept {
    if (cancel_waits_) {
      // The producer holds the consumer's memory (an I/O buffer) until its
      // operation lets go: it completes the state itself, as cancelled.
      if (done()) return false;
      on_cancel_(this, cause);
      return true;
    }
    if (!try_claim()) return false;
    kind_ = result_kind::cancelled;
    publish();
    if (on_cancel_ != nullptr) on_cancel_(this, cause);
    return true;
  }

  /// Asks the producer to stop and lets it complete this state itself once
  /// it has unwound (structured concurrency waits for that). A state whose
  /// producer cannot be reached is cancelled at once. False if already done.
  bool cancel_producer(cancel_cause cause) noexcept {
    if (done()) return false;
    if (on_cancel_ == nullptr) return cancel(cause);
    on_cancel_(this, cause);
    return true;
  }

  /// Completes as cancelled from the producer's side (its own work was
  /// cancelled and unwound); nothing is sent back to it.
  bool finish_cancelled() noexcept {
    if (!try_claim()) return false;
    kind_ = result_kind::cancelled;
    publish();
    return true;
  }

  /// Completes with an exception unless already claimed.
  bool fail(std::exception_ptr e) noexcept {
    if (!try_claim()) return false;
    error_ = std::move(e);
    kind_ = result_kind::error;
    publish();
    return true;
  }

  void add_ref() noexcept { refs_.fetch_add(1, std::memory_order_relaxed); }
  void release() noexcept {
    if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      if (kind_ == result_kind::error && !retrieved_) report_never_retrieved();
      destroy_(this);
    }
  }

  /// Throws what a consumer gets for a cancelled or failed state.
  [[noreturn]] void throw_cancelled() const;
  void rethrow_if_failed() {
    if (kind_ == result_kind::cancelled) throw_cancelled();
    if (kind_ == result_kind::error) {
      retrieved_ = true;
      std::rethrow_exception(error_);
    }
  }
  [[noreturn]] void throw_not_done(std::string_view what) const;
  [[noreturn]] void throw_taken() const;

  const context* producer_ = nullptr;  // names the work in error messages
  cancel_fn on_cancel_ = nullptr;  // tells the producer the consumer cancelled
  deadline_fn on_deadline_ = nullptr;  // tells the producer a deadline it must meet
  std::exception_ptr error_;
  result_kind kind_ = result_kind::pending;
  bool retrieved_ = false;  // the error was looked at by someone
  bool cancel_waits_ = false;  // cancel() asks the producer; it completes the state
  bool taken_ = false;      // the value was moved out by co_await

 protected:
  ~state_base() = default;

 private:
  void report_never_retrieved() const noexcept;

  static constexpr std::uintptr_t claimed_bit = 1;
  static constexpr std::uintptr_t done_bit = 2;
  static constexpr std::uintptr_t flag_mask = 3;

  std::atomic<std::uintptr_t> word_{0};
  std::atomic<std::uint32_t> refs_;
  destroy_fn destroy_;
};

/// The typed state: where the value lives.
template <class T>
class future_state : public state_base {
 public:
  using state_base::state_base;

  template <class... U>
  bool succeed(U&&... v) noexcept(std::is_nothrow_constructible_v<T, U&&...>) {
    if (!try_claim()) return false;
    value_.emplace(std::forward<U>(v)...);
    kind_ = result_kind::value;
    publish();
    return true;
  }

  /// The value for result(): a reference, the state keeps it.
  T& peek() {
    if (!done()) throw_not_done("result()");
    rethrow_if_failed();
    if (taken_) throw_taken();
    return *value_;
  }
  /// The value for co_await: moved out; a second take throws.
  T take() {
    if (taken_) throw_taken();
    taken_ = true;
    rethrow_if_failed();
    return std::move(*value_);
  }

 protected:
  ~future_state() = default;

 private:
  std::optional<T> value_;
};

template <>
class future_state<void> : public state_base {
 public:
  using state_base::state_base;

  bool succeed() noexcept {
    if (!try_claim()) return false;
    kind_ = result_kind::value;
    publish();
    return true;
  }
  void peek() {
    if (!done()) throw_not_done("result()");
    rethrow_if_failed();
  }
  void take() {
    if (taken_) throw_taken();
    taken_ = true;
    rethrow_if_failed();
  }

 protected:
  ~future_state() = default;
};

/// Blocks the calling plain thread until `s` is done (future::get). Throws
/// std::logic_error on a reactor thread, where it could never return.
void block_until_done(state_base& s);

/// Delivers a consumer's cancel to the producer context `c` on its reactor
/// (inline on that reactor's thread, else through its inbox; `s` is kept
/// alive meanwhile).
void deliver_cancel(reactor_core& home, context& c, state_base& s, cancel_cause cause) noexcept;

/// Tightens the deadline of producer context `c` (on its reactor; `s` kept
/// alive meanwhile): what it asks and creates from then on inherits it.
void deliver_deadline(reactor_core& home, context& c, state_base& s, time_point deadline,
                      const std::source_location& where) noexcept;

}  // namespace troupe::detail
