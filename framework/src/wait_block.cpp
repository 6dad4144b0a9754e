// The completion watcher behind every combinator.

#include <troupe/detail/wait_block.hpp>

namespace troupe::detail {

wait_block* wait_block::create(const std::vector<state_base*>& states) {
  reactor_core* home = current_reactor;
  if (home == nullptr) throw_no_reactor("a troupe combinator (gather, wait, as_completed...)");
  auto* b = new wait_block(states.size());
  for (std::size_t i = 0; i < states.size(); ++i) {
    node& n = b->nodes_[i];
    n.block_ = b;
    n.state_ = states[i];
    n.index_ = static_cast<std::uint32_t>(i);
    n.home_ = home;
    n.state_->add_ref();
    ++b->refs_;
    if (!n.state_->add_waiter(&n)) b->record(n);  // already done: counted now, in input order
  }
  return b;
}

void wait_block::release() noexcept {
  if (--refs_ == 0) delete this;
}

void wait_block::fired(runnable* r) noexcept {
  auto* n = static_cast<node*>(r);
  n->block_->record(*n);
}

void wait_block::record(node& n) noexcept {
  order_.push_back(n.index_);
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
