#include "chrome.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

#include "json.hpp"

namespace troupe_trace {
namespace {

// One process; reactor r is thread r + 1 (Perfetto treats thread 0 as idle).
constexpr int pid = 1;

// Flow events pair up by (id, cat, name): every arrow uses this cat and name.
constexpr std::string_view flow_cat = "troupe.flow";
constexpr std::string_view flow_name = "request";

// Handlers that overlap on one reactor (coroutine handlers suspended at a
// co_await) cannot nest as slices on one track; each gets the reactor's
// lowest free lane, an extra track. Lane k of reactor r is thread
// r + 1 + k * lanes_per_reactor.
constexpr std::uint64_t lanes_per_reactor = 1000;

struct lane_id {
  std::uint64_t r = 0;
  std::uint64_t index = 0;
  std::uint64_t tid() const noexcept { return r + 1 + index * lanes_per_reactor; }
};

class chrome_writer {
 public:
  explicit chrome_writer(std::ostream& out) : out_(out) {}

  void run(trace_reader& reader) {
    buf_ = "{\"traceEvents\":[\n";
    open("process_name", "M", 0, lane_id{});
    buf_ += ",\"args\":{\"name\":\"troupe\"}}";
    event e;
    while (reader.next(e)) on(e);
    finish();
    buf_ += "\n],\"displayTimeUnit\":\"ns\"}\n";
    flush();
  }

 private:
  struct running {
    std::uint64_t start_t = 0;
    std::uint64_t r = 0;
    std::uint64_t lane = 0;
    std::uint64_t actor_id = 0;
    std::uint64_t depth = 0;
    std::string handler;
    std::string actor;
  };

  void on(const event& e) {
    last_t_ = std::max(last_t_, e.t);
    use_lane(e.r, 0);  // every reactor seen gets its track, in order of appearance
    switch (e.kind) {
      case event_kind::send: {
        // A zero-length slice at the send, for the arrow to start from: a
        // send from a task or a plain thread has no handler slice around it.
        open(fmt::format("send {}", e.handler), "X", e.t, sending_lane(e));
        buf_ += ",\"dur\":0,\"args\":{\"req\":";
        fmt::format_to(std::back_inserter(buf_), "{}", e.req);
        buf_ += ",\"kind\":";
        append_json_string(buf_, e.ask ? "ask" : "tell");
        buf_ += ",\"to\":";
        append_json_string(buf_, actor_name(e.type, e.actor));
        buf_ += ",\"from\":";
        append_json_string(buf_, sender(e));
        if (e.has_deadline) {
          buf_ += ",\"deadline_us\":";
          append_micros(buf_, e.deadline);
        }
        buf_ += "}}";
        flow("s", e.req, e.t, sending_lane(e));
        buf_ += '}';
        break;
      }
      case event_kind::start: {
        const std::string actor = actor_name(e.type, e.actor);
        const lane_id lane = free_lane(e.r);
        open(fmt::format("mailbox {}", actor), "C", e.t, lane);
        fmt::format_to(std::back_inserter(buf_), ",\"args\":{{\"depth\":{}}}}}", e.depth);
        if (auto old = running_.find(e.req); old != running_.end()) release(e.req, old->second);
        busy(lane) = true;
        by_actor_[e.actor] = e.req;
        running_.insert_or_assign(
            e.req, running{e.t, e.r, lane.index, e.actor, e.depth, std::string(e.handler), actor});
        break;
      }
      case event_kind::end: {
        auto it = running_.find(e.req);
        if (it == running_.end()) break;
        slice(e.req, it->second, e.t, e.outcome);
        release(e.req, it->second);
        running_.erase(it);
        break;
      }
      case event_kind::task: {
        tasks_.insert_or_assign(e.task, std::string(e.name.empty() ? "task" : e.name));
        open(tasks_[e.task], "b", e.t, lane_id{e.r, 0}, "task");
        fmt::format_to(std::back_inserter(buf_), ",\"id\":\"0x{:x}\",\"args\":{{\"task\":{}",
                       e.task, e.task);
        fmt::format_to(std::back_inserter(buf_), ",\"parent\":{}}}}}", e.parent);
        break;
      }
      case event_kind::task_end: {
        auto it = tasks_.find(e.task);
        if (it == tasks_.end()) break;
        task_end(e.task, it->second, e.t, lane_id{e.r, 0}, e.outcome);
        tasks_.erase(it);
        break;
      }
      case event_kind::reply:
        instant(e, fmt::format("reply {}", e.outcome),
                {{"outcome", e.outcome}, {"error", e.error}});
        break;
      case event_kind::cancel:
        instant(e, "cancel", {{"cause", e.cause}});
        break;
      case event_kind::timeout:
        instant(e, "timeout", {{"where", e.where}});
        break;
      case event_kind::failure:
        instant(e, fmt::format("failure {}", e.handler),
                {{"actor", actor_name(e.type, e.actor)}, {"error", e.error}});
        break;
      case event_kind::dead_letter:
        instant(e, fmt::format("dead letter {}", e.handler),
                {{"actor", actor_name(e.type, e.actor)}, {"reason", e.reason}});
        break;
      case event_kind::spawn:
        instant(e, fmt::format("spawn {}", actor_name(e.type, e.actor)), {});
        break;
      case event_kind::stop:
        instant(e, fmt::format("stop {}", actor_name(e.type, e.actor)), {});
        break;
      case event_kind::unknown:
        break;
    }
    if (buf_.size() > (1u << 16)) flush();
  }

  // Handlers still running and tasks still alive when the trace ends are
  // drawn up to its last event.
  void finish() {
    for (const auto& [req, run] : running_) slice(req, run, last_t_, "unfinished");
    for (const auto& [id, name] : tasks_) task_end(id, name, last_t_, lane_id{0, 0}, "unfinished");
  }

  void slice(std::uint64_t req, const running& run, std::uint64_t end_t, std::string_view outcome) {
    const lane_id lane{run.r, run.lane};
    open(run.handler, "X", run.start_t, lane);
    buf_ += ",\"dur\":";
    append_micros(buf_, end_t >= run.start_t ? end_t - run.start_t : 0);
    fmt::format_to(std::back_inserter(buf_), ",\"args\":{{\"req\":{},\"actor\":", req);
    append_json_string(buf_, run.actor);
    buf_ += ",\"outcome\":";
    append_json_string(buf_, outcome);
    fmt::format_to(std::back_inserter(buf_), ",\"depth\":{}}}}}", run.depth);
    // After the slice, at its start: "bp":"e" binds the arrow's end to the
    // slice that encloses it, this one.
    flow("f", req, run.start_t, lane);
    buf_ += ",\"bp\":\"e\"}";
  }

  void task_end(std::uint64_t id, const std::string& name, std::uint64_t t, lane_id lane,
                std::string_view outcome) {
    open(name, "e", t, lane, "task");
    fmt::format_to(std::back_inserter(buf_), ",\"id\":\"0x{:x}\",\"args\":{{\"outcome\":", id);
    append_json_string(buf_, outcome);
    buf_ += "}}";
  }

  struct arg {
    std::string_view key;
    std::string_view value;
  };

  // An instant inside the handler run of e.req if there is one (a failure),
  // otherwise on a lane where no handler runs.
  void instant(const event& e, const std::string& name, std::initializer_list<arg> args) {
    auto it = running_.end();
    if (e.kind != event_kind::spawn && e.kind != event_kind::stop) it = running_.find(e.req);
    const lane_id lane = it != running_.end() && it->second.r == e.r ? lane_id{e.r, it->second.lane}
                                                                     : free_lane(e.r);
    open(name, "i", e.t, lane);
    buf_ += ",\"s\":\"t\",\"args\":{";
    fmt::format_to(std::back_inserter(buf_), "\"id\":{}", e.subject());
    for (const arg& a : args) {
      if (a.value.empty()) continue;
      buf_ += ',';
      append_json_string(buf_, a.key);
      buf_ += ':';
      append_json_string(buf_, a.value);
    }
    buf_ += "}}";
  }

  // Starts an event object, leaving it open for more fields.
  void open(std::string_view name, std::string_view ph, std::uint64_t t, lane_id lane,
            std::string_view cat = "troupe") {
    if (!first_) buf_ += ",\n";
    first_ = false;
    buf_ += "{\"name\":";
    append_json_string(buf_, name);
    buf_ += ",\"cat\":";
    append_json_string(buf_, cat);
    fmt::format_to(std::back_inserter(buf_), ",\"ph\":\"{}\",\"ts\":", ph);
    append_micros(buf_, t);
    fmt::format_to(std::back_inserter(buf_), ",\"pid\":{},\"tid\":{}", pid, lane.tid());
  }

  void flow(std::string_view ph, std::uint64_t req, std::uint64_t t, lane_id lane) {
    open(flow_name, ph, t, lane, flow_cat);
    fmt::format_to(std::back_inserter(buf_), ",\"id\":\"0x{:x}\"", req);
  }

  // The lowest lane of reactor r with no handler running.
  lane_id free_lane(std::uint64_t r) {
    const auto& lanes = lanes_[r];
    std::uint64_t k = 0;
    while (k < lanes.size() && lanes[k]) ++k;
    return use_lane(r, k);
  }

  // Lane k of reactor r, named when first used.
  lane_id use_lane(std::uint64_t r, std::uint64_t k) {
    auto& lanes = lanes_[r];
    while (lanes.size() <= k) {
      const lane_id lane{r, lanes.size()};
      lanes.push_back(false);
      open("thread_name", "M", 0, lane);
      buf_ += ",\"args\":{\"name\":";
      append_json_string(buf_, lane.index == 0 ? fmt::format("reactor {}", r)
                                               : fmt::format("reactor {} ({})", r, lane.index + 1));
      buf_ += "}}";
      open("thread_sort_index", "M", 0, lane);
      fmt::format_to(std::back_inserter(buf_), ",\"args\":{{\"sort_index\":{}}}}}",
                     r * lanes_per_reactor + lane.index);
    }
    return {r, k};
  }

  std::vector<bool>::reference busy(lane_id lane) { return lanes_[lane.r][lane.index]; }

  void release(std::uint64_t req, const running& run) {
    busy({run.r, run.lane}) = false;
    if (auto it = by_actor_.find(run.actor_id); it != by_actor_.end() && it->second == req)
      by_actor_.erase(it);
  }

  // A send from a handler goes inside that handler's slice; any other send
  // on a lane where no handler runs.
  lane_id sending_lane(const event& e) {
    if (e.from != 0) {
      if (auto a = by_actor_.find(e.from); a != by_actor_.end()) {
        auto it = running_.find(a->second);
        if (it != running_.end() && it->second.r == e.r) return {e.r, it->second.lane};
      }
    }
    return free_lane(e.r);
  }

  std::string sender(const event& e) const {
    if (e.from != 0) return actor_name(e.from_type, e.from);
    if (e.parent != 0) {
      auto it = tasks_.find(e.parent);
      return it != tasks_.end() ? it->second : fmt::format("task {}", e.parent);
    }
    return "outside";
  }

  static std::string actor_name(std::string_view type, std::uint64_t id) {
    return fmt::format("{}#{}", type.empty() ? "actor" : type, id);
  }

  void flush() {
    out_.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
    buf_.clear();
  }

  std::ostream& out_;
  std::string buf_;
  bool first_ = true;
  std::uint64_t last_t_ = 0;
  std::unordered_map<std::uint64_t, std::vector<bool>> lanes_;  // per reactor: handler running?
  std::unordered_map<std::uint64_t, running> running_;
  std::unordered_map<std::uint64_t, std::uint64_t> by_actor_;  // actor -> its latest run's req
  std::unordered_map<std::uint64_t, std::string> tasks_;
};

}  // namespace

command_result write_chrome(const source& src, std::ostream& out) {
  trace_reader reader(src.in, src.name, src.lenient);
  chrome_writer(out).run(reader);
  command_result result;
  result.skipped = reader.skipped();
  return result;
}

}  // namespace troupe_trace
