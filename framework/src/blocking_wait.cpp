// future::get(): a plain thread waits for a future completed on a reactor.

#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>

#include <troupe/detail/future_state.hpp>

namespace troupe::detail {
namespace {

struct blocked_thread final : completion_node {
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;

  blocked_thread() noexcept : completion_node(&run_it) {}

  static void run_it(runnable* r) noexcept {
    auto* self = static_cast<blocked_thread*>(r);
    // Notified under the lock: the waiter cannot return (and destroy this
    // node) before notify_one is finished with it.
    std::lock_guard lock(self->mutex_);
    self->done_ = true;
    self->wake_.notify_one();
  }
};

}  // namespace

void block_until_done(state_base& s) {
  if (reactor_core* r = current_reactor)
    throw std::logic_error("troupe::future::get() called on reactor " + std::to_string(r->index()) +
                           ": it would block the reactor that has to complete it; co_await the "
                           "future instead");
  if (s.done()) return;
  blocked_thread node;
  if (!s.add_waiter(&node)) return;
  std::unique_lock lock(node.mutex_);
  node.wake_.wait(lock, [&] { return node.done_; });
}

}  // namespace troupe::detail
