// Permits handed out in FIFO order: semaphore, bounded_semaphore and lock.

#include <troupe/detail/permit_pool.hpp>

#include <spdlog/spdlog.h>

#include <stdexcept>
#include <string>

#include <troupe/lock.hpp>
#include <troupe/log.hpp>
#include <troupe/semaphore.hpp>

namespace troupe {
namespace detail {

std::string describe(std::exception_ptr e);

void permit_pool::abandon(const char* what) noexcept {
  critical_section cs(mutex_);
  sync_waiter::abandon_all(waiters_, cs.wakes(), what);
}

bool permit_pool::try_take() noexcept {
  std::lock_guard held(mutex_);
  return take_locked();
}

bool permit_pool::put_back(std::size_t bound) noexcept {
  critical_section cs(mutex_);
  if (waiters_.empty() && value_ >= bound) return false;
  put_back_locked(cs.wakes());
  return true;
}

std::size_t permit_pool::value() const noexcept {
  std::lock_guard held(mutex_);
  return value_;
}

std::size_t permit_pool::waiting() const noexcept {
  std::lock_guard held(mutex_);
  return waiters_.size();
}

bool acquire_awaiter::await_suspend(std::coroutine_handle<> h) {
  std::lock_guard held(mutex());
  if (pool_->take_locked()) return false;  // freed since await_ready
  return enqueue(h, pool_->waiters_, what_);
}

void report_guard_failure(const char* what, std::exception_ptr e) noexcept {
  try {
    troupe::logger()->error("{}: release at the end of its scope failed: {}", what, describe(e));
  } catch (...) {
  }
}

}  // namespace detail

void semaphore::release() {
  if (!pool_.put_back(bound_))
    throw std::logic_error(
        "troupe::bounded_semaphore released too many times: " + std::to_string(bound_) +
        " permits are free already, its initial value (a release "
        "without a matching acquire)");
}

semaphore_statistics semaphore::statistics() const noexcept {
  std::lock_guard held(pool_.mutex_);
  return {pool_.value_, pool_.waiters_.size()};
}

void lock::release() {
  if (!pool_.put_back(1))
    throw std::logic_error("troupe::lock::release called on a lock that is not locked");
}

lock_statistics lock::statistics() const noexcept {
  std::lock_guard held(pool_.mutex_);
  return {pool_.value_ == 0, pool_.waiters_.size()};
}

}  // namespace troupe
