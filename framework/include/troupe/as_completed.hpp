// troupe/as_completed.hpp — troupe::as_completed: futures' results in the
// order they complete (asyncio.as_completed).
#pragma once

#include <chrono>
#include <cstddef>
#include <iterator>
#include <memory>
#include <vector>

#include <troupe/future.hpp>
#include <troupe/gather.hpp>
#include <troupe/task.hpp>
#include <troupe/detail/wait_block.hpp>

namespace troupe {

/// A range of awaitables, one per future, yielding results in completion
/// order: `for (auto next : troupe::as_completed(std::move(fs))) { T v =
/// co_await next; }`. Each `co_await next` returns the next result to
/// complete, or throws its exception. Futures not yet awaited keep running
/// if the loop is left early. Reactor threads only.
template <class T>
class as_completed_range {
  struct shared {
    std::vector<future<T>> futures;
    detail::wait_block* block;
    explicit shared(std::vector<future<T>>&& fs)
        : futures(std::move(fs)),
          block(detail::wait_block::create(detail::states_of(futures, "troupe::as_completed"))) {}
    ~shared() { block->release(); }
  };

  static task<T> next_result(std::shared_ptr<shared> s, std::size_t k) {
    co_await s->block->until(k + 1);
    co_return s->futures[s->block->order()[k]].state()->take();
  }

 public:
  explicit as_completed_range(std::vector<future<T>>&& fs)
      : s_(std::make_shared<shared>(std::move(fs))) {}

  class iterator {
   public:
    using value_type = task<T>;
    using difference_type = std::ptrdiff_t;
    iterator() = default;
    iterator(std::shared_ptr<shared> s, std::size_t k) : s_(std::move(s)), k_(k) {}
    /// The awaitable for the k-th completion.
    task<T> operator*() const { return next_result(s_, k_); }
    iterator& operator++() {
      ++k_;
      return *this;
    }
    iterator operator++(int) {
      iterator old = *this;
      ++k_;
      return old;
    }
    friend bool operator==(const iterator& a, const iterator& b) noexcept { return a.k_ == b.k_; }

   private:
    std::shared_ptr<shared> s_;
    std::size_t k_ = 0;
  };

  iterator begin() const { return iterator(s_, 0); }
  iterator end() const { return iterator(s_, s_->futures.size()); }
  std::size_t size() const noexcept { return s_->futures.size(); }

 private:
  std::shared_ptr<shared> s_;
};

/// Takes over the futures (an lvalue vector is emptied).
template <class T>
as_completed_range<T> as_completed(std::vector<future<T>>&& fs) {
  return as_completed_range<T>(std::move(fs));
}
template <class T>
as_completed_range<T> as_completed(std::vector<future<T>>& fs) {
  return as_completed_range<T>(std::move(fs));
}

}  // namespace troupe
