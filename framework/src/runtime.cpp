// troupe::run's machinery: reactors and their threads, and the shutdown
// sequence (cancel what is left, stop actors, wait for them to unwind, join).

#include <troupe/detail/runtime.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

#include <troupe/detail/actor_cell.hpp>
#include <troupe/detail/block_cache.hpp>
#include <troupe/detail/task_root.hpp>
#include <troupe/detail/trace.hpp>
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
  if (o.idle_spin.count() < 0)
    throw std::invalid_argument("troupe::options.idle_spin must not be negative");
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

std::size_t resolve_blocking_threads(const options& o) {
  if (o.blocking_threads != 0) return o.blocking_threads;
  const unsigned hw = std::thread::hardware_concurrency();
  return std::min<std::size_t>(32, (hw == 0 ? 1 : hw) + 4);  // as Python's default executor
}

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
  blocking_ = std::make_unique<blocking_pool>(resolve_blocking_threads(options_), vclock_.get(),
                                              *reactors_.front());
  std::string trace_path = options_.trace;
  if (const char* env = std::getenv("TROUPE_TRACE"); trace_path.empty() && env != nullptr)
    trace_path = env;
  if (!trace_path.empty()) {
    if (active_trace != nullptr)
      throw std::logic_error("troupe::run: another troupe::run in this process is already "
                             "tracing; trace one runtime at a time");
    trace_ = start_trace(trace_path, *reactors_.front());
    active_trace = trace_;  // before any other thread starts: they read it unsynchronised
  }
  stop_wakes_ = std::vector<wake_node>(count);
  quiet_wakes_ = std::vector<wake_node>(count);
  outer_reactor_ = current_reactor;
  current_reactor = reactors_.front().get();
  try {
    for (std::size_t i = 1; i < count; ++i) {
      threads_.emplace_back([this, r = reactors_[i].get()] { pool_thread(*r); });
      running_ = 1 + threads_.size();
    }
  } catch (...) {
    finish();
    end_trace();
    current_reactor = outer_reactor_;
    throw;
  }
}

void runtime::end_trace() noexcept {
  if (trace_ == nullptr) return;
  active_trace = nullptr;  // every thread that read it has been joined
  stop_trace(std::exchange(trace_, nullptr));
}

runtime::~runtime() {
  finish();
  end_trace();
  current_reactor = outer_reactor_;
  current_context = nullptr;
}

void runtime::pool_thread(reactor& r) noexcept {
  current_reactor = &r;
  r.run_until([this] { return stopping_.load(std::memory_order_acquire); });
  shutdown_reactor(r);
  if (tracing()) trace_flush();
  current_reactor = nullptr;
  current_context = nullptr;
}

void runtime::wake_all(std::vector<wake_node>& nodes) noexcept {
  for (std::size_t i = 0; i < running_; ++i)
    if (!reactors_[i]->is_current()) reactors_[i]->post_remote(&nodes[i]);
}

void runtime::mark_quiet(bool quiet) noexcept {
  if (!quiet) {
    quiet_.fetch_sub(1, std::memory_order_acq_rel);
  } else if (quiet_.fetch_add(1, std::memory_order_acq_rel) + 1 == running_ &&
             !all_quiet_.exchange(true, std::memory_order_acq_rel)) {
    wake_all(quiet_wakes_);
  }
}

void runtime::shutdown_reactor(reactor& r) noexcept {
  bool counted = false;
  bool abandoned = false;
  try {
    r.begin_shutdown();
    const auto give_up = std::chrono::steady_clock::now() + shutdown_grace;
    r.run_until([&] {
      if (all_quiet_.load(std::memory_order_acquire)) return true;
      bool quiet = r.quiescent();
      if (!quiet && !abandoned && std::chrono::steady_clock::now() > give_up) {
        report_leftovers(r);
        abandoned = true;
      }
      quiet = quiet || abandoned;
      if (quiet != counted) {
        counted = quiet;
        mark_quiet(quiet);
      }
      return all_quiet_.load(std::memory_order_acquire);
    });
  } catch (...) {
    if (!counted) mark_quiet(true);
  }
}

void runtime::finish() noexcept {
  if (finished_) return;
  finished_ = true;
  // 1. Every reactor cancels its tasks and stops its actors, and keeps
  //    serving messages until all of them are quiet at once.
  stopping_.store(true, std::memory_order_release);
  wake_all(stop_wakes_);
  current_reactor = reactors_.front().get();
  shutdown_reactor(*reactors_.front());
  for (auto& t : threads_) t.join();
  threads_.clear();
  // 2. Blocking calls still running are waited for; queued ones never run.
  blocking_->close();
  // 3. Whatever crossed between reactors during the last steps runs here,
  //    reactor by reactor, until nothing is left anywhere.
  for (bool ran = true; ran;) {
    ran = false;
    for (auto& r : reactors_) {
      current_reactor = r.get();
      if (r->drain_leftovers()) ran = true;
    }
  }
  for (auto& r : reactors_) {
    current_reactor = r.get();
    r->close_io();
  }
  current_reactor = reactors_.front().get();
  // 4. The blocks freed during the run go back to their slabs, and empty
  //    slabs to the OS: a program that runs once does not keep the peak.
  thread_blocks.release_kept();
}

reactor& runtime::place(placement where) {
  const std::size_t n = reactors_.size();
  switch (where.how()) {
    case placement::kind::index:
      if (where.index() >= n)
        throw std::out_of_range("troupe::spawn_on: there is no reactor " +
                                std::to_string(where.index()) + " (this runtime has " +
                                std::to_string(n) + ", numbered from 0)");
      return *reactors_[where.index()];
    case placement::kind::in_turn:
      return *reactors_[next_turn_.fetch_add(1, std::memory_order_relaxed) % n];
    case placement::kind::by_load:
      break;
  }
  return lightest([](const reactor& r) -> std::uint64_t {
    return r.live_actors_.load(std::memory_order_relaxed);
  });
}

reactor& runtime::least_busy() noexcept {
  return lightest([](const reactor& r) {
    return (std::uint64_t{r.pool_jobs_.load(std::memory_order_relaxed)} << 32) |
           r.live_actors_.load(std::memory_order_relaxed);
  });
}

template <class Load>
reactor& runtime::lightest(Load load) noexcept {
  const std::size_t n = reactors_.size();
  const std::size_t start = next_turn_.fetch_add(1, std::memory_order_relaxed);  // ties go round
  reactor* best = reactors_[start % n].get();
  std::uint64_t best_load = load(*best);
  for (std::size_t k = 1; k < n; ++k) {
    reactor* r = reactors_[(start + k) % n].get();
    if (const std::uint64_t l = load(*r); l < best_load) {
      best = r;
      best_load = l;
    }
  }
  return *best;
}

reactor_core& choose_reactor(reactor_core& caller, placement where) {
  return caller.owner().place(where);
}

bool runtime::advance_virtual_time(reactor_core& caller) noexcept {
  // A to_thread call in flight is work too: its pool nudges us when done.
  if (vclock_->busy_outside.load(std::memory_order_seq_cst) != 0) return false;
  std::int64_t due = std::numeric_limits<std::int64_t>::max();
  for (auto& r : reactors_) {
    // Someone woke up, or has work in its inbox it has not seen yet (it went
    // idle just before the post): it will look again when it is idle.
    if (!r->virtual_idle_.load(std::memory_order_seq_cst) || r->inbox_pending()) return false;
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
    } else {
      r->nudge_virtual_time();
    }
  }
  return mine;
}

void runtime::drive(const state_base& main_task) {
  main().run_until([&] { return main_task.done(); });
  finish();
}

}  // namespace troupe::detail
