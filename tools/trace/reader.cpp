#include "reader.hpp"

#include <fmt/format.h>

#include <array>
#include <utility>

namespace troupe_trace {
namespace {

struct kind_name {
  std::string_view name;
  event_kind kind;
};

constexpr std::array<kind_name, 12> kind_names{{
    {"spawn", event_kind::spawn},
    {"task", event_kind::task},
    {"task_end", event_kind::task_end},
    {"send", event_kind::send},
    {"start", event_kind::start},
    {"end", event_kind::end},
    {"reply", event_kind::reply},
    {"cancel", event_kind::cancel},
    {"timeout", event_kind::timeout},
    {"failure", event_kind::failure},
    {"dead_letter", event_kind::dead_letter},
    {"stop", event_kind::stop},
}};

event_kind kind_of(std::string_view ev) noexcept {
  for (const auto& k : kind_names)
    if (k.name == ev) return k.kind;
  return event_kind::unknown;
}

// Bits of event::present, one per field an event kind may require.
enum field_bit : std::uint32_t {
  bit_t = 1u << 0,
  bit_actor = 1u << 1,
  bit_task = 1u << 2,
  bit_req = 1u << 3,
  bit_kind = 1u << 4,
  bit_ev = 1u << 5,
};

struct number_key {
  std::string_view key;
  std::uint64_t event::*member;
  std::uint32_t bit;
};

struct text_key {
  std::string_view key;
  std::string_view event::*member;
};

constexpr std::array<number_key, 10> number_keys{{
    {"t", &event::t, bit_t},
    {"r", &event::r, 0},
    {"actor", &event::actor, bit_actor},
    {"task", &event::task, bit_task},
    {"req", &event::req, bit_req},
    {"from", &event::from, 0},
    {"parent", &event::parent, 0},
    {"home", &event::home, 0},
    {"depth", &event::depth, 0},
    {"deadline", &event::deadline, 0},
}};

constexpr std::array<text_key, 9> text_keys{{
    {"type", &event::type},
    {"name", &event::name},
    {"handler", &event::handler},
    {"from_type", &event::from_type},
    {"outcome", &event::outcome},
    {"error", &event::error},
    {"cause", &event::cause},
    {"where", &event::where},
    {"reason", &event::reason},
}};

// The field each kind cannot do without, beyond "t" and "ev".
std::pair<std::uint32_t, std::string_view> required(event_kind k) noexcept {
  switch (k) {
    case event_kind::spawn:
    case event_kind::stop:
      return {bit_actor, "actor"};
    case event_kind::task:
    case event_kind::task_end:
      return {bit_task, "task"};
    case event_kind::send:
    case event_kind::start:
    case event_kind::end:
    case event_kind::reply:
    case event_kind::cancel:
    case event_kind::timeout:
    case event_kind::failure:
    case event_kind::dead_letter:
      return {bit_req, "req"};
    case event_kind::unknown:
      break;
  }
  return {0, {}};
}

bool blank(std::string_view s) noexcept {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

}  // namespace

std::uint64_t event::subject() const noexcept {
  switch (kind) {
    case event_kind::spawn:
    case event_kind::stop:
      return actor;
    case event_kind::task:
    case event_kind::task_end:
      return task;
    default:
      return req;
  }
}

trace_reader::trace_reader(std::istream& in, std::string name, bool lenient)
    : in_(in), name_(std::move(name)), lenient_(lenient) {}

void trace_reader::rewind() {
  in_.clear();
  in_.seekg(0);
  if (!in_) throw trace_error(fmt::format("{}: cannot read the file a second time", name_));
  line_no_ = skipped_ = unknown_ = events_ = 0;
}

bool trace_reader::next(event& e) {
  while (std::getline(in_, line_)) {
    ++line_no_;
    if (blank(line_)) continue;
    std::string what = parse_object(line_, fields_);
    if (what.empty()) {
      e = event{};
      what = bind(e);
    }
    if (!what.empty()) {
      if (!lenient_) throw trace_error(fmt::format("{}:{}: {}", name_, line_no_, what));
      ++skipped_;
      continue;
    }
    if (e.kind == event_kind::unknown) {
      ++unknown_;
      continue;
    }
    ++events_;
    return true;
  }
  if (in_.bad()) throw trace_error(fmt::format("{}: read error after line {}", name_, line_no_));
  return false;
}

std::string trace_reader::bind(event& e) {
  std::uint32_t present = 0;
  for (const json_field& f : fields_) {
    if (f.key == "ev") {
      if (f.type != json_type::string)
        return fmt::format("\"ev\" must be a string, not {}", describe(f.type));
      e.ev = f.text;
      present |= bit_ev;
      continue;
    }
    if (f.key == "kind") {
      if (f.type == json_type::null) continue;
      if (f.type != json_type::string || (f.text != "ask" && f.text != "tell"))
        return f.type == json_type::string
                   ? fmt::format("\"kind\" must be \"ask\" or \"tell\", not \"{}\"", f.text)
                   : fmt::format("\"kind\" must be a string, not {}", describe(f.type));
      e.ask = f.text == "ask";
      present |= bit_kind;
      continue;
    }
    bool known = false;
    for (const auto& k : number_keys) {
      if (k.key != f.key) continue;
      known = true;
      if (f.type == json_type::null) break;
      if (f.type != json_type::integer || !f.fits)
        return f.type == json_type::integer
                   ? fmt::format("\"{}\" must be an unsigned 64-bit integer, not {}", f.key, f.text)
                   : fmt::format("\"{}\" must be an integer, not {}", f.key, describe(f.type));
      e.*k.member = f.value;
      present |= k.bit;
      if (k.member == &event::deadline) e.has_deadline = true;
      break;
    }
    if (known) continue;
    for (const auto& k : text_keys) {
      if (k.key != f.key) continue;
      if (f.type == json_type::null) break;
      if (f.type != json_type::string)
        return fmt::format("\"{}\" must be a string, not {}", f.key, describe(f.type));
      e.*k.member = f.text;
      break;
    }
    // Any other field is from a newer recorder: ignored.
  }
  if (!(present & bit_ev)) return "missing \"ev\"";
  if (!(present & bit_t)) return "missing \"t\"";
  e.kind = kind_of(e.ev);
  const auto [bit, field] = required(e.kind);
  if (bit != 0 && !(present & bit)) return fmt::format("\"{}\" event without \"{}\"", e.ev, field);
  if (e.kind == event_kind::send && !(present & bit_kind)) return "\"send\" event without \"kind\"";
  return {};
}

}  // namespace troupe_trace
