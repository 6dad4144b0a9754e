// troupe/detail/wait_block.hpp — the one primitive under gather,
// gather_settled, as_completed, wait and wait_for: watch a set of futures,
// record the order they complete in, and wake one waiting coroutine when
// enough of them are done. It never throws for their outcomes; the
// combinators decide what a failure means.
#pragma once

#include <chrono>
#include <coroutine>
#include <cstdint>
#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include <troupe/detail/context.hpp>
#include <troupe/detail/future_state.hpp>
#include <troupe/detail/reactor_core.hpp>
#include <troupe/detail/timer_heap.hpp>

namespace troupe::detail {


class wait_block;

/// Parks a coroutine until a wait_block has `target` completions (or a
/// failure, if asked), its deadline passes, or it is cancelled.
class completions_awaiter final : public timer_node, public cancellable {
 public:
  completions_awaiter(wait_block& b, std::size_t target, bool stop_on_failure,
                      std::optional<time_point> deadline) noexcept
      : timer_node(&on_run), block_(&b), target_(target), stop_on_failure_(stop_on_failure),
        until_(deadline) {}

  bool await_ready() const noexcept;
  bool await_suspend(std::coroutine_handle<> h);
  void await_resume();
  void cancel() noexcept override;

  /// After resuming: whether the deadline, not the completions, woke it.
  bool timed_out() const noexcept { return timed_out_; }

 private:
  friend class wait_block;
  void wake() noexcept;  // satisfied or cancelled: resume soon
  static void on_run(runnable* r) noexcept;

  wait_block* block_;
  std::size_t target_;
  bool stop_on_failure_;
  std::optional<time_point> until_;
  std::coroutine_handle<> handle_;
  context* context_ = nullptr;
  reactor_core* home_ = nullptr;
  bool woken_ = false;
  bool timed_out_ = false;
  bool cancelled_ = false;
};

/// Watches futures' states on the calling reactor. Owned jointly by the
/// combinator (one reference) and every registration not yet fired, so a
/// combinator may return early while the rest keep completing. The block,
/// one node per future and the completion order share one allocation.
/// @par Thread Safety
/// Its reactor's thread only; completions from other reactors arrive there.
class wait_block {
 public:
  /// Where create finds the i-th state of the caller's range.
  using state_at_fn = state_base* (*)(const void* range, std::size_t i) noexcept;

  /// Registers on every state (taking a reference on each). Throws
  /// std::logic_error off a reactor thread.
  static wait_block* create(const std::vector<state_base*>& states);
  /// The same for `n` states read through `at` from `range` (none may be
  /// null), so a vector of futures needs no copy of its states.
  static wait_block* create(std::size_t n, state_at_fn at, const void* range);
  void release() noexcept;

  std::size_t size() const noexcept { return size_; }
  std::size_t done_count() const noexcept { return done_; }
  /// Indices in the order their futures completed.
  std::span<const std::uint32_t> order() const noexcept { return {order_, done_}; }
  /// Index of the first future that failed or was cancelled, if any.
  std::optional<std::uint32_t> first_failure() const noexcept { return first_failure_; }
  bool satisfied(std::size_t target, bool stop_on_failure) const noexcept {
    return done_count() >= target || (stop_on_failure && first_failure_.has_value());
  }

  /// Waits for `target` completions (clamped to size()).
  completions_awaiter until(std::size_t target, bool stop_on_failure = false,
                            std::optional<time_point> deadline = std::nullopt) noexcept {
    return completions_awaiter(*this, target < size() ? target : size(), stop_on_failure,
                               deadline);
  }

 private:
  friend class completions_awaiter;
  // The block is found from a node by its index: nodes sit at a fixed
  // offset after the block, so a node needs no pointer back.
  struct node final : completion_node {
    state_base* state_ = nullptr;
    std::uint32_t index_ = 0;
    node() noexcept : completion_node(&fired) {}
  };
  static constexpr std::size_t nodes_offset = 64;  // at least sizeof(wait_block)

  explicit wait_block(std::size_t n, std::size_t bytes) noexcept : size_(n), bytes_(bytes) {}
  node* nodes() noexcept {
    return reinterpret_cast<node*>(reinterpret_cast<std::byte*>(this) + nodes_offset);
  }
  static wait_block* of(node& n) noexcept {
    return reinterpret_cast<wait_block*>(reinterpret_cast<std::byte*>(&n - n.index_) -
                                         nodes_offset);
  }
  void record(node& n) noexcept;
  static void fired(runnable* r) noexcept;

  std::size_t size_;
  std::size_t bytes_;  // of the whole allocation
  std::size_t done_ = 0;
  std::uint32_t* order_ = nullptr;  // size_ entries, after the nodes
  std::optional<std::uint32_t> first_failure_;
  std::size_t refs_ = 1;
  completions_awaiter* waiter_ = nullptr;
};

}  // namespace troupe::detail
