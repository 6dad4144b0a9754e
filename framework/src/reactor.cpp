// The reactor loop: run ready work in batches, fire timers, drain the inbox,
// give Asio its turn, and block in Asio only when there is nothing to run.

#include <troupe/reactor.hpp>

#include <sched.h>
#include <time.h>

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <concurrentqueue/concurrentqueue.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <limits>
#include <stdexcept>
#include <utility>

#include <troupe/detail/actor_cell.hpp>
#include <troupe/detail/runtime.hpp>
#include <troupe/detail/task_root.hpp>
#include <troupe/detail/trace.hpp>
#include <troupe/log.hpp>

namespace troupe {

reactor& this_reactor() {
  if (detail::current_reactor == nullptr)
    throw std::logic_error("troupe::this_reactor() called outside a reactor thread");
  return static_cast<reactor&>(*detail::current_reactor);
}

namespace detail {
namespace {

constexpr int ready_batch = 256;  // runnables per turn before timers, inbox and I/O get theirs

// Whether a post that finds a wake-up already pending skips the exchange
// (post_remote). The skip rests on a pair of fences, which ThreadSanitizer
// does not model, so under it every post takes the exchange.
#if defined(__SANITIZE_THREAD__)
constexpr bool fenced_inbox = false;
#else
constexpr bool fenced_inbox = true;
#endif

// A wait longer than this counts as this long in the running average, so
// that one long idle stretch does not keep a reactor from polling for long.
constexpr std::int64_t longest_counted_wait_ns = 1'000'000;

inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

std::int64_t read_clock(clockid_t id) noexcept {
  timespec ts{};
  clock_gettime(id, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace

struct reactor_core::engine {
  asio::io_context io{1};
  asio::executor_work_guard<asio::io_context::executor_type> keep_running{io.get_executor()};
  moodycamel::ConcurrentQueue<runnable*> inbox;
  // Set by the first post into an unseen inbox; cleared when it is drained.
  std::atomic<bool> wake_pending{false};
  // Whether the loop is (about to be) blocked in Asio: only then does a post
  // pay for asio::post, which wakes it. A running or polling loop finds the
  // inbox by itself. wake_pending and sleeping are each written by one side
  // and read by the other, sequentially consistent (as in Dekker's
  // algorithm): a post sees the loop asleep, or the loop sees the post.
  std::atomic<bool> sleeping{false};
};

reactor_core::reactor_core(runtime& owner, std::size_t index, std::size_t count)
    : stride_(count), index_(index), owner_(&owner), engine_(std::make_unique<engine>()) {
  slow_ns_ = owner.settings().slow_handler.count();
  // The coarse clock costs a few nanoseconds and ticks every few
  // milliseconds: plenty for thresholds of tens of milliseconds.
  coarse_ = slow_ns_ >= 20'000'000;
  step_start_ = step_clock();
  spin_ns_ = owner.settings().idle_spin.count();
  recent_wait_ns_ = longest_counted_wait_ns;
}

reactor_core::~reactor_core() = default;

asio::io_context& reactor_core::io() noexcept { return engine_->io; }

void reactor_core::add_timer(timer_node* n) { timers_.push(n); }

void reactor_core::post_remote(runnable* r) noexcept {
  // Work for an idle reactor: virtual time must not jump until it has run.
  // Marked before the work is visible: afterwards the reactor may already
  // have run it and gone idle again, and must stay counted as idle.
  if (vclock_ != nullptr) leave_idle();
  engine_->inbox.enqueue(r);
  if constexpr (fenced_inbox) {
    // A flag already set covers this post as well, if the drain that clears
    // it sees this item. This fence and the one after the drain's exchange
    // make sure one side sees the other (Dekker): either the drain finds
    // the item, or this load finds the flag cleared and sets it below. The
    // load leaves the flag's cache line shared; an exchange per post would
    // take it from the receiving thread every time.
    std::atomic_thread_fence(std::memory_order_seq_cst);
    if (engine_->wake_pending.load(std::memory_order_relaxed)) return;
  }
  // Only the post that finds the inbox unseen, and the loop asleep, wakes it.
  if (!engine_->wake_pending.exchange(true, std::memory_order_seq_cst) &&
      engine_->sleeping.load(std::memory_order_seq_cst))
    asio::post(engine_->io, [] {});
}

void reactor_core::flush_releases() noexcept {
  if (deferred_cell_ == nullptr) return;
  std::exchange(deferred_cell_, nullptr)->release(std::exchange(deferred_count_, 0));
}

void reactor_core::flush_prepaid() noexcept {
  actor_cell* cell = std::exchange(prepaid_.cell, nullptr);
  const std::uint32_t left = std::exchange(prepaid_.left, 0);
  prepaid_.next = 1;
  if (left != 0) cell->release(left);
}

bool reactor_core::inbox_pending() const noexcept {
  return engine_->wake_pending.load(std::memory_order_seq_cst);
}

void reactor_core::nudge_virtual_time() noexcept {
  if (!virtual_wake_pending_.exchange(true, std::memory_order_acq_rel)) post_remote(&virtual_wake_);
}

std::int64_t reactor_core::step_clock() const noexcept {
  return read_clock(coarse_ ? CLOCK_MONOTONIC_COARSE : CLOCK_MONOTONIC);
}

void reactor_core::excuse_step() noexcept {
  step_start_ = step_clock();
}

void reactor_core::leave_idle() noexcept {
  if (virtual_idle_.exchange(false, std::memory_order_acq_rel))
    vclock_->idle_reactors.fetch_sub(1, std::memory_order_acq_rel);
}

void reactor_core::wait_virtual() {
  if (engine_->io.poll() > 0) return;  // real I/O handlers are activity too
  next_due_ns_.store(timers_.empty()
                         ? std::numeric_limits<std::int64_t>::max()
                         : std::chrono::duration_cast<std::chrono::nanoseconds>(
                               timers_.top()->deadline_ - vclock_->base)
                               .count(),
                     std::memory_order_release);
  virtual_idle_.store(true, std::memory_order_seq_cst);
  const std::size_t idle = vclock_->idle_reactors.fetch_add(1, std::memory_order_seq_cst) + 1;
  engine_->sleeping.store(true, std::memory_order_seq_cst);
  if (!engine_->wake_pending.load(std::memory_order_seq_cst) &&  // else a post raced us
      !(idle == stride_ && owner_->advance_virtual_time(*this)))
    engine_->io.run_one();  // until a message, or another reactor moving time on
  engine_->sleeping.store(false, std::memory_order_relaxed);
  leave_idle();
}

void reactor_core::drain_inbox() noexcept {
  if (!engine_->wake_pending.exchange(false, std::memory_order_acq_rel)) return;
  if constexpr (fenced_inbox) std::atomic_thread_fence(std::memory_order_seq_cst);  // post_remote's pair
  runnable* batch[64];
  for (;;) {
    const std::size_t n = engine_->inbox.try_dequeue_bulk(batch, 64);
    for (std::size_t i = 0; i < n; ++i) ready_.push(batch[i]);
    if (n < 64) break;
  }
}

void reactor_core::fire_timers() noexcept {
  if (timers_.empty()) return;
  const time_point t = now();
  while (!timers_.empty() && timers_.top()->deadline_ <= t) ready_.push(timers_.pop());
}

void reactor_core::end_step() noexcept {
  if (slow_ns_ == 0) return;
  const std::int64_t t = step_clock();
  if (t - step_start_ > slow_ns_) report_slow(t - step_start_);
  step_start_ = t;
  finished_valid_ = false;
}

void reactor_core::remember_finished(const context& c) noexcept {
  finished_ = {c.name_, c.actor_type_, c.actor_id_, c.id_};  // shortened in report_slow
  finished_valid_ = true;
}

void reactor_core::report_slow(std::int64_t ns) noexcept {
  step_label label;
  if (const context* c = current_context) {
    label = {c->name_, c->actor_type_, c->actor_id_, c->id_};
  } else if (finished_valid_) {
    label = finished_;
  }
  label.name = short_function_name(label.name);
  const double ms = static_cast<double>(ns) / 1e6;
  const double limit = static_cast<double>(slow_ns_) / 1e6;
  try {
    auto log = troupe::logger();
    if (!label.actor_type.empty())
      log->warn("slow handler: {} on actor {}#{} (request {}) held reactor {} for {:.1f} ms "
                "(slow_handler is {:.1f} ms)",
                label.name, label.actor_type, label.actor_id, label.id, index_, ms, limit);
    else if (!label.name.empty())
      log->warn("slow task step: {} (task {}) held reactor {} for {:.1f} ms (slow_handler is "
                "{:.1f} ms)",
                label.name, label.id, index_, ms, limit);
    else
      log->warn("slow step: reactor {} was held for {:.1f} ms (slow_handler is {:.1f} ms)",
                index_, ms, limit);
  } catch (...) {
  }
}

bool reactor_core::turn() {
  drain_inbox();
  fire_timers();
  for (int i = 0; i < ready_batch; ++i) {
    runnable* r = ready_.pop();
    if (r == nullptr) break;
    current_context = nullptr;
    r->run();
    end_step();
  }
  current_context = nullptr;
  flush_releases();
  flush_prepaid();
  if (!ready_.empty()) {
    engine_->io.poll();  // I/O completions get a turn even under load
    end_step();
    return true;
  }
  return false;
}

void reactor_core::wait() {
  flush_prepaid();  // I/O handlers run since the turn ended may have sent
  if (tracing()) [[unlikely]]
    trace_flush();
  if (vclock_ != nullptr && !closing_) {
    wait_virtual();
    step_start_ = step_clock();
    return;
  }
  // Nothing ready: wait for I/O, the inbox, or the next timer.
  // While shutting down, wake regularly so the grace period is noticed.
  time_point until = closing_ ? clock_type::now() + std::chrono::milliseconds(50) : time_point::max();
  if (vclock_ == nullptr && !timers_.empty() && timers_.top()->deadline_ < until)
    until = timers_.top()->deadline_;
  if (spin_ns_ == 0 || closing_) {
    sleep(until);
  } else {
    const std::int64_t began = read_clock(CLOCK_MONOTONIC);
    if (recent_wait_ns_ >= spin_ns_ || !poll_inbox(began, until)) sleep(until);
    note_wait(read_clock(CLOCK_MONOTONIC) - began);
  }
  // Waiting is not holding the reactor: the next step is timed from now.
  step_start_ = step_clock();
}

bool reactor_core::poll_inbox(std::int64_t began, time_point until) noexcept {
  // Messages from other reactors have been arriving within idle_spin of each
  // other: look at the inbox for that long before sleeping, so that the next
  // one costs no sleep and no wake-up. Every few microseconds the clock is
  // read and the CPU offered to other runnable threads, the one we wait for
  // among them when the machine is short of CPUs.
  std::int64_t limit = began + spin_ns_;
  if (until != time_point::max())
    limit = std::min(limit, began + std::chrono::duration_cast<std::chrono::nanoseconds>(
                                        until - clock_type::now())
                                        .count());
  for (;;) {
    for (int i = 0; i < 64; ++i) {
      if (engine_->wake_pending.load(std::memory_order_relaxed)) return true;
      cpu_relax();
    }
    if (read_clock(CLOCK_MONOTONIC) >= limit) return false;
    sched_yield();
  }
}

void reactor_core::sleep(time_point until) {
  engine_->sleeping.store(true, std::memory_order_seq_cst);
  if (!engine_->wake_pending.load(std::memory_order_seq_cst)) {  // else a post raced us
    if (until == time_point::max())
      engine_->io.run_one();
    else
      engine_->io.run_one_until(until);
  }
  engine_->sleeping.store(false, std::memory_order_relaxed);
}

void reactor_core::note_wait(std::int64_t ns) noexcept {
  recent_wait_ns_ += (std::min(ns, longest_counted_wait_ns) - recent_wait_ns_) / 4;
}

void reactor_core::begin_shutdown() noexcept {
  closing_ = true;
  tasks_.for_each([](task_root_base* t) { t->cancel_for_shutdown(); });
  actors_.for_each([](actor_cell* a) { a->request_stop(); });
}

bool reactor_core::quiescent() const noexcept {
  return tasks_.empty() && actors_.empty() && ready_.empty();
}

bool reactor_core::drain_leftovers() noexcept {
  // Whatever reached the inbox late (replies, cancels, messages to stopped
  // actors) still runs, so no future is left pending and nothing leaks.
  bool ran = false;
  engine_->wake_pending.store(true);
  drain_inbox();
  while (runnable* r = ready_.pop()) {
    current_context = nullptr;
    r->run();
    ran = true;
  }
  current_context = nullptr;
  flush_releases();
  if (engine_->io.poll() > 0) ran = true;
  flush_prepaid();
  return ran;
}

void reactor_core::close_io() noexcept {
  engine_->keep_running.reset();
  engine_->io.restart();
  engine_->io.poll();
}

}  // namespace detail
}  // namespace troupe
