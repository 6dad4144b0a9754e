#include "follow.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "causality.hpp"
#include "text.hpp"

namespace troupe_trace {
namespace {

// Everything the tree shows about one request or task.
struct node {
  bool sent = false;
  bool is_task = false;
  bool ask = false;
  std::uint64_t t = 0;  // sent or created
  std::uint64_t from = 0;
  std::uint64_t parent = 0;
  std::uint64_t actor = 0;
  std::string from_type;
  std::string type;
  std::string handler;  // for a task: its name
  bool started = false;
  bool ended = false;
  std::uint64_t start_t = 0;
  std::uint64_t end_t = 0;
  std::string end_outcome;
  bool replied = false;
  std::string reply_outcome;
  std::string reply_error;
  std::string failure;
  bool failed = false;
  std::string timeout_where;
  bool timed_out = false;
  std::string cancel_cause;
  bool cancelled = false;
  std::string dropped_reason;
  bool dropped = false;
};

void absorb(node& n, const event& e) {
  switch (e.kind) {
    case event_kind::send:
      n.sent = true;
      n.ask = e.ask;
      n.t = e.t;
      n.from = e.from;
      n.parent = e.parent;
      n.actor = e.actor;
      n.from_type = e.from_type;
      n.type = e.type;
      n.handler = e.handler;
      break;
    case event_kind::task:
      n.sent = n.is_task = true;
      n.t = e.t;
      n.parent = e.parent;
      n.handler = e.name;
      break;
    case event_kind::start:
      n.started = true;
      n.start_t = e.t;
      break;
    case event_kind::end:
    case event_kind::task_end:
      n.ended = true;
      n.end_t = e.t;
      n.end_outcome = e.outcome;
      break;
    case event_kind::reply:
      n.replied = true;
      n.reply_outcome = e.outcome;
      n.reply_error = e.error;
      break;
    case event_kind::failure:
      n.failed = true;
      n.failure = e.error;
      break;
    case event_kind::timeout:
      n.timed_out = true;
      n.timeout_where = e.where;
      break;
    case event_kind::cancel:
      n.cancelled = true;
      n.cancel_cause = e.cause;
      break;
    case event_kind::dead_letter:
      n.dropped = true;
      n.dropped_reason = e.reason;
      break;
    default:
      break;
  }
}

class tree {
 public:
  tree(const causal_index& index, std::unordered_map<std::uint64_t, node>& nodes,
       const std::unordered_map<std::uint64_t, node>& parents)
      : index_(index), nodes_(nodes), parents_(parents) {}

  void write(std::uint64_t root, std::ostream& out) {
    origin_ = nodes_[root].t;
    out << one_line(describe(root, nodes_[root])) << '\n';
    branches(root, "", out);
  }

 private:
  void branches(std::uint64_t id, const std::string& indent, std::ostream& out) {
    std::vector<std::uint64_t> kids;
    for (const std::uint64_t c : index_.children(id))
      if (nodes_.count(c) != 0) kids.push_back(c);
    std::stable_sort(kids.begin(), kids.end(),
                     [&](std::uint64_t a, std::uint64_t b) { return nodes_[a].t < nodes_[b].t; });
    for (std::size_t i = 0; i < kids.size(); ++i) {
      const bool last = i + 1 == kids.size();
      out << indent << (last ? "└─ " : "├─ ") << one_line(describe(kids[i], nodes_[kids[i]]))
          << '\n';
      branches(kids[i], indent + (last ? "   " : "│  "), out);
    }
  }

  // Who did something on behalf of `parent`: a task's name, the actor that
  // handled a request, or plain threads.
  std::string on_behalf_of(std::uint64_t parent) const {
    if (parent == 0) return "outside";
    if (const std::string* name = index_.task_name(parent)) return *name;
    using node_map = std::unordered_map<std::uint64_t, node>;
    for (const node_map* known : {static_cast<const node_map*>(&nodes_), &parents_}) {
      auto it = known->find(parent);
      if (it != known->end() && it->second.sent && !it->second.is_task)
        return fmt::format("{}#{}", it->second.type, it->second.actor);
    }
    return fmt::format("req {}", parent);
  }

  std::string describe(std::uint64_t id, const node& n) const {
    const std::string when =
        fmt::format("+{} ms", format_ms(static_cast<std::int64_t>(n.t - origin_)));
    if (!n.sent) return fmt::format("{}  req {}  (its send is not in the trace)", when, id);
    if (n.is_task) {
      const std::string lived =
          n.ended ? "lived " + format_duration(n.end_t - n.t) : std::string("still running");
      std::string outcome = n.ended ? n.end_outcome : "";
      if (n.timed_out) add(outcome, "timed out" + at(n.timeout_where));
      if (n.cancelled) add(outcome, cancel_text(n));
      return fmt::format("{}  task {}  {} → {}  {}{}", when, id, on_behalf_of(n.parent), n.handler,
                         lived, outcome.empty() ? "" : "  " + outcome);
    }
    const std::string from =
        n.from != 0 ? fmt::format("{}#{}", n.from_type, n.from) : on_behalf_of(n.parent);
    std::string timing;
    if (!n.started) {
      timing = "not run";
    } else {
      timing = "wait " + format_duration(n.start_t >= n.t ? n.start_t - n.t : 0);
      timing += n.ended ? "  ran " + format_duration(n.end_t - n.start_t) : "  still running";
    }
    return fmt::format("{}  {} {}  {} → {}#{} {}  {}  {}", when, n.ask ? "ask" : "tell", id, from,
                       n.type, n.actor, n.handler, timing, outcome(n));
  }

  static std::string outcome(const node& n) {
    std::string text;
    bool failure_told = false;
    if (n.ask && n.replied) {
      text = n.reply_outcome;
      if (!n.reply_error.empty()) {
        text += ": " + n.reply_error;
        failure_told = n.reply_error == n.failure;
      }
    } else if (n.ended) {
      text = n.end_outcome;
    } else if (!n.dropped) {
      text = "no outcome in the trace";
    }
    if (n.failed && !failure_told) add(text, "failed: " + n.failure);
    if (n.timed_out) add(text, "timed out" + at(n.timeout_where));
    if (n.cancelled) add(text, cancel_text(n));
    if (n.dropped)
      add(text, n.dropped_reason.empty() ? "dropped" : "dropped (" + n.dropped_reason + ")");
    return text;
  }

  static std::string at(const std::string& where) { return where.empty() ? "" : " at " + where; }

  static std::string cancel_text(const node& n) {
    return n.cancel_cause.empty() ? "cancel sent" : "cancel sent (" + n.cancel_cause + ")";
  }

  static void add(std::string& text, const std::string& more) {
    if (!text.empty()) text += "; ";
    text += more;
  }

  const causal_index& index_;
  std::unordered_map<std::uint64_t, node>& nodes_;
  const std::unordered_map<std::uint64_t, node>& parents_;
  std::uint64_t origin_ = 0;
};

}  // namespace

command_result write_follow(const source& src, std::uint64_t id, std::ostream& out) {
  trace_reader reader(src.in, src.name, src.lenient);
  causal_index index;
  bool is_actor = false;
  event e;
  while (reader.next(e)) {
    index.add(e);
    if (e.kind == event_kind::spawn && e.actor == id) is_actor = true;
  }
  command_result result;
  if (!index.known(id)) {
    result.matched = false;
    result.why_unmatched =
        is_actor ? fmt::format("{} is an actor in {}, not a request or task", id, src.name)
                 : fmt::format("no request or task {} in {}", id, src.name);
    return result;
  }

  // The subtree, and the root's parent: a request the root was sent while
  // handling is named by the actor that handled it.
  std::unordered_set<std::uint64_t> wanted = index.descendants(id);
  const std::uint64_t root_parent = index.parent_of(id);
  std::unordered_map<std::uint64_t, node> nodes;
  std::unordered_map<std::uint64_t, node> parents;
  reader.rewind();
  while (reader.next(e)) {
    if (e.kind == event_kind::unknown || e.kind == event_kind::spawn || e.kind == event_kind::stop)
      continue;
    const std::uint64_t subject = e.subject();
    if (wanted.count(subject) != 0) {
      absorb(nodes[subject], e);
    } else if (root_parent != 0 && subject == root_parent && e.kind == event_kind::send) {
      absorb(parents[subject], e);
    }
  }
  result.skipped = reader.skipped();
  tree(index, nodes, parents).write(id, out);
  return result;
}

}  // namespace troupe_trace
