// troupe/detail/runtime.hpp — what troupe::run owns: the reactors, their
// threads, and the shutdown sequence.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <thread>
#include <vector>

#include <troupe/detail/future_state.hpp>
#include <troupe/options.hpp>
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

  /// Runs reactor 0 until `main_task` is done, then shuts everything down.
  void drive(const state_base& main_task);

  /// Virtual time, called by the last reactor to go idle: moves the clock to
  /// the earliest timer of any reactor and wakes the reactors it is due on.
  /// Returns whether `caller` itself has a timer due now.
  bool advance_virtual_time(reactor_core& caller) noexcept;

 private:
  void pool_thread(reactor& r) noexcept;
  void shutdown_reactor(reactor& r) noexcept;
  void stop_pool() noexcept;

  options options_;
  std::unique_ptr<virtual_clock> vclock_;
  std::vector<std::unique_ptr<reactor>> reactors_;
  std::vector<std::thread> threads_;
  std::atomic<bool> stopping_{false};
  reactor_core* outer_reactor_ = nullptr;
};

}  // namespace troupe::detail
