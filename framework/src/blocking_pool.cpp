// to_thread's blocking-thread pool.

#include <troupe/detail/blocking_pool.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <string>

#include <troupe/detail/reactor_core.hpp>
#include <troupe/log.hpp>

namespace troupe::detail {
namespace {

constexpr auto report_every = std::chrono::seconds(10);

}  // namespace

blocking_pool::blocking_pool(std::size_t max_threads, virtual_clock* vclock,
                             reactor_core& wake) noexcept
    : max_threads_(max_threads), vclock_(vclock), wake_(&wake) {}

blocking_pool::~blocking_pool() { close(); }

std::size_t blocking_pool::threads_started() const {
  std::lock_guard lock(mutex_);
  return threads_.size();
}

void blocking_pool::submit(blocking_job* job) noexcept {
  std::unique_lock lock(mutex_);
  if (closed_) {
    lock.unlock();
    job->abandon_(job);
    return;
  }
  if (vclock_ != nullptr) vclock_->busy_outside.fetch_add(1, std::memory_order_acq_rel);
  queue_.push(job);
  if (waiting_threads_ == 0 && threads_.size() < max_threads_) {
    try {
      threads_.emplace_back([this] { work(); });
      return;
    } catch (...) {
      // No new thread: the job waits for a running one (there is at least
      // one unless this was the first; then it runs on close at the latest).
      try {
        troupe::logger()->error("troupe::to_thread: could not start a blocking thread ({} "
                                "running); the call waits for a free one",
                                threads_.size());
      } catch (...) {
      }
    }
  }
  has_work_.notify_one();
}

void blocking_pool::work() noexcept {
  std::unique_lock lock(mutex_);
  for (;;) {
    runnable* job = queue_.pop();
    if (job == nullptr) {
      if (closed_) return;
      ++waiting_threads_;
      has_work_.wait(lock);
      --waiting_threads_;
      continue;
    }
    const char* what = static_cast<blocking_job*>(job)->what_;
    running_.push_back(what);
    lock.unlock();
    job->run();
    lock.lock();
    running_.erase(std::find(running_.begin(), running_.end(), what));
    if (running_.empty() && queue_.empty()) idle_.notify_all();
    finished_one();
  }
}

void blocking_pool::finished_one() noexcept {
  // The job's completion has reached its waiters (they are no longer idle),
  // so virtual time may move again; the last one out makes sure someone
  // looks.
  if (vclock_ != nullptr && vclock_->busy_outside.fetch_sub(1, std::memory_order_acq_rel) == 1)
    wake_->nudge_virtual_time();
}

void blocking_pool::close() noexcept {
  run_queue abandoned;
  std::vector<std::thread> threads;
  {
    std::unique_lock lock(mutex_);
    if (closed_ && threads_.empty()) return;
    closed_ = true;
    while (runnable* job = queue_.pop()) abandoned.push(job);
    has_work_.notify_all();
    while (!running_.empty()) {
      if (idle_.wait_for(lock, report_every, [&] { return running_.empty(); })) break;
      try {
        std::string names;
        for (const char* w : running_) names += std::string(names.empty() ? "" : ", ") + w;
        troupe::logger()->warn("troupe::run: waiting for {} blocking call(s) still running in "
                               "to_thread: {}",
                               running_.size(), names);
      } catch (...) {
      }
    }
    threads.swap(threads_);
  }
  while (runnable* job = abandoned.pop()) {
    static_cast<blocking_job*>(job)->abandon_(static_cast<blocking_job*>(job));
    if (vclock_ != nullptr) vclock_->busy_outside.fetch_sub(1, std::memory_order_acq_rel);
  }
  for (auto& t : threads) t.join();
}

}  // namespace troupe::detail
