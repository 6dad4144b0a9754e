// The message-flow recorder: one JSON line per event, written by an spdlog
// async logger named "troupe.trace" whose queue blocks (never drops) when the
// file cannot keep up. docs/tracing.md describes the format.

#include <troupe/detail/trace.hpp>

#include <fmt/format.h>
#include <spdlog/async.h>
#include <spdlog/async_logger.h>
#include <spdlog/details/null_mutex.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string_view>

#include <troupe/detail/actor_cell.hpp>
#include <troupe/detail/future_state.hpp>
#include <troupe/detail/messages.hpp>
#include <troupe/detail/reactor_core.hpp>

namespace troupe::detail {

namespace {

/// The trace file: each record's text and a newline, written in large
/// blocks; no pattern (the lines are already JSON). Only the logger's worker
/// thread writes to it.
class jsonl_sink final : public spdlog::sinks::base_sink<spdlog::details::null_mutex> {
 public:
  explicit jsonl_sink(const std::string& path) : file_(std::fopen(path.c_str(), "wb")) {
    if (file_ == nullptr)
      throw std::runtime_error("troupe: cannot write the trace file \"" + path +
                               "\": " + std::strerror(errno));
    std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
  }
  ~jsonl_sink() override { std::fclose(file_); }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    std::fwrite(msg.payload.data(), 1, msg.payload.size(), file_);
    std::fputc('\n', file_);
  }
  void flush_() override { std::fflush(file_); }

 private:
  std::FILE* file_;
};

}  // namespace

// Plain appends: the format strings' parsing was most of a line's cost.
void append(fmt::memory_buffer& b, std::string_view s) { b.append(s.data(), s.data() + s.size()); }
void append_int(fmt::memory_buffer& b, std::uint64_t v) {
  const fmt::format_int digits(v);
  b.append(digits.data(), digits.data() + digits.size());
}

class trace_recorder {
 public:
  trace_recorder(const std::string& path, const reactor_core& clock) : clock_(&clock) {
    auto sink = std::make_shared<jsonl_sink>(path);
    pool_ = std::make_shared<spdlog::details::thread_pool>(queue_items, 1);
    logger_ = std::make_shared<spdlog::async_logger>("troupe.trace", std::move(sink), pool_,
                                                     spdlog::async_overflow_policy::block);
    logger_->set_level(spdlog::level::info);
    logger_->flush_on(spdlog::level::off);
    spdlog::drop("troupe.trace");
    spdlog::register_logger(logger_);
    base_ = clock.now();
  }

  ~trace_recorder() {
    spdlog::drop("troupe.trace");
    logger_.reset();
    pool_.reset();  // the worker writes everything queued before it stops
  }

  /// Starts a line: {"t":..,"ev":"..","r":.. Lines collect in a
  /// per-thread batch that goes to the logger as one record: per-record
  /// queueing, not formatting, is what an async logger's throughput is
  /// bounded by.
  fmt::memory_buffer& begin(std::string_view ev) {
    const auto t = std::chrono::duration_cast<std::chrono::nanoseconds>(clock_->now() - base_);
    append(buf_, R"({"t":)");
    append_int(buf_, static_cast<std::uint64_t>(t.count()));
    append(buf_, R"(,"ev":")");
    append(buf_, ev);
    buf_.push_back('"');
    if (const reactor_core* r = current_reactor) {
      append(buf_, R"(,"r":)");
      append_int(buf_, r->index());
    }
    return buf_;
  }
  void end() {
    buf_.append(std::string_view("}\n"));
    // A reactor's batch goes out when it is large or its reactor idles; a
    // plain thread's at once (nothing would flush it later).
    if (buf_.size() >= batch_bytes || current_reactor == nullptr) flush();
  }
  /// Hands this thread's batch to the logger.
  void flush() {
    if (buf_.size() == 0) return;
    logger_->info(std::string_view(buf_.data(), buf_.size() - 1));  // the sink adds the last newline
    buf_.clear();
  }
  std::int64_t since_base(time_point p) const {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(p - base_).count();
  }

 private:
  static constexpr std::size_t queue_items = 1024;   // batches, not lines
  static constexpr std::size_t batch_bytes = 1 << 16;

  const reactor_core* clock_;
  time_point base_;
  std::shared_ptr<spdlog::details::thread_pool> pool_;
  std::shared_ptr<spdlog::async_logger> logger_;
  static thread_local fmt::memory_buffer buf_;
};

thread_local fmt::memory_buffer trace_recorder::buf_;

namespace {

// A JSON string field: ,"key":"value" with the characters JSON escapes.
void text(fmt::memory_buffer& b, std::string_view key, std::string_view v) {
  append(b, R"(,")");
  append(b, key);
  append(b, R"(":")");
  const bool plain = std::none_of(v.begin(), v.end(), [](char c) {
    return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20;
  });
  if (plain) {
    append(b, v);
    b.push_back('"');
    return;
  }
  for (char c : v) {
    switch (c) {
      case '"': b.append(std::string_view("\\\"")); break;
      case '\\': b.append(std::string_view("\\\\")); break;
      case '\n': b.append(std::string_view("\\n")); break;
      case '\t': b.append(std::string_view("\\t")); break;
      case '\r': b.append(std::string_view("\\r")); break;
      default:
        if (static_cast<unsigned char>(c) < 0x20)
          fmt::format_to(fmt::appender(b), "\\u{:04x}", static_cast<unsigned>(c));
        else
          b.push_back(c);
    }
  }
  b.push_back('"');
}

void number(fmt::memory_buffer& b, std::string_view key, std::uint64_t v) {
  append(b, R"(,")");
  append(b, key);
  append(b, R"(":)");
  append_int(b, v);
}

const char* cause_name(cancel_cause c) {
  switch (c) {
    case cancel_cause::caller: return "caller";
    case cancel_cause::shutdown: return "shutdown";
    case cancel_cause::stopping: return "stopping";
    case cancel_cause::timeout: return "timeout";
    case cancel_cause::none: break;
  }
  return "caller";
}

// The message being handled or task running on this thread: the causal
// parent of what it sends, spawns or creates.
std::uint64_t parent_id() { return current_context != nullptr ? current_context->id_ : 0; }

// Runs `write` on the active recorder; a recorder that fails never takes
// the runtime down with it.
template <class F>
void record(F&& write) noexcept {
  trace_recorder* t = active_trace;
  if (t == nullptr) return;
  try {
    write(*t);
  } catch (...) {
  }
}

void about(fmt::memory_buffer& b, const message& m) {
  number(b, "req", m.id_);
  number(b, "actor", m.actor_id_);
  text(b, "type", m.actor_type_);
  text(b, "handler", m.name_);
}

}  // namespace

trace_recorder* start_trace(const std::string& path, const reactor_core& clock) {
  return new trace_recorder(path, clock);
}

void stop_trace(trace_recorder* t) noexcept {
  try {
    t->flush();  // the calling thread's batch; every other thread flushed its own
  } catch (...) {
  }
  delete t;
}

void trace_flush() noexcept {
  record([](trace_recorder& t) { t.flush(); });
}

void trace_spawn(const actor_cell& c) noexcept {
  record([&](trace_recorder& t) {
    auto& b = t.begin("spawn");
    number(b, "actor", c.id());
    text(b, "type", c.type_name());
    number(b, "home", c.home().index());
    number(b, "parent", parent_id());
    t.end();
  });
}

void trace_task(const context& task) noexcept {
  record([&](trace_recorder& t) {
    auto& b = t.begin("task");
    number(b, "task", task.id_);
    text(b, "name", display_name(task));
    number(b, "parent", task.parent_);
    t.end();
  });
}

void trace_task_end(const context& task, const char* outcome) noexcept {
  record([&](trace_recorder& t) {
    auto& b = t.begin("task_end");
    number(b, "task", task.id_);
    text(b, "outcome", outcome);
    t.end();
  });
}

void trace_send(const message& m, bool ask) noexcept {
  record([&](trace_recorder& t) {
    auto& b = t.begin("send");
    text(b, "kind", ask ? "ask" : "tell");
    about(b, m);
    if (const context* c = current_context; c != nullptr && !c->actor_type_.empty()) {
      number(b, "from", c->actor_id_);
      text(b, "from_type", c->actor_type_);
    }
    number(b, "parent", m.parent_);
    if (has_deadline(m)) number(b, "deadline", static_cast<std::uint64_t>(t.since_base(m.deadline_)));
    t.end();
  });
}

void trace_start(const message& m, std::size_t depth) noexcept {
  record([&](trace_recorder& t) {
    auto& b = t.begin("start");
    about(b, m);
    number(b, "depth", depth);
    t.end();
  });
}

void trace_end(const message& m, const char* outcome) noexcept {
  record([&](trace_recorder& t) {
    auto& b = t.begin("end");
    about(b, m);
    text(b, "outcome", outcome);
    t.end();
  });
}

void trace_reply(const context& m, const char* outcome, const std::exception_ptr& e) noexcept {
  record([&](trace_recorder& t) {
    auto& b = t.begin("reply");
    number(b, "req", m.id_);
    text(b, "outcome", outcome);
    if (e) text(b, "error", describe(e));
    t.end();
  });
}

void trace_cancel(const context& target, cancel_cause cause) noexcept {
  record([&](trace_recorder& t) {
    auto& b = t.begin("cancel");
    number(b, "req", target.id_);
    text(b, "cause", cause_name(cause));
    t.end();
  });
}

void trace_timeout(const context* target, const std::source_location& where) noexcept {
  if (target == nullptr) return;
  record([&](trace_recorder& t) {
    auto& b = t.begin("timeout");
    number(b, "req", target->id_);
    std::string_view file = where.file_name();
    if (auto slash = file.rfind('/'); slash != std::string_view::npos) file.remove_prefix(slash + 1);
    text(b, "where", fmt::format("{}:{}", file, where.line()));
    t.end();
  });
}

void trace_failure(const message& m, const std::exception_ptr& e) noexcept {
  record([&](trace_recorder& t) {
    auto& b = t.begin("failure");
    about(b, m);
    text(b, "error", describe(e));
    t.end();
  });
}

void trace_dead_letter(const message& m, const char* reason) noexcept {
  record([&](trace_recorder& t) {
    auto& b = t.begin("dead_letter");
    about(b, m);
    text(b, "reason", reason);
    t.end();
  });
}

void trace_stop(const actor_cell& c) noexcept {
  record([&](trace_recorder& t) {
    auto& b = t.begin("stop");
    number(b, "actor", c.id());
    text(b, "type", c.type_name());
    t.end();
  });
}

}  // namespace troupe::detail

namespace troupe::detail {

void trace_finished(const message& m, result_kind kind, const std::exception_ptr& e,
                    bool ask) noexcept {
  if (kind == result_kind::error) trace_failure(m, e);
  trace_end(m, kind == result_kind::value ? "ok" : kind == result_kind::error ? "failed" : "cancelled");
  if (ask)
    trace_reply(m, kind == result_kind::value ? "value" : kind == result_kind::error ? "error" : "cancelled", e);
}

void trace_rejected(const message& m, const char* reason, result_kind kind,
                    const std::exception_ptr& e) noexcept {
  trace_dead_letter(m, reason);
  trace_reply(m, kind == result_kind::cancelled ? "cancelled" : reason, e);
}

}  // namespace troupe::detail
