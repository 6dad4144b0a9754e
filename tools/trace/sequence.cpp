#include "sequence.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "causality.hpp"

namespace troupe_trace {
namespace {

// "counter" or "counter#17".
struct actor_pattern {
  std::string type;
  std::optional<std::uint64_t> id;

  explicit actor_pattern(const std::string& name) : type(name) {
    const auto hash = name.rfind('#');
    if (hash == std::string::npos || hash + 1 == name.size()) return;
    const std::string digits = name.substr(hash + 1);
    if (digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 19) return;
    id = std::stoull(digits);
    type = name.substr(0, hash);
  }

  bool matches(std::string_view t, std::uint64_t actor) const {
    return actor != 0 && t == type && (!id || *id == actor);
  }
};

// One event kept for drawing, with copies of the strings it needs.
struct step {
  std::uint64_t t = 0;
  std::uint64_t seq = 0;  // position in the file, for a stable order at equal times
  event_kind kind = event_kind::unknown;
  bool ask = false;
  std::uint64_t req = 0;
  std::uint64_t actor = 0;
  std::uint64_t from = 0;
  std::uint64_t parent = 0;
  std::string type;
  std::string handler;
  std::string from_type;
  std::string detail;  // outcome, cause, where or reason
  std::string error;
};

bool drawn(event_kind k) {
  switch (k) {
    case event_kind::send:
    case event_kind::reply:
    case event_kind::cancel:
    case event_kind::timeout:
    case event_kind::failure:
    case event_kind::dead_letter:
    case event_kind::stop:
      return true;
    default:
      return false;
  }
}

step keep(const event& e, std::uint64_t seq) {
  step s;
  s.t = e.t;
  s.seq = seq;
  s.kind = e.kind;
  s.ask = e.ask;
  s.req = e.kind == event_kind::stop ? 0 : e.req;
  s.actor = e.actor;
  s.from = e.from;
  s.parent = e.parent;
  s.type = e.type;
  s.handler = e.handler;
  s.from_type = e.from_type;
  switch (e.kind) {
    case event_kind::reply:
      s.detail = e.outcome;
      break;
    case event_kind::cancel:
      s.detail = e.cause;
      break;
    case event_kind::timeout:
      s.detail = e.where;
      break;
    case event_kind::dead_letter:
      s.detail = e.reason;
      break;
    default:
      break;
  }
  s.error = e.error;
  return s;
}

// A participant: an actor ("a17"), a task ("t5") or plain threads ("outside").
struct party {
  std::string key;
  std::string label;
  std::uint64_t task = 0;  // for tasks: the id, to tell apart tasks of one name
};

party actor_party(std::string_view type, std::uint64_t id) {
  return {fmt::format("a{}", id), fmt::format("{}#{}", type.empty() ? "actor" : type, id), 0};
}

// Turns the selected steps into rows, enrolling participants as they first
// appear. Only lookups go through the hash maps, never iteration, so the
// order of participants and rows depends on the input alone.
class builder {
 public:
  explicit builder(const causal_index& index) : index_(index) {}

  sequence build(std::vector<step>& steps) {
    std::stable_sort(steps.begin(), steps.end(), [](const step& a, const step& b) {
      return a.t != b.t ? a.t < b.t : a.seq < b.seq;
    });
    for (const step& s : steps)
      if (s.kind == event_kind::send) sends_.emplace(s.req, &s);
    // A stop after the last message drawn adds nothing to the story.
    std::uint64_t last_t = 0;
    for (const step& s : steps)
      if (s.kind != event_kind::stop) last_t = std::max(last_t, s.t);
    for (const step& s : steps)
      if (s.kind != event_kind::stop || s.t <= last_t) line_for(s);
    return finish();
  }

 private:
  struct line {
    sequence_row row;
    std::string stop_key;  // a stop: drawn only if this actor takes part
  };

  party sender(const step& send) const {
    if (send.from != 0) return actor_party(send.from_type, send.from);
    if (send.parent != 0) {
      if (const std::string* name = index_.task_name(send.parent))
        return {fmt::format("t{}", send.parent), name->empty() ? "task" : *name, send.parent};
    }
    return {"outside", "outside", 0};
  }

  std::size_t enrol(const party& p) {
    auto [it, added] = index_of_.emplace(p.key, parties_.size());
    if (added) parties_.push_back(p);
    return it->second;
  }

  void message(const step& s, row_kind kind, const party& from, const party& to, std::string text) {
    const std::size_t a = enrol(from);
    const std::size_t b = enrol(to);
    lines_.push_back({{kind, a, b, s.t, std::move(text)}, {}});
  }

  void note(const step& s, const party& over, std::string text) {
    lines_.push_back({{row_kind::note, enrol(over), 0, s.t, std::move(text)}, {}});
  }

  void line_for(const step& s) {
    const auto send_it = sends_.find(s.req);
    const step* send = send_it == sends_.end() ? nullptr : send_it->second;
    const std::string req = fmt::format("req {}", s.req);
    switch (s.kind) {
      case event_kind::send:
        message(s, s.ask ? row_kind::ask : row_kind::tell, sender(s), actor_party(s.type, s.actor),
                fmt::format("{} ({})", s.handler, req));
        break;
      case event_kind::reply: {
        if (!send) break;
        std::string text = s.detail.empty() ? "reply" : s.detail;
        if (!s.error.empty()) text += ": " + s.error;
        message(s, row_kind::reply, actor_party(send->type, send->actor), sender(*send),
                fmt::format("{} ({})", text, req));
        break;
      }
      case event_kind::cancel: {
        const std::string cause = s.detail.empty() ? "" : ", " + s.detail;
        if (const std::string* name = index_.task_name(s.req)) {
          note(s, {fmt::format("t{}", s.req), *name, s.req},
               fmt::format("cancel (task {}{})", s.req, cause));
        } else if (send) {
          message(s, row_kind::cancel, sender(*send), actor_party(send->type, send->actor),
                  fmt::format("cancel ({}{})", req, cause));
        }
        break;
      }
      case event_kind::timeout: {
        const std::string where = s.detail.empty() ? "" : " at " + s.detail;
        if (const std::string* name = index_.task_name(s.req)) {
          note(s, {fmt::format("t{}", s.req), *name, s.req},
               fmt::format("timeout (task {}){}", s.req, where));
        } else if (send) {
          note(s, sender(*send), fmt::format("timeout ({}){}", req, where));
        }
        break;
      }
      case event_kind::failure:
        note(s, actor_party(s.type, s.actor),
             fmt::format("{} failed: {} ({})", s.handler, s.error, req));
        break;
      case event_kind::dead_letter:
        note(s, actor_party(s.type, s.actor),
             fmt::format("dropped {} ({}{})", s.handler, req,
                         s.detail.empty() ? "" : ", " + s.detail));
        break;
      case event_kind::stop:
        lines_.push_back({{row_kind::note, 0, 0, s.t, "stopped"}, fmt::format("a{}", s.actor)});
        break;
      default:
        break;
    }
  }

  sequence finish() {
    sequence out;
    // Tasks that share a name are told apart by their id.
    std::unordered_map<std::string, int> uses;
    for (const party& p : parties_)
      if (p.task != 0) ++uses[p.label];
    for (const party& p : parties_) {
      std::string label = p.label;
      if (p.task != 0 && uses[p.label] > 1) label += fmt::format(" (task {})", p.task);
      out.participants.push_back(std::move(label));
    }
    for (line& l : lines_) {
      if (!l.stop_key.empty()) {
        auto it = index_of_.find(l.stop_key);
        if (it == index_of_.end()) continue;
        l.row.from = it->second;
      }
      out.rows.push_back(std::move(l.row));
    }
    return out;
  }

  const causal_index& index_;
  std::unordered_map<std::uint64_t, const step*> sends_;
  std::vector<party> parties_;
  std::unordered_map<std::string, std::size_t> index_of_;
  std::vector<line> lines_;
};

}  // namespace

command_result select_sequence(const source& src, const flow_filter& filter, sequence& out) {
  out = {};
  trace_reader reader(src.in, src.name, src.lenient);
  causal_index index;
  std::unordered_set<std::uint64_t> touching;  // requests to or from the actor
  bool actor_seen = false;
  std::optional<actor_pattern> pattern;
  if (filter.actor) pattern.emplace(*filter.actor);

  event e;
  while (reader.next(e)) {
    index.add(e);
    if (!pattern) continue;
    if (e.kind == event_kind::spawn && pattern->matches(e.type, e.actor)) actor_seen = true;
    if (e.kind == event_kind::send &&
        (pattern->matches(e.type, e.actor) || pattern->matches(e.from_type, e.from))) {
      touching.insert(e.req);
      actor_seen = true;
    }
  }

  command_result result;
  std::optional<std::unordered_set<std::uint64_t>> selected;
  if (filter.request) {
    if (!index.known(*filter.request)) {
      result.matched = false;
      result.why_unmatched = fmt::format("no request or task {} in {}", *filter.request, src.name);
      return result;
    }
    selected = index.descendants(*filter.request);
  }
  if (pattern) {
    if (!actor_seen) {
      result.matched = false;
      result.why_unmatched = fmt::format("no actor {} in {}", *filter.actor, src.name);
      return result;
    }
    if (selected) {
      std::erase_if(*selected, [&](std::uint64_t id) { return touching.count(id) == 0; });
    } else {
      selected = std::move(touching);
    }
  }

  reader.rewind();
  std::vector<step> steps;
  while (reader.next(e)) {
    if (!drawn(e.kind)) continue;
    if (selected && e.kind != event_kind::stop && selected->count(e.req) == 0) continue;
    steps.push_back(keep(e, reader.line_number()));
  }
  result.skipped = reader.skipped();

  out = builder(index).build(steps);
  if (out.participants.empty()) {
    out.rows.clear();
    result.matched = false;
    result.why_unmatched = filter.request || filter.actor
                               ? fmt::format("no messages match in {}", src.name)
                               : fmt::format("no messages in {}", src.name);
  }
  return result;
}

}  // namespace troupe_trace
