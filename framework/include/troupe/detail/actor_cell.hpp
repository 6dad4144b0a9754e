// troupe/detail/actor_cell.hpp — the runtime's side of an actor: its
// mailbox, its scheduling state and its lifetime. Allocated together with the
// user's actor object; outlives it while actor_refs remain.
#pragma once

#include <atomic>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>

#include <troupe/detail/block_cache.hpp>
#include <troupe/detail/context.hpp>
#include <troupe/detail/intrusive_list.hpp>
#include <troupe/detail/reactor_core.hpp>
#include <troupe/detail/runnable.hpp>
#include <troupe/detail/trace.hpp>

namespace troupe {
class actor;
}

namespace troupe::detail {

/// One message in a mailbox: a context (it may run a coroutine handler), a
/// runnable (it may cross reactors through an inbox), and an operation that
/// delivers it to its actor or rejects it because the actor is stopped.
struct message : runnable, context, recycled {
  using op_fn = void (*)(message*, bool deliver) noexcept;
  op_fn op_ = nullptr;
};

class actor_cell : public runnable, public list_hook {
 public:
  using free_fn = void (*)(actor_cell*) noexcept;

  actor_cell(reactor_core& home, std::uint64_t id, std::string_view type_name,
             free_fn free) noexcept;

  /// Sends `m` to this actor from any thread; messages from one sender
  /// arrive in the order sent.
  void send(message* m) noexcept {
    if (home_->is_current())
      enqueue(m);
    else
      send_remote(m);
  }

  /// Its reactor's thread only.
  void enqueue(message* m) noexcept {
    if (stopped_.load(std::memory_order_relaxed)) {
      m->op_(m, false);
      return;
    }
    mailbox_.push(m);
    ++queued_;
    if (state_ == state::idle) become_busy();
  }

  void add_ref() noexcept { refs_.fetch_add(1, std::memory_order_relaxed); }
  /// add_ref unless the count is zero (the actor is being collected).
  bool try_add_ref() noexcept;
  void release(std::uint32_t n = 1) noexcept {
    if (refs_.fetch_sub(n, std::memory_order_acq_rel) == n) last_reference_dropped();
  }

  // Called by coroutine-handler messages around their task.
  void handler_suspended(message* m) noexcept {
    running_ = m;
    state_ = state::suspended;
  }
  void handler_done() noexcept;
  /// A tell handler threw: the actor's failure policy decides.
  void handler_failed(std::string_view handler, std::exception_ptr e) noexcept;

  /// Stops after the current handler; queued messages are rejected.
  void request_stop() noexcept;

  bool stopped() const noexcept { return stopped_.load(std::memory_order_acquire); }
  actor* object() const noexcept { return object_; }
  reactor_core& home() const noexcept { return *home_; }
  std::uint64_t id() const noexcept { return id_; }
  std::string_view type_name() const noexcept { return type_name_; }
  message* running() const noexcept { return running_; }
  /// Messages waiting in the mailbox. Its reactor's thread only.
  std::uint32_t queued() const noexcept { return queued_; }

  actor* object_ = nullptr;  // set by spawn once constructed

 private:
  enum class state : std::uint8_t { idle, scheduled, draining, suspended };

  void enqueue_start() noexcept;
  friend void register_actor(actor_cell& c) noexcept;

  void become_busy() noexcept {
    state_ = state::scheduled;
    refs_.fetch_add(1, std::memory_order_relaxed);
    run_ = &drain_fn;
    home_->schedule(this);
  }
  void send_remote(message* m) noexcept;
  void last_reference_dropped() noexcept;
  void after_drain() noexcept;
  void finish_stop() noexcept;
  static void drain_fn(runnable* r) noexcept;
  static void collect_fn(runnable* r) noexcept;
  static void register_fn(runnable* r) noexcept;

  std::atomic<std::uint32_t> refs_{0};
  std::atomic<bool> stopped_{false};
  state state_ = state::idle;
  bool started_ = false;
  bool stopping_ = false;
  bool in_drain_ = false;
  reactor_core* home_;
  intrusive_fifo<message> mailbox_;
  std::uint32_t queued_ = 0;
  message* running_ = nullptr;  // the coroutine handler in progress
  std::uint64_t id_;
  std::string_view type_name_;
  free_fn free_;

  friend class troupe::actor;
  template <class A>
  friend struct cell_of;
};

/// "what(): ..." of an exception, for logs.
std::string describe(std::exception_ptr e);

/// The cell under construction on this thread, so that actor's constructor
/// can find it (self() works in a user's constructor).
inline thread_local actor_cell* constructing_cell = nullptr;

}  // namespace troupe::detail
