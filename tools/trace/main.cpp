// troupe-trace: reads the message trace a troupe program records and
// summarises it, draws it (Mermaid or SVG), converts it for Perfetto or
// follows one request.

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "chrome.hpp"
#include "flow.hpp"
#include "follow.hpp"
#include "reader.hpp"
#include "summary.hpp"
#include "svg.hpp"

namespace {

// Exit statuses, as --help and docs/tracing.md list them.
constexpr int exit_ok = 0;
constexpr int exit_usage = 1;
constexpr int exit_input = 2;
constexpr int exit_unmatched = 3;

constexpr std::string_view exit_codes = R"(
exit status:
  0  success
  1  usage error
  2  the file cannot be read, a line is malformed, or svg's OUT.svg cannot be written
  3  nothing matched (an unknown request, task or actor)
)";

constexpr std::string_view main_help = R"(usage: troupe-trace [--lenient] COMMAND [OPTIONS] FILE

Reads a troupe message trace: JSON Lines recorded by a program run with
troupe::options{.trace = "flow.jsonl"} or TROUPE_TRACE=flow.jsonl.

commands:
  summary FILE                           per actor type and handler: counts, handling
                                         time and mailbox wait percentiles, mailbox depth
  flow FILE [--request ID] [--actor NAME]
                                         a Mermaid sequence diagram of the messages
  svg FILE [--request ID] [--actor NAME] [-o OUT.svg]
                                         the same diagram drawn as an SVG image
  chrome FILE                            Chrome trace-event JSON, for ui.perfetto.dev
  follow ID FILE                         the causal tree of request or task ID

options (any command):
  --lenient   skip malformed lines and report how many on stderr, instead of stopping
  --help      this help; `troupe-trace COMMAND --help` for a command's
)";

constexpr std::string_view summary_help = R"(usage: troupe-trace summary [--lenient] FILE

A table with one row per actor type and handler: messages sent, handled
(started), failed, cancelled, timed out and dropped (dead letters); handling
time (end - start) and mailbox wait (start - send) as p50/p99/max; the
deepest the actor's mailbox was when a handler started. Then totals for
requests, tasks and actors, and how many events had a kind this version does
not know.
)";

constexpr std::string_view flow_help =
    R"(usage: troupe-trace flow [--lenient] FILE [--request ID] [--actor NAME]

A Mermaid sequenceDiagram: asks ->>, tells -), replies -->> back to the
sender, cancels -x; failures, timeouts, dead letters and stops as notes.
Participants are actors (type#id), tasks (by name) and `outside` (plain
threads), in order of first appearance.

  --request ID   only request or task ID and everything it caused
  --actor NAME   only messages to or from NAME: a type (counter) or one actor (counter#17)
)";

constexpr std::string_view svg_help =
    R"(usage: troupe-trace svg [--lenient] FILE [--request ID] [--actor NAME] [-o OUT.svg]

The diagram `flow` describes, drawn as a standalone SVG 1.1 image: a column
per participant (a box and a lifeline), one row per event from top to
bottom, and at the left the time since the first event drawn, in ms. Asks
are solid arrows with a filled head, tells have an open head, replies are
dashed back to the sender with the outcome, cancels end in a cross;
failures, timeouts, dead letters and stops are notes.

  --request ID   only request or task ID and everything it caused
  --actor NAME   only messages to or from NAME: a type (counter) or one actor (counter#17)
  -o, --output OUT.svg
                 write the image to OUT.svg instead of stdout (only if it succeeds)
)";

constexpr std::string_view chrome_help = R"(usage: troupe-trace chrome [--lenient] FILE > trace.json

Chrome trace-event JSON for ui.perfetto.dev (or chrome://tracing): a track per
reactor with a slice per handler run, arrows from each send to the handler
run it caused, a mailbox-depth counter per actor, instants for replies,
cancels, timeouts, failures, dead letters, spawns and stops, and a slice per
task.
)";

constexpr std::string_view follow_help = R"(usage: troupe-trace follow [--lenient] ID FILE

The tree of request or task ID and every message and task it caused, one
line each: time since ID was sent (ms), kind and id, sender -> receiver and
handler, mailbox wait and handling time, outcome.
)";

int usage_error(const std::string& what) {
  std::cerr << "troupe-trace: " << what << "\nTry 'troupe-trace --help'.\n";
  return exit_usage;
}

std::optional<std::uint64_t> parse_id(const std::string& s) {
  if (s.empty() || s.size() > 20 || s.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  errno = 0;
  char* end = nullptr;
  const unsigned long long v = std::strtoull(s.c_str(), &end, 10);
  if (errno == ERANGE) return std::nullopt;
  return static_cast<std::uint64_t>(v);
}

struct arguments {
  std::string command;
  bool lenient = false;
  bool help = false;
  std::vector<std::string> positional;
  troupe_trace::flow_filter filter;
  std::optional<std::string> output;  // svg -o
};

// Returns an error message, or an empty string.
std::string parse(int argc, char** argv, arguments& a) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&](std::string& into) {
      if (i + 1 >= argc) return false;
      into = argv[++i];
      return true;
    };
    if (arg == "--help" || arg == "-h") {
      a.help = true;
    } else if (arg == "--lenient") {
      a.lenient = true;
    } else if (arg == "--request" || arg == "--actor") {
      if (a.command != "flow" && a.command != "svg")
        return arg + " is an option of `flow` and `svg` only";
      std::string v;
      if (!value(v)) return arg + " needs a value";
      if (arg == "--actor") {
        if (v.empty()) return "--actor needs a name";
        a.filter.actor = v;
      } else {
        a.filter.request = parse_id(v);
        if (!a.filter.request) return "--request needs a request or task id, not '" + v + "'";
      }
    } else if (arg == "-o" || arg == "--output") {
      if (a.command != "svg") return arg + " is an option of `svg` only";
      std::string v;
      if (!value(v) || v.empty()) return arg + " needs a file name";
      a.output = v;
    } else if (arg.size() > 1 && arg[0] == '-') {
      return "unknown option " + arg;
    } else if (a.command.empty()) {
      a.command = arg;
    } else {
      a.positional.push_back(arg);
    }
  }
  return {};
}

// Writes `text` to `path`; says why on stderr when it cannot.
bool write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (out) out << text;
  if (out) out.close();
  if (!out) {
    std::cerr << "troupe-trace: " << path << ": cannot write: " << std::strerror(errno) << '\n';
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  arguments a;
  const std::string error = parse(argc, argv, a);
  if (a.help) {
    std::string_view text = main_help;
    if (a.command == "summary") text = summary_help;
    if (a.command == "flow") text = flow_help;
    if (a.command == "svg") text = svg_help;
    if (a.command == "chrome") text = chrome_help;
    if (a.command == "follow") text = follow_help;
    std::cout << text << exit_codes;
    return exit_ok;
  }
  if (a.command.empty() && error.empty()) {
    std::cerr << main_help << exit_codes;
    return exit_usage;
  }
  if (!error.empty()) return usage_error(error);

  const bool follow = a.command == "follow";
  if (a.command != "summary" && a.command != "flow" && a.command != "svg" &&
      a.command != "chrome" && !follow)
    return usage_error("unknown command '" + a.command + "'");
  const std::size_t wanted = follow ? 2 : 1;
  if (a.positional.size() != wanted)
    return usage_error(a.command + (follow ? " needs an ID and a FILE" : " needs one FILE"));
  std::optional<std::uint64_t> id;
  if (follow) {
    id = parse_id(a.positional[0]);
    if (!id) return usage_error("follow needs a request or task id, not '" + a.positional[0] + "'");
  }
  const std::string& path = a.positional.back();

  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    std::cerr << "troupe-trace: " << path << ": is a directory\n";
    return exit_input;
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    std::cerr << "troupe-trace: " << path << ": cannot open: " << std::strerror(errno) << '\n';
    return exit_input;
  }
  const troupe_trace::source src{file, path, a.lenient};
  try {
    troupe_trace::command_result result;
    if (a.command == "summary") {
      const auto report = troupe_trace::summarize(src);
      troupe_trace::print_summary(report, std::cout);
      result.skipped = report.skipped_lines;
    } else if (a.command == "flow") {
      result = troupe_trace::write_flow(src, a.filter, std::cout);
    } else if (a.command == "svg" && a.output) {
      // Drawn in memory first, so that a failed run leaves no partial file.
      std::ostringstream image;
      result = troupe_trace::write_svg(src, a.filter, image);
      if (result.matched && !write_file(*a.output, image.str())) return exit_input;
    } else if (a.command == "svg") {
      result = troupe_trace::write_svg(src, a.filter, std::cout);
    } else if (a.command == "chrome") {
      result = troupe_trace::write_chrome(src, std::cout);
    } else {
      result = troupe_trace::write_follow(src, *id, std::cout);
    }
    std::cout.flush();
    if (a.lenient)
      std::cerr << "troupe-trace: " << path << ": skipped " << result.skipped << " malformed line"
                << (result.skipped == 1 ? "" : "s") << '\n';
    if (!result.matched) {
      std::cerr << "troupe-trace: " << result.why_unmatched << '\n';
      return exit_unmatched;
    }
    return exit_ok;
  } catch (const troupe_trace::trace_error& e) {
    std::cout.flush();
    std::cerr << "troupe-trace: " << e.what() << '\n';
    return exit_input;
  }
}
