// troupe::run's machinery: reactors and their threads, and the shutdown
// sequence (cancel what is left, stop actors, wait for them to unwind, join).

#include <troupe/detail/runtime.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <limits>
#include <stdexcept>
#include <string>

#include <troupe/detail/actor_cell.hpp>
#include <troupe/detail/task_root.hpp>
#include <troupe/log.hpp>

namespace troupe::detail {
namespace {

// How long shutdown waits for cancelled tasks and stopping actors to unwind
// before it reports them and gives up on them.
constexpr auto shutdown_grace = std::chrono::seconds(10);

std::size_t resolve_reactor_count(const options& o) {
  if (o.reactors != 0) return o.reactors;
  const unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : hw;
}

void validate(const options& o) {
  if (o.slow_handler.count() < 0)
    throw std::invalid_argument("troupe::options.slow_handler must not be negative");
  if (!o.trace.empty())
    throw std::invalid_argument("troupe::options.trace (\"" + o.trace +
                                "\") is not available in this version of troupe");
}

void report_leftovers(reactor_core& r) noexcept {
  try {
    auto log = troupe::logger();
    r.tasks().for_each([&](task_root_base* t) {
      log->error("troupe::run: task {} (task {}) did not finish within {} s of being cancelled "
                 "at shutdown; it is abandoned",
                 display_name(*t), t->id_, shutdown_grace.count());
    });
    r.actors().for_each([&](actor_cell* a) {
      log->error("troupe::run: actor {}#{} did not stop within {} s at shutdown; it is abandoned",
                 a->type_name(), a->id(), shutdown_grace.count());
    });
  } catch (...) {
  }
}

struct wake_node : runnable {
  wake_node() noexcept : runnable([](runnable*) noexcept {}) {}
};

}  // namespace

runtime::runtime(const options& opts) : options_(opts) {
  if (current_reactor != nullptr)
    throw std::logic_error(
        "troupe::run called on a reactor thread (reactor " +
        std::to_string(current_reactor->index()) +
        "): it would block that reactor; co_await the task, or create_task it, instead");
  validate(options_);
  const std::size_t count = resolve_reactor_count(options_);
  reactors_.reserve(count);
  if (options_.clock == clock_kind::virtual_time) vclock_ = std::make_unique<virtual_clock>();
  for (std::size_t i = 0; i < count; ++i) {
    reactors_.push_back(std::make_unique<reactor>(*this, i, count));
    reactors_.back()->vclock_ = vclock_.get();
    reactors_.back()->virtual_wake_.run_ = [](runnable*) noexcept {
      current_reactor->virtual_wake_pending_.store(false, std::memory_order_release);
    };
  }
  outer_reactor_ = current_reactor;
  current_reactor = reactors_.front().get();
  try {
    for (std::size_t i = 1; i < count; ++i)
      threads_.emplace_back([this, r = reactors_[i].get()] { pool_thread(*r); });
  } catch (...) {
    stop_pool();
    current_reactor = outer_reactor_;
    throw;
  }
}

runtime::~runtime() {
  stop_pool();
  current_reactor = outer_reactor_;
  current_context = nullptr;
}

void runtime::pool_thread(reactor& r) noexcept {
  current_reactor = &r;
  r.run_until([this] { return stopping_.load(std::memory_order_acquire); });
  shutdown_reactor(r);
  current_reactor = nullptr;
}

void runtime::stop_pool() noexcept {
  if (threads_.empty()) return;
  stopping_.store(true, std::memory_order_release);
  std::vector<wake_node> wakes(reactors_.size());
  for (std::size_t i = 1; i < reactors_.size(); ++i) reactors_[i]->post_remote(&wakes[i]);
  for (auto& t : threads_) t.join();
  threads_.clear();
}

void runtime::shutdown_reactor(reactor& r) noexcept {
  try {
    r.begin_shutdown();
    const auto give_up = std::chrono::steady_clock::now() + shutdown_grace;
    r.run_until([&] { return r.quiescent() || std::chrono::steady_clock::now() > give_up; });
    if (!r.quiescent()) report_leftovers(r);
  } catch (...) {
  }
  r.final_drain();
}

bool runtime::advance_virtual_time(reactor_core& caller) noexcept {
  std::int64_t due = std::numeric_limits<std::int64_t>::max();
  for (auto& r : reactors_) {
    if (!r->virtual_idle_.load(std::memory_order_seq_cst)) return false;  // someone woke up
    due = std::min(due, r->next_due_ns_.load(std::memory_order_acquire));
  }
  if (due == std::numeric_limits<std::int64_t>::max()) return false;  // no timers anywhere
  std::int64_t now = vclock_->elapsed_ns.load(std::memory_order_acquire);
  while (now < due &&
         !vclock_->elapsed_ns.compare_exchange_weak(now, due, std::memory_order_acq_rel)) {
  }
  bool mine = false;
  for (auto& r : reactors_) {
    if (r->next_due_ns_.load(std::memory_order_acquire) > due) continue;
    if (r.get() == &caller) {
      mine = true;
    } else if (!r->virtual_wake_pending_.exchange(true, std::memory_order_acq_rel)) {
      r->post_remote(&r->virtual_wake_);
    }
  }
  return mine;
}

void runtime::drive(const state_base& main_task) {
  reactor& r = main();
  r.run_until([&] { return main_task.done(); });
  shutdown_reactor(r);
  stop_pool();
}

}  // namespace troupe::detail
