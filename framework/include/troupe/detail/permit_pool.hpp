// troupe/detail/permit_pool.hpp — counted permits handed to waiters in FIFO
// order: the engine of semaphore, bounded_semaphore and lock. A release
// with tasks waiting passes the permit straight to the first of them, so a
// newcomer can never overtake a waiter.
#pragma once

#include <coroutine>
#include <cstddef>
#include <exception>
#include <mutex>
#include <utility>

#include <troupe/detail/waiter_list.hpp>

namespace troupe::detail {

/// Free permits and the tasks waiting for one, under one mutex. Thread
/// safety as its owners: any thread, waiters resumed on their own reactors.
class permit_pool {
 public:
  explicit permit_pool(std::size_t value) noexcept : value_(value) {}
  permit_pool(const permit_pool&) = delete;
  permit_pool& operator=(const permit_pool&) = delete;

  /// Wakes any waiter left with invalid_state_error; `what` names the owner.
  void abandon(const char* what) noexcept;

  /// Takes a free permit unless none is free or tasks wait. Any thread.
  bool try_take() noexcept;
  /// Returns a permit (to the first waiter, if any). False, and nothing
  /// changes, when no task waits and `bound` permits are already free.
  /// Any thread.
  bool put_back(std::size_t bound) noexcept;

  std::size_t value() const noexcept;
  std::size_t waiting() const noexcept;

  // With mutex_ held.
  bool take_locked() noexcept {
    if (value_ == 0 || !waiters_.empty()) return false;
    --value_;
    return true;
  }
  void put_back_locked(wake_batch& wakes) noexcept {
    if (!waiters_.empty())
      sync_waiter::grant_front(waiters_, wakes);  // the permit passes on; value_ stays 0
    else
      ++value_;
  }

  mutable std::mutex mutex_;
  waiter_list waiters_;
  std::size_t value_;
};

/// Waits for a permit of a pool; `what` names the operation in errors.
class [[nodiscard]] acquire_awaiter final : public sync_waiter {
 public:
  acquire_awaiter(permit_pool& p, const char* what) noexcept
      : sync_waiter(p.mutex_), pool_(&p), what_(what) {}

  bool await_ready() noexcept { return pool_->try_take(); }
  bool await_suspend(std::coroutine_handle<> h);
  void await_resume() { finish(); }

 private:
  void give_back(wake_batch& wakes) noexcept override { pool_->put_back_locked(wakes); }

  permit_pool* pool_;
  const char* what_;
};

void report_guard_failure(const char* what, std::exception_ptr e) noexcept;

/// Gives back what a semaphore or lock granted when it goes out of scope;
/// returned by their `hold()`. Move-only; an empty guard (moved from, or
/// released) does nothing.
template <class Primitive>
class [[nodiscard]] release_guard {
 public:
  release_guard() noexcept = default;
  explicit release_guard(Primitive& p) noexcept : p_(&p) {}
  release_guard(release_guard&& other) noexcept : p_(std::exchange(other.p_, nullptr)) {}
  release_guard& operator=(release_guard&& other) noexcept {
    if (this != &other) {
      reset();
      p_ = std::exchange(other.p_, nullptr);
    }
    return *this;
  }
  release_guard(const release_guard&) = delete;
  release_guard& operator=(const release_guard&) = delete;
  /// Releases, if still held. A release that throws (the primitive was
  /// released behind the guard's back) is logged, not thrown.
  ~release_guard() { reset(); }

  /// Whether this guard still holds a permit.
  bool owns() const noexcept { return p_ != nullptr; }
  explicit operator bool() const noexcept { return owns(); }

  /// Releases now instead of at the end of the scope; throws what the
  /// primitive's release() throws. Does nothing on an empty guard.
  void release() {
    if (p_ != nullptr) std::exchange(p_, nullptr)->release();
  }

 private:
  void reset() noexcept {
    if (p_ == nullptr) return;
    try {
      std::exchange(p_, nullptr)->release();
    } catch (...) {
      report_guard_failure("a troupe release guard", std::current_exception());
    }
  }

  Primitive* p_ = nullptr;
};

/// acquire(), then a guard that releases.
template <class Primitive>
class [[nodiscard]] hold_awaiter {
 public:
  hold_awaiter(Primitive& p, permit_pool& pool, const char* what) noexcept
      : p_(&p), inner_(pool, what) {}

  bool await_ready() noexcept { return inner_.await_ready(); }
  bool await_suspend(std::coroutine_handle<> h) { return inner_.await_suspend(h); }
  [[nodiscard]] release_guard<Primitive> await_resume() {
    inner_.await_resume();
    return release_guard<Primitive>(*p_);
  }

 private:
  Primitive* p_;
  acquire_awaiter inner_;
};

}  // namespace troupe::detail
