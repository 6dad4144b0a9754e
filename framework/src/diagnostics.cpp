// What troupe says when something goes wrong: exception messages that name
// the actor, the handler and the request, and the log lines for errors that
// have nobody to be thrown to.

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <source_location>
#include <stdexcept>
#include <string>

#include <troupe/detail/actor_cell.hpp>
#include <troupe/detail/context.hpp>
#include <troupe/detail/future_state.hpp>
#include <troupe/detail/task_root.hpp>
#include <troupe/detail/trace.hpp>
#include <troupe/errors.hpp>
#include <troupe/log.hpp>

namespace troupe {

std::shared_ptr<spdlog::logger> logger() {
  if (auto existing = spdlog::get("troupe")) return existing;
  try {
    return spdlog::stderr_color_mt("troupe");
  } catch (const spdlog::spdlog_ex&) {
    return spdlog::get("troupe");  // another thread created it first
  }
}

void set_logger(std::shared_ptr<spdlog::logger> replacement) {
  if (!replacement) throw std::invalid_argument("troupe::set_logger: null logger");
  if (replacement->name() != "troupe") replacement = replacement->clone("troupe");
  spdlog::drop("troupe");
  spdlog::register_logger(std::move(replacement));
}

namespace detail {
namespace {

// "handler counter::add (request 12) on actor counter#3" / "task amain (task 4)"
std::string describe_context(const context* c) {
  if (c == nullptr) return "an operation";
  std::string s;
  if (!c->actor_type_.empty()) {
    s = "handler " + std::string(c->name_) + " (request " + std::to_string(c->id_) +
        ") on actor " + std::string(c->actor_type_) + "#" + std::to_string(c->actor_id_);
  } else {
    s = "task " + std::string(c->name_.empty() ? "?" : display_name(*c)) + " (task " +
        std::to_string(c->id_) + ")";
  }
  return s;
}

std::string actor_of(const message& m) {
  return std::string(m.actor_type_) + "#" + std::to_string(m.actor_id_);
}

}  // namespace

std::string describe(std::exception_ptr e) {
  if (!e) return "no exception";
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    return x.what();
  } catch (...) {
    return "an exception not derived from std::exception";
  }
}

std::string_view short_function_name(std::string_view sig) noexcept {
  // "troupe::task<int> ns::amain(int)" -> "ns::amain"
  std::size_t end = sig.find('(');
  if (end == std::string_view::npos) end = sig.size();
  std::size_t begin = 0;
  int depth = 0;
  for (std::size_t i = 0; i < end; ++i) {
    if (sig[i] == '<') ++depth;
    if (sig[i] == '>') --depth;
    if (sig[i] == ' ' && depth == 0) begin = i + 1;
  }
  return sig.substr(begin, end - begin);
}

bool is_own_cancellation(const context& c, const std::exception_ptr& e) noexcept {
  if (c.cause_ == cancel_cause::none || !e) return false;
  try {
    std::rethrow_exception(e);
  } catch (const cancelled_error&) {
    return true;
  } catch (...) {
    return false;
  }
}

void throw_cancelled(const context* c) {
  std::string why;
  switch (c != nullptr ? c->cause_ : cancel_cause::none) {
    case cancel_cause::caller: why = " by its caller"; break;
    case cancel_cause::shutdown: why = ": troupe::run is shutting down"; break;
    case cancel_cause::stopping:
      why = ": actor " + std::string(c->actor_type_) + "#" + std::to_string(c->actor_id_) +
            " is stopping";
      break;
    case cancel_cause::timeout: why = ": its caller's deadline expired"; break;
    case cancel_cause::none: break;
  }
  throw cancelled_error(describe_context(c) + " was cancelled" + why);
}

void state_base::throw_cancelled() const {
  throw cancelled_error(describe_context(producer_) + " was cancelled");
}

void state_base::throw_not_done(std::string_view what) const {
  throw invalid_state_error(std::string(what) + " of " + describe_context(producer_) +
                            " called before it is done");
}

void state_base::throw_taken() const {
  throw invalid_state_error("the result of " + describe_context(producer_) +
                            " was already taken by co_await");
}

void state_base::report_never_retrieved() const noexcept {
  try {
    troupe::logger()->error("exception never retrieved: {} failed with: {}",
                            describe_context(producer_), describe(error_));
  } catch (...) {
  }
}

void report_callback_failure(const context* producer, std::exception_ptr e) noexcept {
  try {
    troupe::logger()->error("a done callback of {} threw: {}", describe_context(producer),
                            describe(e));
  } catch (...) {
  }
}

std::exception_ptr make_actor_stopped(const message& m) {
  return std::make_exception_ptr(actor_stopped("ask " + std::string(m.name_) + " (request " +
                                               std::to_string(m.id_) + ") to actor " +
                                               actor_of(m) + " failed: the actor is stopped"));
}

std::exception_ptr make_wrong_actor(const message& m) {
  return std::make_exception_ptr(std::invalid_argument(
      "message " + std::string(m.name_) + " (request " + std::to_string(m.id_) + ") to actor " +
      actor_of(m) + ": a " + std::string(m.actor_type_) + " has no handler " +
      std::string(m.name_)));
}

void report_dead_letter(const message& m) noexcept {
  try {
    troupe::logger()->warn("dead letter: tell {} (request {}) to actor {}: the actor is stopped",
                           m.name_, m.id_, actor_of(m));
  } catch (...) {
  }
}

void throw_empty_ref(std::string_view what) {
  throw invalid_state_error("message " + std::string(what) + " sent through an empty actor_ref");
}

void throw_no_reactor(const char* what) {
  throw std::logic_error(std::string(what) +
                         " called outside a reactor thread (inside troupe::run only)");
}

void throw_foreign_io_object() {
  throw std::logic_error(
      "troupe::use_future: the I/O object runs on another io_context than this reactor's; create "
      "it with troupe::this_reactor().io_context() (or home().io_context() in an actor) so that "
      "its handler runs on the reactor that awaits it");
}

void throw_empty_task(const char* what) {
  throw invalid_state_error(std::string(what) + " given an empty troupe::task");
}

std::uint64_t next_outside_request_id() noexcept {
  // Outside reactors (plain threads): ids from a range reactors never reach.
  static std::atomic<std::uint64_t> outside{0};
  return (std::uint64_t{1} << 62) + outside.fetch_add(1, std::memory_order_relaxed);
}

namespace {
struct remote_cancel final : runnable {
  context* target_;
  state_base* state_;
  cancel_cause cause_;
  remote_cancel(context& c, state_base& s, cancel_cause cause) noexcept
      : runnable(&run_it), target_(&c), state_(&s), cause_(cause) {
    s.add_ref();
  }
  static void run_it(runnable* r) noexcept {
    auto* self = static_cast<remote_cancel*>(r);
    request_cancel(*self->target_, self->cause_, false);
    self->state_->release();
    delete self;
  }
};
}  // namespace

void deliver_cancel(reactor_core& home, context& c, state_base& s, cancel_cause cause) noexcept {
  if (tracing()) [[unlikely]]
    trace_cancel(c, cause);
  if (home.is_current()) {
    request_cancel(c, cause, false);
    return;
  }
  home.post_remote(new remote_cancel(c, s, cause));
}

namespace {
struct remote_deadline final : runnable {
  context* target_;
  state_base* state_;
  time_point deadline_;
  std::source_location where_;
  remote_deadline(context& c, state_base& s, time_point d, const std::source_location& w) noexcept
      : runnable(&run_it), target_(&c), state_(&s), deadline_(d), where_(w) {
    s.add_ref();
  }
  static void run_it(runnable* r) noexcept {
    auto* self = static_cast<remote_deadline*>(r);
    if (self->deadline_ < self->target_->deadline_) {
      self->target_->deadline_ = self->deadline_;
      self->target_->deadline_where_ = self->where_;
    }
    self->state_->release();
    delete self;
  }
};
}  // namespace

void deliver_deadline(reactor_core& home, context& c, state_base& s, time_point deadline,
                      const std::source_location& where) noexcept {
  if (home.is_current()) {
    if (deadline < c.deadline_) {
      c.deadline_ = deadline;
      c.deadline_where_ = where;
    }
    return;
  }
  home.post_remote(new remote_deadline(c, s, deadline, where));
}

namespace {
std::string deadline_origin(const context& c) {
  if (c.deadline_where_.line() == 0) return "its deadline";
  return std::string("its deadline (set by wait_for at ") + c.deadline_where_.file_name() + ":" +
         std::to_string(c.deadline_where_.line()) + ")";
}
}  // namespace

std::exception_ptr make_expired(const message& m, time_point now) {
  const double late_ms =
      std::chrono::duration<double, std::milli>(now - m.deadline_).count();
  return std::make_exception_ptr(timeout_error(
      "ask " + std::string(m.name_) + " (request " + std::to_string(m.id_) + ") to actor " +
      actor_of(m) + " was dropped unhandled: " + deadline_origin(m) + " had passed " +
      fmt::format("{:g}", late_ms) + " ms before it reached the actor"));
}

void report_expired_tell(const message& m) noexcept {
  try {
    troupe::logger()->warn("dropped tell {} (request {}) to actor {}: {} had passed before it "
                           "reached the actor",
                           m.name_, m.id_, actor_of(m), deadline_origin(m));
  } catch (...) {
  }
}

void throw_timed_out(const state_base& s, std::chrono::nanoseconds after,
                     const std::source_location& where) {
  const double ms = static_cast<double>(after.count()) / 1e6;
  if (tracing()) [[unlikely]]
    trace_timeout(s.producer_, where);
  throw timeout_error(describe_context(s.producer_) + " timed out after " +
                      fmt::format("{:g}", ms) + " ms (deadline set by wait_for at " +
                      where.file_name() + ":" + std::to_string(where.line()) +
                      "); it was cancelled");
}

void throw_empty_future(const char* what) {
  throw invalid_state_error(std::string(what) + " given an empty troupe::future");
}

}  // namespace detail
}  // namespace troupe
