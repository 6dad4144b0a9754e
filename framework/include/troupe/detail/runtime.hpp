// troupe/detail/runtime.hpp — what troupe::run owns: the reactors, their
// threads, and the shutdown sequence.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <thread>
#include <vector>

#include <troupe/detail/blocking_pool.hpp>
#include <troupe/detail/future_state.hpp>
#include <troupe/detail/trace.hpp>
#include <troupe/options.hpp>
#include <troupe/placement.hpp>
#include <troupe/reactor.hpp>

namespace troupe::detail {

class runtime {
 public:
  /// Starts the pool threads; the calling thread becomes reactor 0.
  explicit runtime(const options& opts);
  /// Joins every thread (after drive, or if drive never ran).
  ~runtime();
  runtime(const runtime&) = delete;
  runtime& operator=(const runtime&) = delete;

  reactor& main() noexcept { return *reactors_.front(); }
  std::size_t size() const noexcept { return reactors_.size(); }
  reactor& at(std::size_t i) noexcept { return *reactors_[i]; }
  const options& settings() const noexcept { return options_; }

  /// Placement: the reactor `where` names (spawn_on), and the reactor a
  /// run_in_pool job should go to (fewest jobs, then fewest actors).
  reactor& place(placement where);
  reactor& least_busy() noexcept;

  /// to_thread's blocking threads.
  blocking_pool& blocking() noexcept { return *blocking_; }

  /// Runs reactor 0 until `main_task` is done, then shuts everything down.
  void drive(const state_base& main_task);

  /// Virtual time, called by the last reactor to go idle: moves the clock to
  /// the earliest timer of any reactor and wakes the reactors it is due on.
  /// Returns whether `caller` itself has a timer due now.
  bool advance_virtual_time(reactor_core& caller) noexcept;

 private:
  struct wake_node : runnable {
    wake_node() noexcept : runnable([](runnable*) noexcept {}) {}
  };

  void pool_thread(reactor& r) noexcept;
  void shutdown_reactor(reactor& r) noexcept;
  void mark_quiet(bool quiet) noexcept;
  void wake_all(std::vector<wake_node>& nodes) noexcept;
  void finish() noexcept;
  /// The reactor with the smallest `load` (ties: the next in turn).
  template <class Load>
  reactor& lightest(Load load) noexcept;
  void end_trace() noexcept;

  options options_;
  std::unique_ptr<virtual_clock> vclock_;
  std::vector<std::unique_ptr<reactor>> reactors_;
  std::vector<std::thread> threads_;
  std::unique_ptr<blocking_pool> blocking_;
  trace_recorder* trace_ = nullptr;
  // Shutdown: every running reactor cancels its tasks and stops its actors,
  // then waits until all of them are quiet; only then do threads exit.
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> quiet_{0};
  std::atomic<bool> all_quiet_{false};
  std::size_t running_ = 1;  // reactors with a thread: 0 and the pool's
  bool finished_ = false;
  std::vector<wake_node> stop_wakes_;
  std::vector<wake_node> quiet_wakes_;
  std::atomic<std::size_t> next_turn_{0};  // round robin and tie-breaking
  reactor_core* outer_reactor_ = nullptr;
};

}  // namespace troupe::detail
