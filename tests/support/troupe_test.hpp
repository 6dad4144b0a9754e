// tests/support/troupe_test.hpp — fixtures shared by the suites: run a test
// body as a troupe task, bound a test in time, capture troupe's log.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <troupe/troupe.hpp>

namespace spdlog::sinks {
class sink;
}

namespace troupe_test {

/// Aborts the whole test process, naming the test, if it outlives `limit`:
/// a hang becomes a loud failure instead of a stuck CI job.
class time_limit {
 public:
  explicit time_limit(std::chrono::milliseconds limit, std::string what = current_test_name());
  ~time_limit();
  time_limit(const time_limit&) = delete;
  time_limit& operator=(const time_limit&) = delete;

  static std::string current_test_name();

 private:
  std::mutex mutex_;
  std::condition_variable done_cv_;
  bool done_ = false;
  std::thread watchdog_;
};

/// Options for tests: one reactor unless a test asks for more.
inline troupe::options test_options() { return troupe::options{.reactors = 1}; }

/// Runs `body()` (a callable returning a troupe::task) with troupe::run under
/// a time limit and returns its value. The callable outlives the task, so
/// lambdas may capture.
template <class F>
auto run(F&& body, troupe::options opts = test_options(),
         std::chrono::milliseconds limit = std::chrono::seconds(20)) {
  time_limit guard(limit);
  return troupe::run(body(), opts);
}

/// Replaces troupe's logger with one that records every line, for the life
/// of the object; restores the previous logger afterwards.
class log_capture {
 public:
  log_capture();
  ~log_capture();
  log_capture(const log_capture&) = delete;
  log_capture& operator=(const log_capture&) = delete;

  /// Every line logged so far (message text with its level, "warning: ...").
  std::vector<std::string> lines() const;
  /// How many lines contain every one of `parts`.
  std::size_t count(std::initializer_list<std::string_view> parts) const;
  bool contains(std::initializer_list<std::string_view> parts) const { return count(parts) > 0; }
  /// All lines joined, for failure messages.
  std::string dump() const;

  struct state;

 private:
  std::shared_ptr<state> state_;
  std::shared_ptr<spdlog::logger> previous_;
};

}  // namespace troupe_test
