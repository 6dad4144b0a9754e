// The completion watcher behind every combinator.

#include <troupe/detail/wait_block.hpp>

#include <new>
#include <type_traits>

#include <troupe/detail/block_cache.hpp>

namespace troupe::detail {

wait_block* wait_block::create(const std::vector<state_base*>& states) {
  return create(
      states.size(),
      [](const void* range, std::size_t i) noexcept {
        return (*static_cast<const std::vector<state_base*>*>(range))[i];
      },
      &states);
}

wait_block* wait_block::create(std::size_t n, state_at_fn at, const void* range) {
  static_assert(sizeof(wait_block) <= nodes_offset && nodes_offset % alignof(node) == 0);
  static_assert(std::is_trivially_destructible_v<node>);
  reactor_core* home = current_reactor;
  if (home == nullptr) throw_no_reactor("a troupe combinator (gather, wait, as_completed...)");
  const std::size_t order_offset = nodes_offset + n * sizeof(node);
  const std::size_t bytes = order_offset + n * sizeof(std::uint32_t);
  void* mem = block_depot::allocate_bulk(bytes);
  auto* b = ::new (mem) wait_block(n, bytes);
  b->order_ = reinterpret_cast<std::uint32_t*>(static_cast<std::byte*>(mem) + order_offset);
  node* nodes = b->nodes();
  for (std::size_t i = 0; i < n; ++i) {
    node& nd = *::new (static_cast<void*>(nodes + i)) node;
    nd.state_ = at(range, i);
    nd.index_ = static_cast<std::uint32_t>(i);
    nd.home_ = home;
    nd.state_->add_ref();
    ++b->refs_;
    if (!nd.state_->add_waiter(&nd)) b->record(nd);  // already done: counted now, in input order
  }
  return b;
}

void wait_block::release() noexcept {
  if (--refs_ != 0) return;
  const std::size_t bytes = bytes_;
  this->~wait_block();  // nodes and order are trivially destructible
  block_depot::deallocate_bulk(this, bytes);
}

void wait_block::fired(runnable* r) noexcept {
  auto* n = static_cast<node*>(r);
  of(*n)->record(*n);
}

void wait_block::record(node& n) noexcept {
  order_[done_++] = n.index_;
  if (!first_failure_ && n.state_->kind_ != result_kind::value) first_failure_ = n.index_;
  n.state_->release();
  n.state_ = nullptr;
  if (waiter_ != nullptr && satisfied(waiter_->target_, waiter_->stop_on_failure_)) waiter_->wake();
  release();  // the registration's reference
}

bool completions_awaiter::await_ready() const noexcept {
  return block_->satisfied(target_, stop_on_failure_);
}

bool completions_awaiter::await_suspend(std::coroutine_handle<> h) {
  home_ = current_reactor;
  if (home_ == nullptr) throw_no_reactor("a troupe combinator (gather, wait, as_completed...)");
  handle_ = h;
  context_ = current_context;
  if (take_cancel(context_)) {
    cancelled_ = true;
    return false;
  }
  if (until_) {
    deadline_ = *until_;  // already due: it fires on the reactor's next turn
    home_->add_timer(this);
  }
  block_->waiter_ = this;
  park(context_, this);
  return true;
}

void completions_awaiter::await_resume() {
  unpark(context_, this);
  if (block_->waiter_ == this) block_->waiter_ = nullptr;
  if (cancelled_) throw_cancelled(context_);
}

void completions_awaiter::wake() noexcept {
  if (woken_) return;
  woken_ = true;
  block_->waiter_ = nullptr;
  // If the deadline timer already fired, this node is queued to run: that
  // run resumes us (seeing woken_, not a timeout). Never queue it twice.
  if (until_ && !home_->cancel_timer(this)) return;
  home_->schedule(this);
}

void completions_awaiter::cancel() noexcept {
  cancelled_ = true;
  wake();
}

void completions_awaiter::on_run(runnable* r) noexcept {
  auto* self = static_cast<completions_awaiter*>(r);
  if (!self->woken_) {  // the timer fired first
    self->woken_ = true;
    self->timed_out_ = true;
    self->block_->waiter_ = nullptr;
  }
  current_context = self->context_;
  self->handle_.resume();
}

}  // namespace troupe::detail
