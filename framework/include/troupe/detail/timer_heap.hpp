// troupe/detail/timer_heap.hpp — a reactor's timers: a binary min-heap of
// intrusive nodes that knows each node's position, so cancelling is O(log n)
// and nothing allocates beyond the heap's own vector.
#pragma once

#include <chrono>
#include <cstddef>
#include <vector>

#include <troupe/detail/runnable.hpp>

namespace troupe::detail {

using clock_type = std::chrono::steady_clock;
using time_point = clock_type::time_point;

/// A runnable that becomes ready at `deadline_`.
struct timer_node : runnable {
  static constexpr std::size_t not_queued = static_cast<std::size_t>(-1);
  time_point deadline_{};
  std::size_t heap_index_ = not_queued;
  std::size_t sequence_ = 0;  // FIFO among equal deadlines
  using runnable::runnable;
  bool queued() const noexcept { return heap_index_ != not_queued; }
};

/// Min-heap by (deadline, insertion order). Its reactor's thread only.
class timer_heap {
 public:
  bool empty() const noexcept { return heap_.empty(); }
  std::size_t size() const noexcept { return heap_.size(); }
  timer_node* top() const noexcept { return heap_.front(); }

  void push(timer_node* n) {
    n->sequence_ = next_sequence_++;
    n->heap_index_ = heap_.size();
    heap_.push_back(n);
    sift_up(n->heap_index_);
  }

  /// Removes `n` if it is queued; returns whether it was.
  bool remove(timer_node* n) noexcept {
    if (!n->queued()) return false;
    const std::size_t i = n->heap_index_;
    const std::size_t last = heap_.size() - 1;
    if (i != last) {
      place(i, heap_[last]);
      heap_.pop_back();
      sift_down(i);
      sift_up(i);
    } else {
      heap_.pop_back();
    }
    n->heap_index_ = timer_node::not_queued;
    return true;
  }

  timer_node* pop() noexcept {
    timer_node* n = heap_.front();
    remove(n);
    return n;
  }

 private:
  static bool before(const timer_node* a, const timer_node* b) noexcept {
    return a->deadline_ < b->deadline_ ||
           (a->deadline_ == b->deadline_ && a->sequence_ < b->sequence_);
  }
  void place(std::size_t i, timer_node* n) noexcept {
    heap_[i] = n;
    n->heap_index_ = i;
  }
  void sift_up(std::size_t i) noexcept {
    timer_node* n = heap_[i];
    while (i > 0) {
      const std::size_t parent = (i - 1) / 2;
      if (!before(n, heap_[parent])) break;
      place(i, heap_[parent]);
      i = parent;
    }
    place(i, n);
  }
  void sift_down(std::size_t i) noexcept {
    const std::size_t count = heap_.size();
    timer_node* n = heap_[i];
    for (;;) {
      std::size_t child = 2 * i + 1;
      if (child >= count) break;
      if (child + 1 < count && before(heap_[child + 1], heap_[child])) ++child;
      if (!before(heap_[child], n)) break;
      place(i, heap_[child]);
      i = child;
    }
    place(i, n);
  }

  std::vector<timer_node*> heap_;
  std::size_t next_sequence_ = 0;
};

}  // namespace troupe::detail
