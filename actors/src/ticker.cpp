#include <troupe/actors/ticker.hpp>

#include <stdexcept>
#include <utility>

namespace troupe::actors {
namespace {

// Sleeps a period, sends a tick, and again, measured from a fixed start so
// that slow ticks do not make the period drift.
troupe::task<void> clock_loop(troupe::actor_ref<ticker> target,
                              std::chrono::nanoseconds period) {
  troupe::reactor& here = troupe::this_reactor();
  const auto start = here.now();  // the runtime's clock: virtual time works too
  for (std::uint64_t n = 1;; ++n) {
    const auto due = start + n * period;
    co_await troupe::sleep(due - here.now());
    target.tell<&ticker::tick>();
  }
}

}  // namespace

ticker::ticker(std::chrono::nanoseconds period, std::function<void(std::uint64_t)> on_tick)
    : period_(period), on_tick_(std::move(on_tick)) {
  if (period_.count() <= 0) throw std::invalid_argument("troupe::actors::ticker: period must be positive");
  if (!on_tick_) throw std::invalid_argument("troupe::actors::ticker: on_tick is empty");
}

void ticker::on_start() {
  clock_ = troupe::create_task(clock_loop(self<ticker>(), period_));
}

void ticker::on_stop() { clock_.cancel(); }

void ticker::halt() {
  halted_ = true;
  clock_.cancel();
  self<ticker>().tell<&ticker::finish>();
}

void ticker::tick() {
  if (!halted_) on_tick_(++ticks_);
}

}  // namespace troupe::actors
