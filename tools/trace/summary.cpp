#include "summary.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <functional>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "text.hpp"

namespace troupe_trace {
namespace {

// Finished requests (and tasks) remembered for late events; beyond this the
// oldest are forgotten, which bounds memory on any trace.
constexpr std::size_t recent_capacity = 16384;

constexpr std::uint32_t no_row = UINT32_MAX;

struct string_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept {
    return std::hash<std::string_view>{}(s);
  }
};

// What is known about one request while it is in flight. Events may arrive
// in any order across reactors, so each flag is set by whichever event comes.
struct flight {
  std::uint32_t row = no_row;
  std::uint64_t send_t = 0;
  std::uint64_t start_t = 0;
  bool sent = false;
  bool started = false;
  bool ended = false;  // end or dead_letter
  bool replied = false;
  bool ask = false;
  bool cancelled = false;  // counted in its row once the row is known
  bool timed_out = false;
  bool counted_cancel = false;
  bool counted_timeout = false;
};

class summarizer {
 public:
  summary_report run(trace_reader& reader) {
    in_flight_.reserve(1024);
    event e;
    while (reader.next(e)) on(e);
    finish(reader);
    return std::move(report_);
  }

 private:
  void on(const event& e) {
    switch (e.kind) {
      case event_kind::send: {
        flight& f = open(e.req);
        f.sent = true;
        f.send_t = e.t;
        f.ask = e.ask;
        (e.ask ? report_.asks : report_.tells) += 1;
        if (name(f, e)) ++row(f).messages;
        if (f.started) record_wait(f);
        settle(e.req);
        break;
      }
      case event_kind::start: {
        flight& f = open(e.req);
        f.started = true;
        f.start_t = e.t;
        if (name(f, e)) {
          auto& r = row(f);
          ++r.handled;
          r.peak_depth = std::max(r.peak_depth, e.depth + 1);
        }
        if (f.sent) record_wait(f);
        break;
      }
      case event_kind::end: {
        flight& f = open(e.req);
        name(f, e);
        f.ended = true;
        if (f.started && f.row != no_row)
          row(f).handling.record(e.t >= f.start_t ? e.t - f.start_t : 0);
        settle(e.req);
        break;
      }
      case event_kind::reply: {
        open(e.req).replied = true;
        settle(e.req);
        break;
      }
      case event_kind::failure: {
        flight& f = open(e.req);
        if (name(f, e)) ++row(f).failed;
        break;
      }
      case event_kind::dead_letter: {
        flight& f = open(e.req);
        if (name(f, e)) ++row(f).dropped;
        f.ended = true;
        settle(e.req);
        break;
      }
      case event_kind::cancel:
      case event_kind::timeout: {
        if (is_task(e.req)) {
          if (e.kind == event_kind::timeout) ++report_.task_timeouts;
          break;
        }
        flight& f = open(e.req);
        (e.kind == event_kind::cancel ? f.cancelled : f.timed_out) = true;
        count_flags(f);
        break;
      }
      case event_kind::task:
        ++report_.tasks;
        live_tasks_.insert(e.task);
        break;
      case event_kind::task_end:
        if (e.outcome == "ok") ++report_.tasks_ok;
        if (e.outcome == "failed") ++report_.tasks_failed;
        if (e.outcome == "cancelled") ++report_.tasks_cancelled;
        if (live_tasks_.erase(e.task) != 0) remember_task(e.task);
        break;
      case event_kind::spawn:
        ++report_.spawned;
        break;
      case event_kind::stop:
        ++report_.stopped;
        break;
      case event_kind::unknown:
        break;
    }
    report_.peak_in_flight = std::max<std::uint64_t>(report_.peak_in_flight, in_flight_.size());
  }

  handler_summary& row(const flight& f) { return report_.rows[f.row]; }

  // Gives `f` its row from the event's type and handler, if it has none yet.
  // Returns whether `f` has a row.
  bool name(flight& f, const event& e) {
    if (f.row != no_row) return true;
    if (e.type.empty() && e.handler.empty()) return false;
    key_.assign(e.type);
    key_ += '\x1f';
    key_ += e.handler;
    auto it = rows_.find(std::string_view(key_));
    if (it == rows_.end()) {
      it = rows_.emplace(key_, static_cast<std::uint32_t>(report_.rows.size())).first;
      auto& r = report_.rows.emplace_back();
      r.type = e.type;
      r.handler = e.handler;
    }
    f.row = it->second;
    count_flags(f);
    return true;
  }

  void count_flags(flight& f) {
    if (f.row == no_row) return;
    if (f.cancelled && !f.counted_cancel) {
      f.counted_cancel = true;
      ++row(f).cancelled;
    }
    if (f.timed_out && !f.counted_timeout) {
      f.counted_timeout = true;
      ++row(f).timed_out;
    }
  }

  void record_wait(flight& f) {
    if (f.row != no_row) row(f).wait.record(f.start_t >= f.send_t ? f.start_t - f.send_t : 0);
  }

  // The request's state: in flight, recently finished, or new.
  flight& open(std::uint64_t req) {
    if (auto it = in_flight_.find(req); it != in_flight_.end()) return it->second;
    if (auto it = recent_.find(req); it != recent_.end()) return it->second;
    return in_flight_[req];
  }

  // Moves a request that can expect no more events (except late cancels and
  // timeouts) from in flight to recent.
  void settle(std::uint64_t req) {
    auto it = in_flight_.find(req);
    if (it == in_flight_.end()) return;
    const flight& f = it->second;
    if (!f.sent || !f.ended || (f.ask && !f.replied)) return;
    remember(req, f);
    in_flight_.erase(it);
  }

  void remember(std::uint64_t id, const flight& f) {
    if (recent_order_.size() == recent_capacity) {
      recent_.erase(recent_order_.front());
      recent_order_.pop_front();
    }
    recent_.insert_or_assign(id, f);
    recent_order_.push_back(id);
  }

  bool is_task(std::uint64_t id) const {
    return live_tasks_.count(id) != 0 || ended_tasks_.count(id) != 0;
  }

  void remember_task(std::uint64_t id) {
    if (ended_order_.size() == recent_capacity) {
      ended_tasks_.erase(ended_order_.front());
      ended_order_.pop_front();
    }
    ended_tasks_.insert(id);
    ended_order_.push_back(id);
  }

  void finish(const trace_reader& reader) {
    for (const auto& [req, f] : in_flight_)
      if (f.sent && !(f.ended && (!f.ask || f.replied))) ++report_.unfinished;
    report_.events = reader.events();
    report_.unknown_events = reader.unknown();
    report_.skipped_lines = reader.skipped();
    std::sort(report_.rows.begin(), report_.rows.end(), [](const auto& a, const auto& b) {
      return std::tie(a.type, a.handler) < std::tie(b.type, b.handler);
    });
  }

  summary_report report_;
  std::unordered_map<std::string, std::uint32_t, string_hash, std::equal_to<>> rows_;
  std::string key_;
  std::unordered_map<std::uint64_t, flight> in_flight_;
  std::unordered_map<std::uint64_t, flight> recent_;
  std::deque<std::uint64_t> recent_order_;
  std::unordered_set<std::uint64_t> live_tasks_;
  std::unordered_set<std::uint64_t> ended_tasks_;
  std::deque<std::uint64_t> ended_order_;
};

std::string spread(const histogram& h) {
  if (h.count() == 0) return "-";
  return fmt::format("{}/{}/{}", format_duration(h.quantile(0.50)),
                     format_duration(h.quantile(0.99)), format_duration(h.max()));
}

}  // namespace

summary_report summarize(const source& src) {
  trace_reader reader(src.in, src.name, src.lenient);
  return summarizer().run(reader);
}

void print_summary(const summary_report& report, std::ostream& out) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"type", "handler", "messages", "handled", "failed", "cancelled", "timed out",
                  "dropped", "handling p50/p99/max", "wait p50/p99/max", "peak depth"});
  for (const auto& r : report.rows) {
    rows.push_back(
        {r.type.empty() ? "?" : one_line(r.type), r.handler.empty() ? "?" : one_line(r.handler),
         std::to_string(r.messages), std::to_string(r.handled), std::to_string(r.failed),
         std::to_string(r.cancelled), std::to_string(r.timed_out), std::to_string(r.dropped),
         spread(r.handling), spread(r.wait), std::to_string(r.peak_depth)});
  }
  write_table(out, rows, {false, false, true, true, true, true, true, true, true, true, true});
  out << '\n'
      << fmt::format("requests: {} ({}, {}), {} unfinished at the end of the trace\n",
                     report.asks + report.tells, count_of(report.asks, "ask", "asks"),
                     count_of(report.tells, "tell", "tells"), report.unfinished)
      << fmt::format("tasks: {} ({} ok, {} failed, {} cancelled), {} on tasks\n", report.tasks,
                     report.tasks_ok, report.tasks_failed, report.tasks_cancelled,
                     count_of(report.task_timeouts, "timeout", "timeouts"))
      << fmt::format("actors: {} spawned, {} stopped\n", report.spawned, report.stopped)
      << fmt::format("events: {}\n", report.events)
      << fmt::format("unknown events: {}\n", report.unknown_events);
}

}  // namespace troupe_trace
