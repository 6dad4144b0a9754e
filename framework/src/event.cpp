// troupe::event: a gate under its own mutex.

#include <troupe/event.hpp>

namespace troupe {

event::~event() {
  detail::critical_section cs(mutex_);
  detail::sync_waiter::abandon_all(gate_.waiters_, cs.wakes(), "troupe::event");
}

void event::set() noexcept {
  detail::critical_section cs(mutex_);
  if (!gate_.open_) gate_.open(cs.wakes());
}

void event::clear() noexcept {
  std::lock_guard held(mutex_);
  gate_.close();
}

bool event::is_set() const noexcept {
  std::lock_guard held(mutex_);
  return gate_.open_;
}

event_statistics event::statistics() const noexcept {
  std::lock_guard held(mutex_);
  return {gate_.open_, gate_.waiters_.size()};
}

}  // namespace troupe
