// troupe/detail/runnable.hpp — the unit of work a reactor runs, and the
// intrusive FIFO that holds them. Nothing here allocates.
#pragma once

namespace troupe::detail {

/// A node a reactor can run: coroutine resumptions, actor mailbox drains,
/// timer expiries, cross-reactor deliveries. The owner embeds it.
struct runnable {
  using run_fn = void (*)(runnable*) noexcept;
  runnable* next_ = nullptr;
  run_fn run_ = nullptr;

  runnable() noexcept = default;
  explicit runnable(run_fn fn) noexcept : run_(fn) {}
  void run() noexcept { run_(this); }
};

/// Intrusive singly-linked FIFO of runnables. Single thread only.
template <class Node = runnable>
class intrusive_fifo {
 public:
  bool empty() const noexcept { return head_ == nullptr; }

  void push(Node* n) noexcept {
    n->next_ = nullptr;
    if (tail_ != nullptr)
      tail_->next_ = n;
    else
      head_ = n;
    tail_ = n;
  }

  Node* pop() noexcept {
    Node* n = head_;
    if (n != nullptr) {
      head_ = static_cast<Node*>(n->next_);
      if (head_ == nullptr) tail_ = nullptr;
    }
    return n;
  }

 private:
  Node* head_ = nullptr;
  Node* tail_ = nullptr;
};

using run_queue = intrusive_fifo<runnable>;

}  // namespace troupe::detail
