// An actor's life on its reactor: draining its mailbox in batches, one
// handler at a time; stopping; and being collected when unreachable.

#include <troupe/detail/actor_cell.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>
#include <string>

#include <troupe/actor.hpp>
#include <troupe/log.hpp>
#include <troupe/reactor.hpp>

namespace troupe {
namespace detail {
namespace {

// Messages one actor handles per turn: at least this many, and otherwise
// everything that was in its mailbox when the turn began. A fixed budget let
// a mailbox fed from other reactors faster than that grow without bound (20
// senders queued a thousand each per turn against 64 handled); what arrives
// during the turn still waits for the next, so others get their turn.
constexpr std::uint32_t drain_batch = 64;

}  // namespace

actor_cell::actor_cell(reactor_core& home, std::uint64_t id, std::string_view type_name,
                       free_fn free) noexcept
    : home_(&home), id_(id), type_name_(type_name), free_(free) {}

void register_actor(actor_cell& c) noexcept {
  reactor_core& home = c.home();
  c.add_ref();  // busy until on_start has run
  home.live_actors_.fetch_add(1, std::memory_order_relaxed);
  if (!home.is_current()) {
    // Spawned from another reactor: it joins its home through the inbox.
    // Until then it counts as scheduled, so messages that overtake the
    // registration wait in the mailbox instead of scheduling it twice.
    c.state_ = actor_cell::state::scheduled;
    c.run_ = &actor_cell::register_fn;
    home.post_remote(&c);
    return;
  }
  home.actors().push_back(&c);
  c.enqueue_start();
  if (home.closing()) c.request_stop();
}

void actor_cell::register_fn(runnable* r) noexcept {
  auto* self = static_cast<actor_cell*>(r);
  self->home_->actors().push_back(self);
  self->enqueue_start();
  if (self->home_->closing()) self->request_stop();
}

void actor_cell::enqueue_start() noexcept {
  state_ = state::scheduled;
  run_ = &drain_fn;
  home_->schedule(this);
}

void actor_cell::send_remote(message* m) noexcept {
  // Crosses to the actor's reactor through its inbox; the message holds the
  // cell alive until it is in the mailbox. From a reactor, that reference
  // comes from a batch taken ahead (reactor_core::prepaid_refs).
  if (reactor_core* me = current_reactor) {
    reactor_core::prepaid_refs& p = me->prepaid();
    if (p.cell != this) {
      me->flush_prepaid();
      p.cell = this;
    }
    if (p.left == 0) {
      refs_.fetch_add(p.next, std::memory_order_relaxed);
      p.left = p.next;
      p.next = std::min(p.next * 2, reactor_core::prepaid_refs::max_batch);
    }
    --p.left;
  } else {
    add_ref();
  }
  m->run_ = [](runnable* r) noexcept {
    auto* msg = static_cast<message*>(r);
    actor_cell* cell = msg->actor_;
    cell->enqueue(msg);
    cell->home().release_later(cell);
  };
  home_->post_remote(m);
}

void actor_cell::drain_fn(runnable* r) noexcept {
  auto* self = static_cast<actor_cell*>(r);
  self->state_ = state::draining;
  self->in_drain_ = true;
  if (!self->started_) {
    self->started_ = true;
    try {
      self->object_->on_start();
    } catch (...) {
      self->handler_failed("on_start", std::current_exception());
      self->stopping_ = true;
    }
    self->home_->end_step();
  }
  for (std::uint32_t budget = std::max(drain_batch, self->queued_); budget > 0 && !self->stopping_;
       --budget) {
    message* m = self->mailbox_.pop();
    if (m == nullptr) break;
    --self->queued_;
    m->op_(m, true);
    self->home_->end_step();
    if (self->state_ == state::suspended) {
      self->in_drain_ = false;
      return;  // the handler's task resumes draining when it finishes
    }
  }
  self->in_drain_ = false;
  self->after_drain();
}

void actor_cell::handler_done() noexcept {
  running_ = nullptr;
  state_ = state::draining;
  if (!in_drain_) after_drain();
}

void actor_cell::after_drain() noexcept {
  if (stopping_) {
    finish_stop();
  } else if (!mailbox_.empty()) {
    state_ = state::scheduled;
    run_ = &drain_fn;
    home_->schedule(this);
  } else {
    state_ = state::idle;
    release();  // no longer busy
  }
}

void actor_cell::request_stop() noexcept {
  if (stopped_.load(std::memory_order_relaxed) || stopping_) return;
  stopping_ = true;
  // A suspended handler unwinds first (unless it is the one stopping us).
  if (running_ != nullptr && current_context != running_)
    request_cancel(*running_, cancel_cause::stopping, true);
  // An idle actor needs a turn to stop in. If nobody references it any more,
  // its collection is already on the way and will do the stopping.
  if (state_ == state::idle && try_add_ref()) enqueue_start();
}

bool actor_cell::try_add_ref() noexcept {
  std::uint32_t n = refs_.load(std::memory_order_relaxed);
  while (n != 0) {
    if (refs_.compare_exchange_weak(n, n + 1, std::memory_order_relaxed)) return true;
  }
  return false;
}

void actor_cell::finish_stop() noexcept {
  stopping_ = false;
  stopped_.store(true, std::memory_order_release);
  if (started_) {
    try {
      object_->on_stop();
    } catch (...) {
      try {
        troupe::logger()->error("actor {}#{}: on_stop threw: {}", type_name_, id_,
                                describe(std::current_exception()));
      } catch (...) {
      }
    }
    home_->end_step();
  }
  // Nothing queued is lost silently: asks get actor_stopped, tells are
  // logged as dead letters.
  while (message* m = mailbox_.pop()) {
    --queued_;
    m->op_(m, false);
  }
  if (tracing()) [[unlikely]]
    trace_stop(*this);
  actor* obj = std::exchange(object_, nullptr);
  obj->~actor();  // releases the refs it held, which may break reference cycles
  home_->actors().erase(this);
  home_->live_actors_.fetch_sub(1, std::memory_order_relaxed);
  state_ = state::idle;
  release();  // no longer busy
}

void actor_cell::last_reference_dropped() noexcept {
  if (stopped_.load(std::memory_order_acquire)) {
    free_(this);
    return;
  }
  // Unreachable and idle: stop it on its own reactor, then free it.
  run_ = &collect_fn;
  home_->post(this);
}

void actor_cell::collect_fn(runnable* r) noexcept {
  auto* self = static_cast<actor_cell*>(r);
  self->add_ref();  // busy while stopping; finish_stop drops it and frees us
  self->stopping_ = true;
  self->state_ = state::draining;
  self->finish_stop();
}

void actor_cell::handler_failed(std::string_view handler, std::exception_ptr e) noexcept {
  failure_action action = failure_action::stop;
  if (object_ != nullptr) {
    try {
      action = object_->on_failure(handler, e);
    } catch (...) {
      action = failure_action::stop;
    }
  }
  if (action == failure_action::stop) request_stop();
}

}  // namespace detail

actor::actor() noexcept : cell_(detail::constructing_cell) {}

actor::~actor() = default;

failure_action actor::on_failure(std::string_view handler, std::exception_ptr error) {
  troupe::logger()->error("actor {}#{}: handler {} threw: {}", type_name(), id(), handler,
                          detail::describe(error));
  return failure_action::resume;
}

detail::actor_cell* actor::counted_cell() const noexcept {
  cell_->add_ref();
  return cell_;
}

void actor::throw_not_a(std::string_view type) const {
  throw std::invalid_argument("self<" + std::string(type) + ">() on actor " +
                              std::string(type_name()) + "#" + std::to_string(id()) +
                              ", which is not a " + std::string(type));
}

void actor::stop() noexcept { cell_->request_stop(); }

std::uint64_t actor::id() const noexcept { return cell_->id(); }

std::string_view actor::type_name() const noexcept { return cell_->type_name(); }

reactor& actor::home() const noexcept { return static_cast<reactor&>(cell_->home()); }

}  // namespace troupe
