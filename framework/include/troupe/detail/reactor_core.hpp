// troupe/detail/reactor_core.hpp — the engine behind troupe::reactor: a run
// queue of ready work, timers, and a cross-thread inbox, driven by one thread
// around one asio::io_context. The inline parts are the hot paths.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include <troupe/detail/context.hpp>
#include <troupe/detail/intrusive_list.hpp>
#include <troupe/detail/runnable.hpp>
#include <troupe/detail/timer_heap.hpp>

namespace asio {
class io_context;
}

namespace troupe::detail {

class runtime;
class actor_cell;
struct task_root_base;

/// Time for options{.clock = clock_kind::virtual_time}: it stands still
/// while any reactor has work and jumps to the next timer when all are idle.
struct virtual_clock {
  time_point base = clock_type::now();
  std::atomic<std::int64_t> elapsed_ns{0};
  std::atomic<std::size_t> idle_reactors{0};
  std::atomic<std::size_t> busy_outside{0};  // to_thread calls in flight hold time still
  time_point now() const noexcept {
    return base + std::chrono::nanoseconds(elapsed_ns.load(std::memory_order_acquire));
  }
};

/// Throws std::logic_error saying `what` was called off a reactor thread.
[[noreturn]] void throw_no_reactor(const char* what);

/// The reactor whose thread this is (null on other threads).
inline thread_local reactor_core* current_reactor = nullptr;

/// What the slow-handler check names when a step overruns.
struct step_label {
  std::string_view name;        // handler or task name
  std::string_view actor_type;  // empty for tasks
  std::uint64_t actor_id = 0;
  std::uint64_t id = 0;         // request or task id
};

class reactor_core {
 public:
  reactor_core(runtime& owner, std::size_t index, std::size_t count);
  ~reactor_core();
  reactor_core(const reactor_core&) = delete;
  reactor_core& operator=(const reactor_core&) = delete;

  std::size_t index() const noexcept { return index_; }
  bool is_current() const noexcept { return current_reactor == this; }
  runtime& owner() const noexcept { return *owner_; }
  asio::io_context& io() noexcept;

  /// Queues `r` to run on this reactor. Its thread only.
  void schedule(runnable* r) noexcept { ready_.push(r); }

  /// Queues `r` to run on this reactor. Any thread: from another thread it
  /// goes through the inbox, with one wake-up per empty→non-empty transition.
  void post(runnable* r) noexcept {
    if (is_current())
      ready_.push(r);
    else
      post_remote(r);
  }
  void post_remote(runnable* r) noexcept;
  /// Whether posts from other threads wait in the inbox, unseen. Any thread.
  bool inbox_pending() const noexcept;

  /// Virtual time: wakes this reactor so that it looks again whether time
  /// can move (something outside the reactors stopped holding it). Any thread.
  void nudge_virtual_time() noexcept;

  /// Drops the reference a message from another reactor held on `cell`
  /// once it is in the mailbox; consecutive ones to the same actor are
  /// dropped together, so the count's cache line does not bounce between
  /// the two threads once per message. Its thread only.
  void release_later(actor_cell* cell) noexcept {
    if (cell == deferred_cell_) {
      ++deferred_count_;
      return;
    }
    flush_releases();
    deferred_cell_ = cell;
    deferred_count_ = 1;
  }
  void flush_releases() noexcept;

  /// References taken ahead on one actor of another reactor, for the
  /// messages this reactor sends it (actor_cell::send_remote): each message
  /// in flight holds one, and a burst takes them in batches that double up
  /// to max_batch, so the count's cache line, which the receiving reactor
  /// writes too, is not taken once per message. Its thread only.
  struct prepaid_refs {
    static constexpr std::uint32_t max_batch = 256;
    actor_cell* cell = nullptr;
    std::uint32_t left = 0;  // taken, not yet handed to a message
    std::uint32_t next = 1;  // the next batch's size
  };
  prepaid_refs& prepaid() noexcept { return prepaid_; }
  /// Gives back the references taken ahead and not used; at the end of each
  /// turn and before the reactor waits, so an actor's lifetime is not held
  /// up by a reactor that sent to it.
  void flush_prepaid() noexcept;

  /// Restarts the slow-step clock: the step running now (a run_in_pool job)
  /// is allowed to hold the reactor.
  void excuse_step() noexcept;

  /// Timers; its thread only.
  void add_timer(timer_node* n);
  bool cancel_timer(timer_node* n) noexcept { return timers_.remove(n); }
  /// The runtime's clock: steady_clock, or the virtual clock. Any thread.
  time_point now() const noexcept { return vclock_ != nullptr ? vclock_->now() : clock_type::now(); }

  /// A process-unique id for a request, task or actor made on this reactor.
  std::uint64_t next_id() noexcept { return ++sequence_ * stride_ + index_; }

  /// Whether troupe::run is shutting this reactor down.
  bool closing() const noexcept { return closing_; }

  /// Live create_task roots and actors on this reactor (introspection, shutdown).
  intrusive_list<task_root_base>& tasks() noexcept { return tasks_; }
  intrusive_list<actor_cell>& actors() noexcept { return actors_; }

  /// Called between steps: logs the step that just ended if it held the
  /// reactor longer than options::slow_handler. One coarse clock read.
  void end_step() noexcept;
  /// Called before a context is freed: it is no longer current, and
  /// end_step can still name it.
  void forget_context(const context* c) noexcept {
    if (current_context != c) return;
    current_context = nullptr;
    if (slow_ns_ != 0) remember_finished(*c);
  }

  /// Load, for placement; read from any thread. Live actors homed here,
  /// and run_in_pool jobs queued or running here.
  std::atomic<std::uint32_t> live_actors_{0};
  std::atomic<std::uint32_t> pool_jobs_{0};

  // The loop, driven by troupe::run (reactor 0) or a pool thread.
  template <class Done>
  void run_until(Done&& done) {
    while (!done()) {
      if (turn() || done()) continue;
      wait();
    }
  }
  void begin_shutdown() noexcept;
  bool quiescent() const noexcept;
  /// After its thread has stopped: runs what reached it late (replies,
  /// cancels, messages to stopped actors); whether anything ran.
  bool drain_leftovers() noexcept;
  void close_io() noexcept;

 private:
  bool turn();  // runs a batch; whether more is ready
  void wait();  // blocks until I/O, an inbox wake-up or the next timer
  void wait_virtual();
  bool poll_inbox(std::int64_t began, time_point until) noexcept;  // whether work came
  void sleep(time_point until);
  void note_wait(std::int64_t ns) noexcept;
  void leave_idle() noexcept;
  friend class runtime;
  void drain_inbox() noexcept;
  void fire_timers() noexcept;
  void report_slow(std::int64_t ns) noexcept;
  std::int64_t step_clock() const noexcept;  // the slow-step check's clock
  void remember_finished(const context& c) noexcept;

  run_queue ready_;
  timer_heap timers_;
  actor_cell* deferred_cell_ = nullptr;
  std::uint32_t deferred_count_ = 0;
  prepaid_refs prepaid_;
  std::int64_t step_start_ = 0;
  std::int64_t slow_ns_ = 0;
  bool coarse_ = true;
  // Polling before sleeping (options::idle_spin), and a running average of
  // how long this reactor's recent waits lasted, which decides whether to.
  std::int64_t spin_ns_ = 0;
  std::int64_t recent_wait_ns_ = 0;
  step_label finished_{};
  bool finished_valid_ = false;
  bool closing_ = false;
  std::uint64_t sequence_ = 0;
  std::uint64_t stride_ = 1;
  std::size_t index_ = 0;
  runtime* owner_ = nullptr;
  intrusive_list<task_root_base> tasks_;
  intrusive_list<actor_cell> actors_;

  // Virtual time: whether this reactor is idle, and its next deadline (ns
  // after the clock's base), published for the reactor that advances time.
  virtual_clock* vclock_ = nullptr;
  std::atomic<bool> virtual_idle_{false};
  std::atomic<std::int64_t> next_due_ns_{0};
  std::atomic<bool> virtual_wake_pending_{false};
  runnable virtual_wake_{[](runnable*) noexcept {}};

  struct engine;  // asio::io_context and the moodycamel inbox
  std::unique_ptr<engine> engine_;
};

std::uint64_t next_outside_request_id() noexcept;
/// A process-unique id for a request made on this thread (reactor or not).
inline std::uint64_t next_request_id() noexcept {
  if (reactor_core* r = current_reactor) return r->next_id();
  return next_outside_request_id();
}

}  // namespace troupe::detail
