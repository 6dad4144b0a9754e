// troupe/detail/blocking_pool.hpp — the threads behind troupe::to_thread:
// blocking calls run here so that no reactor ever blocks. Bounded; threads
// start on demand and live until troupe::run shuts down.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <thread>
#include <vector>

#include <troupe/detail/runnable.hpp>

namespace troupe::detail {

struct virtual_clock;
class reactor_core;

/// A job for the pool: run_() calls it on a pool thread; abandon_ completes
/// it as cancelled without running it (the pool is closing).
struct blocking_job : runnable {
  using abandon_fn = void (*)(blocking_job*) noexcept;
  abandon_fn abandon_ = nullptr;
  const char* what_ = "";  // names it in shutdown reports
};

class blocking_pool {
 public:
  /// `max_threads` > 0. With a virtual clock, a job in flight holds time
  /// still; `wake` is the reactor to nudge when the last one ends.
  blocking_pool(std::size_t max_threads, virtual_clock* vclock, reactor_core& wake) noexcept;
  ~blocking_pool();
  blocking_pool(const blocking_pool&) = delete;
  blocking_pool& operator=(const blocking_pool&) = delete;

  /// Queues `job` (any thread). After close() it is abandoned instead.
  void submit(blocking_job* job) noexcept;
  /// Abandons queued jobs, waits for running ones (reporting every 10 s
  /// while they keep running) and joins the threads.
  void close() noexcept;

  std::size_t max_threads() const noexcept { return max_threads_; }
  /// Threads started so far (for tests and statistics).
  std::size_t threads_started() const;

 private:
  void work() noexcept;
  void finished_one() noexcept;

  mutable std::mutex mutex_;
  std::condition_variable has_work_;
  std::condition_variable idle_;
  run_queue queue_;
  std::vector<std::thread> threads_;
  std::vector<const char*> running_;  // what each busy thread runs, for reports
  std::size_t max_threads_;
  std::size_t waiting_threads_ = 0;
  bool closed_ = false;
  virtual_clock* vclock_;
  reactor_core* wake_;
};

}  // namespace troupe::detail
