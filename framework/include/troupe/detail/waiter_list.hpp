// troupe/detail/waiter_list.hpp — the one primitive under queue, semaphore,
// lock and event: a FIFO of parked coroutines guarded by the primitive's
// std::mutex, woken by posting each to its own reactor.
//
// A waiter moves through these states, every change made under the mutex:
//
//   waiting ──grant──▶ granted ──(its reactor runs it)──▶ resumed with what it was granted
//      │                  │
//      │ cancel           │ cancel (before it ran): give_back() passes the
//      ▼                  ▼ grant on, and it raises cancelled_error
//   cancelled          cancelled
//
//   waiting ──close──▶ closed (queue shut down)
//   waiting ──abandon──▶ abandoned (primitive destroyed under it)
//
// A grant or close is decided under the mutex but posted after it is
// released (critical_section does this), so no coroutine ever resumes while
// a primitive's mutex is held, and a waker on another thread only touches the
// waiter's reactor through its inbox.
#pragma once

#include <atomic>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <mutex>

#include <troupe/detail/context.hpp>
#include <troupe/detail/intrusive_list.hpp>
#include <troupe/detail/reactor_core.hpp>
#include <troupe/detail/runnable.hpp>

namespace troupe::detail {

class sync_waiter;
using waiter_list = intrusive_list<sync_waiter>;

/// Waiters granted or closed inside a critical section, posted to their
/// reactors once the mutex is released. Its owner's thread only.
class wake_batch {
 public:
  wake_batch() noexcept = default;
  wake_batch(const wake_batch&) = delete;
  wake_batch& operator=(const wake_batch&) = delete;
  ~wake_batch() { post_all(); }

  void add(sync_waiter* w) noexcept;
  /// Posts every waiter added so far, in the order added. Inline, as most
  /// operations wake no one.
  void post_all() noexcept {
    if (head_ != nullptr) post_each();
  }

 private:
  void post_each() noexcept;

  sync_waiter* head_ = nullptr;
  sync_waiter* tail_ = nullptr;
};

/// A primitive's mutex held for one operation; on leaving it releases the
/// mutex first, then posts the waiters the operation woke.
class critical_section {
 public:
  explicit critical_section(std::mutex& m) : lock_(m) {}
  critical_section(const critical_section&) = delete;
  critical_section& operator=(const critical_section&) = delete;
  ~critical_section() {
    lock_.unlock();
    wakes_.post_all();
  }
  wake_batch& wakes() noexcept { return wakes_; }

 private:
  std::unique_lock<std::mutex> lock_;
  wake_batch wakes_;
};

/// A coroutine parked on a sync primitive. Concrete awaiters derive from it,
/// decide under the mutex whether to wait, and call enqueue() if so.
/// Not copyable or movable: it is linked into lists while parked.
class sync_waiter : public runnable, public cancellable, public list_hook {
 public:
  enum class status : std::uint8_t { idle, waiting, granted, cancelled, closed, abandoned };

  sync_waiter(const sync_waiter&) = delete;
  sync_waiter& operator=(const sync_waiter&) = delete;

  /// Runs on the waiter's reactor (the context's parked suspension).
  void cancel() noexcept final;

  status state() const noexcept { return status_.load(std::memory_order_relaxed); }

  /// Queues the resumption on the waiter's own reactor. Any thread.
  void post_home() noexcept { home_->post(this); }
  sync_waiter* wake_next_ = nullptr;  // wake_batch's link

  // Under the owner's mutex: move from waiting to granted/closed/abandoned,
  // off `list`, and onto `wakes`.
  static void grant_front(waiter_list& list, wake_batch& wakes) noexcept;
  static void grant_all(waiter_list& list, wake_batch& wakes) noexcept;
  static void close_all(waiter_list& list, wake_batch& wakes) noexcept;
  /// For a primitive's destructor: wakes every waiter with invalid_state_error
  /// (naming `what`) and logs the mistake.
  static void abandon_all(waiter_list& list, wake_batch& wakes, const char* what) noexcept;

 protected:
  explicit sync_waiter(std::mutex& m) noexcept : runnable(&resume), mutex_(&m) {}
  /// An awaiter may move before it is awaited (wait_for runs it as a task);
  /// once parked it never moves, so only an idle one is ever moved from.
  sync_waiter(sync_waiter&& other) noexcept
      : runnable(&resume), cancellable(), list_hook(), mutex_(other.mutex_) {}
  ~sync_waiter() = default;

  /// The owner's mutex.
  std::mutex& mutex() const noexcept { return *mutex_; }

  /// With the owner's mutex held: parks the awaiting coroutine at the back
  /// of `list`. Returns false instead (state cancelled) when the context has
  /// a pending cancellation. Throws std::logic_error off a reactor thread;
  /// `what` names the operation.
  bool enqueue(std::coroutine_handle<> h, waiter_list& list, const char* what);

  /// In await_resume, after enqueue: unparks, then throws cancelled_error
  /// (cancelled) or invalid_state_error (abandoned), else returns the state
  /// (granted, or closed for a shut-down queue; idle if it never parked).
  status finish();

  /// Called with the owner's mutex held when the waiter is cancelled after
  /// it was granted but before it resumed: hand the grant to someone else.
  virtual void give_back(wake_batch& wakes) noexcept;

 private:
  static void resume(runnable* r) noexcept;
  void wake(status s, waiter_list& list, wake_batch& wakes) noexcept;

  std::mutex* mutex_;
  waiter_list* list_ = nullptr;
  reactor_core* home_ = nullptr;
  context* context_ = nullptr;
  std::coroutine_handle<> handle_;
  const char* abandoned_by_ = nullptr;
  // Changed under the mutex; atomic so that cancel() can see "abandoned"
  // without locking the mutex of a primitive that no longer exists.
  std::atomic<status> status_{status::idle};
};

}  // namespace troupe::detail
