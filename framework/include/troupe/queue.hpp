// troupe/queue.hpp — troupe::queue<T>, a FIFO between tasks and actors with
// back-pressure (asyncio.Queue, shutdown as in Python 3.13).
#pragma once

#include <coroutine>
#include <cstddef>
#include <deque>
#include <optional>
#include <utility>

#include <troupe/detail/queue_core.hpp>
#include <troupe/detail/waiter_list.hpp>
#include <troupe/errors.hpp>

namespace troupe {

template <class T>
class queue;

/// What a queue is doing right now (Trio's statistics()).
struct queue_statistics {
  std::size_t size = 0;               ///< items held
  std::size_t maxsize = 0;            ///< 0: unbounded
  std::size_t tasks_waiting_put = 0;  ///< tasks parked in put() (queue full)
  std::size_t tasks_waiting_get = 0;  ///< tasks parked in get() (queue empty)
  std::size_t unfinished_tasks = 0;   ///< items put and not yet task_done()
  bool shut_down = false;
};

namespace detail {

template <class T>
class [[nodiscard]] put_awaiter final {
 public:
  put_awaiter(queue<T>& q, T&& item) noexcept(std::is_nothrow_move_constructible_v<T>)
      : q_(&q), item_(std::move(item)) {}
  /// Before it is awaited only (wait_for runs an awaiter as a task).
  put_awaiter(put_awaiter&& other) noexcept(std::is_nothrow_move_constructible_v<T>)
      : q_(other.q_), item_(std::move(other.item_)) {}
  put_awaiter& operator=(put_awaiter&&) = delete;

  bool await_ready() {
    queue_section cs(q_->core_);
    return try_now(cs);
  }
  bool await_suspend(std::coroutine_handle<> h) {
    queue_section cs(q_->core_);
    if (try_now(cs)) return false;
    queue_waiter& w = waiter_.emplace(q_->core_, queue_waiter::kind::put);
    if (!w.enqueue(h, q_->core_.putters_, "troupe::queue::put")) return false;
    parked_ = true;
    q_->core_.waiter_parked(current_reactor);
    return true;
  }
  void await_resume() {
    if (done_) return;
    queue_waiter& w = *waiter_;
    if (parked_) q_->core_.waiter_resumed(w);
    const sync_waiter::status s = w.finish();
    if (s == sync_waiter::status::closed) queue_core::throw_shut_down("troupe::queue::put");
    // Granted: a slot is reserved for this item.
    queue_section cs(q_->core_);
    if (!q_->core_.claim_slot(cs.wakes())) queue_core::throw_shut_down("troupe::queue::put");
    try {
      q_->items_.push_back(std::move(item_));
    } catch (...) {
      q_->core_.return_slot(cs.wakes());
      throw;
    }
    q_->core_.slot_filled();
    q_->core_.added(cs.wakes());
  }

 private:
  bool try_now(queue_section& cs) {
    q_->core_.check_open("troupe::queue::put");
    if (!q_->core_.can_put()) return false;
    q_->items_.push_back(std::move(item_));
    q_->core_.added(cs.wakes());
    done_ = true;
    return true;
  }

  queue<T>* q_;
  T item_;
  bool done_ = false;
  bool parked_ = false;
  std::optional<queue_waiter> waiter_;  // built when the put has to wait
};

template <class T>
class [[nodiscard]] get_awaiter final {
 public:
  explicit get_awaiter(queue<T>& q) noexcept : q_(&q) {}
  /// Before it is awaited only (wait_for runs an awaiter as a task).
  get_awaiter(get_awaiter&& other) noexcept : q_(other.q_) {}
  get_awaiter& operator=(get_awaiter&&) = delete;

  bool await_ready() {
    queue_section cs(q_->core_);
    return try_now(cs);
  }
  bool await_suspend(std::coroutine_handle<> h) {
    queue_section cs(q_->core_);
    if (try_now(cs)) return false;
    queue_waiter& w = waiter_.emplace(q_->core_, queue_waiter::kind::get);
    if (!w.enqueue(h, q_->core_.getters_, "troupe::queue::get")) return false;
    parked_ = true;
    q_->core_.waiter_parked(current_reactor);
    return true;
  }
  T await_resume() {
    if (item_) return std::move(*item_);
    queue_waiter& w = *waiter_;
    if (parked_) q_->core_.waiter_resumed(w);
    const sync_waiter::status s = w.finish();
    if (s == sync_waiter::status::closed) queue_core::throw_shut_down("troupe::queue::get");
    // Granted: an item is reserved for this getter.
    queue_section cs(q_->core_);
    if (q_->core_.discarded_) queue_core::throw_shut_down("troupe::queue::get");
    try {
      item_.emplace(q_->pop_locked(cs.wakes()));
    } catch (...) {
      q_->core_.return_item(cs.wakes());
      throw;
    }
    q_->core_.item_claimed();
    return std::move(*item_);
  }

 private:
  bool try_now(queue_section& cs) {
    if (q_->core_.can_get()) {
      item_.emplace(q_->pop_locked(cs.wakes()));
      return true;
    }
    if (q_->core_.shut_down_) queue_core::throw_shut_down("troupe::queue::get");
    return false;
  }

  queue<T>* q_;
  std::optional<T> item_;
  bool parked_ = false;
  std::optional<queue_waiter> waiter_;  // built when the get has to wait
};

}  // namespace detail

/// A first-in, first-out queue of T between tasks and actors. `put()`
/// suspends while the queue is full (back-pressure), `get()` while it is
/// empty; waiting putters and getters are served in the order they came, and
/// `put_nowait`/`get_nowait` never overtake them. A waiter whose task is
/// cancelled raises cancelled_error and changes nothing: a cancelled get
/// takes no item (one that was being handed to it goes to the next getter
/// or stays first in the queue), a cancelled put adds none.
///
/// `task_done()` and `join()` track processing as in asyncio; `shutdown()`
/// (asyncio 3.13) makes puts raise queue_shut_down, lets gets drain what is
/// left (or drops it, if immediate), then makes them raise too. Not an
/// actor: a plain object to keep in an actor or a task (it must outlive every
/// task waiting on it). T must be move-constructible.
/// @par Thread Safety
/// Every member may be called from any thread, and tasks on different
/// reactors may share one queue: state is guarded by a mutex, held briefly
/// and never while a coroutine runs, and each waiter is resumed on its own
/// reactor. A queue used from one reactor only skips the mutex there until
/// another thread uses it (detail/queue_core.hpp). `put()`, `get()` and
/// `join()` are awaited on reactor threads only (in a task or handler); the
/// `_nowait` calls, `task_done()` and `shutdown()` also work from plain
/// threads.
template <class T>
class queue {
 public:
  using value_type = T;

  /// A queue holding at most `maxsize` items; 0 means unbounded.
  explicit queue(std::size_t maxsize = 0) : core_(maxsize) {}
  /// Wakes the tasks still waiting with invalid_state_error and logs the
  /// mistake: a queue must outlive its waiters.
  ~queue() { core_.abandon(); }
  queue(const queue&) = delete;
  queue& operator=(const queue&) = delete;

  /// Awaitable: appends `item`, first suspending while the queue is full.
  /// Throws queue_shut_down if the queue is (or gets) shut down before the
  /// item is in, cancelled_error if the task is cancelled while it waits (the
  /// item is not put). Reactor threads only; throws std::logic_error elsewhere.
  [[nodiscard]] detail::put_awaiter<T> put(T item) noexcept(
      std::is_nothrow_move_constructible_v<T>) {
    return detail::put_awaiter<T>(*this, std::move(item));
  }

  /// Awaitable yielding the first item, suspending while there is none.
  /// Throws queue_shut_down once the queue is shut down and empty (at once
  /// after an immediate shutdown), cancelled_error if the task is cancelled
  /// while it waits (no item is taken). Reactor threads only.
  [[nodiscard]] detail::get_awaiter<T> get() noexcept { return detail::get_awaiter<T>(*this); }

  /// Appends `item` without waiting. Throws queue_full if there is no room
  /// (or tasks wait to put before it, or a slot just freed is promised to
  /// one of them), queue_shut_down after shutdown. Any thread.
  void put_nowait(T item) {
    detail::queue_section cs(core_);
    core_.check_open("troupe::queue::put_nowait");
    if (!core_.can_put()) core_.throw_full("troupe::queue::put_nowait");
    items_.push_back(std::move(item));
    core_.added(cs.wakes());
  }

  /// Removes and returns the first item without waiting. Throws queue_empty
  /// if there is none (items already promised to waiting getters do not
  /// count), queue_shut_down if shut down and empty. Any thread.
  T get_nowait() {
    detail::queue_section cs(core_);
    if (!core_.can_get()) core_.throw_nothing("troupe::queue::get_nowait");
    return pop_locked(cs.wakes());
  }

  /// Tells the queue that an item taken by get is fully processed; join()
  /// returns once every item put has been. Throws std::logic_error when
  /// called more times than items were put. Any thread.
  void task_done() {
    detail::queue_section cs(core_);
    core_.task_done(cs.wakes());
  }

  /// Awaitable: returns once every item ever put has been task_done()
  /// (at once if none is unfinished). Raises cancelled_error if the task is
  /// cancelled while it waits. Reactor threads only.
  [[nodiscard]] detail::queue_join_awaiter join() noexcept {
    return detail::queue_join_awaiter(core_);
  }

  /// Shuts the queue down: later puts throw queue_shut_down, and so do
  /// tasks waiting in put(); gets return what is left, then throw
  /// queue_shut_down, and tasks waiting in get() get it at once. With
  /// `immediate`, the items left are dropped (each counts as task_done for
  /// join()) and gets throw at once. Calling it again is allowed (to make a
  /// shutdown immediate). Throws only if allocation fails. Any thread.
  void shutdown(bool immediate = false) {
    std::deque<T> dropped;  // destroyed after the section is left
    detail::queue_section cs(core_);
    if (immediate) dropped.swap(items_);
    core_.shut_down(immediate, cs.wakes());
  }

  /// The most items it holds; 0 means unbounded. Any thread.
  std::size_t maxsize() const noexcept { return core_.maxsize_; }
  /// Items held now, including ones handed to getters that have not resumed
  /// yet. Any thread (a snapshot).
  std::size_t size() const noexcept {
    detail::queue_section held(core_);
    return core_.size_;
  }
  /// Whether it holds no item. Any thread (a snapshot).
  bool empty() const noexcept { return size() == 0; }
  /// Whether it holds maxsize items (never, when unbounded). Any thread (a snapshot).
  bool full() const noexcept {
    detail::queue_section held(core_);
    return core_.maxsize_ != 0 && core_.size_ >= core_.maxsize_;
  }
  /// Whether shutdown() was called. Any thread.
  bool is_shut_down() const noexcept {
    detail::queue_section held(core_);
    return core_.shut_down_;
  }
  /// Size, waiting tasks and unfinished items, taken together. Any thread.
  queue_statistics statistics() const noexcept {
    detail::queue_section held(core_);
    return {core_.size_,           core_.maxsize_,    core_.putters_.size(),
            core_.getters_.size(), core_.unfinished_, core_.shut_down_};
  }

 private:
  friend class detail::put_awaiter<T>;
  friend class detail::get_awaiter<T>;

  T pop_locked(detail::wake_batch& wakes) {
    T item = std::move(items_.front());
    items_.pop_front();
    core_.removed(wakes);
    return item;
  }

  detail::queue_core core_;
  std::deque<T> items_;  // guarded as core_ is (queue_section)
};

}  // namespace troupe
