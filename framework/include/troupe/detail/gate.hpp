// troupe/detail/gate.hpp — a flag that tasks wait to see open: opening it
// wakes every waiter. event is a gate; queue::join waits on one that is open
// while no task is unfinished.
#pragma once

#include <coroutine>
#include <mutex>

#include <troupe/detail/waiter_list.hpp>

namespace troupe::detail {

/// Its owner's mutex guards every member.
struct gate {
  explicit gate(bool open) noexcept : open_(open) {}

  /// Opens and grants every waiter (they return even if it closes again
  /// before they run).
  void open(wake_batch& wakes) noexcept {
    open_ = true;
    sync_waiter::grant_all(waiters_, wakes);
  }
  void close() noexcept { open_ = false; }

  waiter_list waiters_;
  bool open_;
};

/// Waits until a gate is open; `what` names the operation in errors.
class [[nodiscard]] gate_awaiter final : public sync_waiter {
 public:
  gate_awaiter(std::mutex& m, gate& g, const char* what) noexcept
      : sync_waiter(m), gate_(&g), what_(what) {}

  bool await_ready() {
    std::lock_guard held(mutex());
    return gate_->open_;
  }
  bool await_suspend(std::coroutine_handle<> h) {
    std::lock_guard held(mutex());
    if (gate_->open_) return false;
    return enqueue(h, gate_->waiters_, what_);
  }
  void await_resume() { finish(); }

 private:
  gate* gate_;
  const char* what_;
};

}  // namespace troupe::detail
