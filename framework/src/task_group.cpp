// Structured concurrency: a group watches its children's futures; the first
// failure cancels the rest through their producers, so join can wait for
// them to unwind.

#include <troupe/task_group.hpp>

#include <spdlog/spdlog.h>

#include <stdexcept>

#include <troupe/detail/actor_cell.hpp>
#include <troupe/log.hpp>

namespace troupe {
namespace {

std::string summarise(const std::vector<std::exception_ptr>& errors) {
  std::string s = std::to_string(errors.size()) + (errors.size() == 1 ? " child" : " children") +
                  " of a task_group failed";
  for (std::size_t i = 0; i < errors.size(); ++i)
    s += (i == 0 ? ": " : "; ") + detail::describe(errors[i]);
  return s;
}

}  // namespace

task_group_error::task_group_error(std::vector<std::exception_ptr> errors)
    : error(summarise(errors)), errors_(std::move(errors)) {}

namespace detail {

struct group_state::child final : completion_node {
  group_state* group_;
  state_base* state_;
  std::size_t slot_ = 0;
  child(group_state& g, state_base* s) noexcept : completion_node(&fired), group_(&g), state_(s) {}
  static void fired(runnable* r) noexcept {
    auto* self = static_cast<child*>(r);
    self->group_->finished(*self);
  }
};

group_state::group_state() : home_(current_reactor) {
  if (home_ == nullptr) throw_no_reactor("troupe::task_group");
}

void group_state::watch(state_base* s) {
  s->add_ref();
  auto* c = new child(*this, s);
  c->home_ = home_;
  c->slot_ = children_.size();
  children_.push_back(c);
  ++refs_;
  if (cancelling_) s->cancel_producer(cancel_cause::caller);
  if (!s->add_waiter(c)) home_->schedule(c);  // already done: counted on the next turn
}

void group_state::finished(child& c) noexcept {
  state_base* s = c.state_;
  if (s->kind_ == result_kind::error) {
    s->retrieved_ = true;  // reported through join
    try {
      errors_.push_back(s->error_);
    } catch (...) {
    }
    if (!cancelling_) cancel_children(cancel_cause::caller);
  }
  // Unordered removal: swap with the last.
  child* last = children_.back();
  children_[c.slot_] = last;
  last->slot_ = c.slot_;
  children_.pop_back();
  s->release();
  delete &c;
  if (children_.empty() && joiner_ != nullptr) {
    joiner* j = joiner_;
    joiner_ = nullptr;
    home_->schedule(j);
  }
  release();
}

void group_state::cancel_children(cancel_cause cause) noexcept {
  cancelling_ = true;
  for (child* c : children_) c->state_->cancel_producer(cause);
}

void group_state::release() noexcept {
  if (--refs_ == 0) delete this;
}

bool group_state::joiner::await_suspend(std::coroutine_handle<> h) noexcept {
  handle_ = h;
  context_ = current_context;
  if (take_cancel(context_)) {
    cancelled_ = true;
    group_->cancel_children(cancel_cause::caller);
  }
  group_->joiner_ = this;
  park(context_, this);
  return true;
}

void group_state::joiner::await_resume() noexcept { unpark(context_, this); }

void group_state::joiner::cancel() noexcept {
  // Cancelling the joining task cancels the children; join keeps waiting
  // for them to unwind, then raises cancelled_error.
  cancelled_ = true;
  group_->cancel_children(cancel_cause::caller);
}

void group_state::joiner::resume(runnable* r) noexcept {
  auto* self = static_cast<joiner*>(r);
  current_context = self->context_;
  self->handle_.resume();
}

}  // namespace detail

task_group::task_group() : state_(new detail::group_state()) {}

task_group::~task_group() {
  if (!state_->children_.empty()) {
    try {
      troupe::logger()->error(
          "a task_group was destroyed with {} children still running (join was not awaited); "
          "they are cancelled",
          state_->children_.size());
    } catch (...) {
    }
    state_->cancel_children(detail::cancel_cause::caller);
  }
  state_->release();
}

void task_group::cancel() noexcept { state_->cancel_children(detail::cancel_cause::caller); }

task<void> task_group::join() {
  detail::group_state* g = state_;
  bool cancelled = false;
  while (!g->children_.empty()) {
    detail::group_state::joiner j(*g);
    co_await j;
    cancelled = cancelled || j.cancelled_;
  }
  g->joined_ = true;
  if (!g->errors_.empty()) throw task_group_error(std::move(g->errors_));
  if (cancelled) detail::throw_cancelled(detail::current_context);
}

}  // namespace troupe
