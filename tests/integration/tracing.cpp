// A small fixed actor program traced with options.trace (and TROUPE_TRACE),
// read back with troupe-trace's commands: what the recorder writes is what
// the tool understands, event for event.
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "chrome.hpp"
#include "flow.hpp"
#include "follow.hpp"
#include "reader.hpp"
#include "summary.hpp"
#include "troupe_test.hpp"

using namespace std::chrono_literals;

// A named namespace: type and handler names in the trace read dash::service.
namespace dash {

constexpr int wait_for_line = 54;  // where refresh's wait_for is: the trace names it

class service : public troupe::actor {
 public:
  std::string fetch(std::string what) { return what + ": sunny"; }
  std::string broken(std::string) { throw std::runtime_error("service down"); }
  troupe::task<std::string> slow(std::string what) {
    co_await troupe::sleep(10s);
    co_return what;
  }
  void note(int) {}
  void halt() { stop(); }
};

class dashboard : public troupe::actor {
 public:
  explicit dashboard(troupe::actor_ref<service> s) : service_(std::move(s)) {}
  troupe::task<int> refresh() {
    int ok = 0;
    auto weather = service_.ask<&service::fetch>("weather");
    auto news = service_.ask<&service::broken>("news");
    try {
      (void)co_await weather;
      ++ok;
      (void)co_await news;
    } catch (const std::runtime_error&) {
    }
    try {
      static_assert(wait_for_line == __LINE__ + 1, "the expected diagram names this line");
      (void)co_await troupe::wait_for(service_.ask<&service::slow>("stock"), 2s);
    } catch (const troupe::timeout_error&) {
    }
    service_.tell<&service::note>(1);
    co_return ok;
  }

 private:
  troupe::actor_ref<service> service_;
};

}  // namespace dash

namespace {

using dash::dashboard;
using dash::service;

troupe::task<int> program() {
  auto svc = troupe::spawn<service>();
  auto board = troupe::spawn<dashboard>(svc);
  const int ok = co_await board.ask<&dashboard::refresh>();
  co_await svc.ask<&service::halt>();
  svc.tell<&service::note>(2);  // to a stopped actor: a dead letter
  co_return ok;
}

// One reactor and the virtual clock: the same program writes the same trace.
const troupe::options traced_options{.reactors = 1,
                                     .trace = "",
                                     .clock = troupe::clock_kind::virtual_time};

std::string trace_program(const std::string& name) {
  const auto path = (std::filesystem::temp_directory_path() / name).string();
  troupe::options o = traced_options;
  o.trace = path;
  troupe_test::log_capture quiet;  // the dead letter is logged too
  BOOST_TEST(troupe_test::run([] { return program(); }, o) == 1);
  return path;
}

std::string run_command(const std::string& path,
                        troupe_trace::command_result (*cmd)(const troupe_trace::source&,
                                                             std::ostream&)) {
  std::ifstream in(path);
  std::ostringstream out;
  cmd(troupe_trace::source{in, path}, out);
  return out.str();
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_traced_run_records_every_kind_of_event_as_one_json_line_each) {
  const std::string path = trace_program("troupe-trace-kinds.jsonl");
  std::ifstream in(path);
  std::string line;
  std::string all;
  int lines = 0;
  while (std::getline(in, line)) {
    ++lines;
    BOOST_TEST((line.front() == '{' && line.back() == '}'), line);
    all += line + "\n";
  }
  BOOST_TEST(lines > 20);
  for (const char* ev : {"spawn", "task", "task_end", "send", "start", "end", "reply", "cancel",
                         "timeout", "failure", "dead_letter", "stop"})
    BOOST_TEST(all.find(std::string("\"ev\":\"") + ev + "\"") != std::string::npos, ev);
  BOOST_TEST(all.find(R"("kind":"tell")") != std::string::npos);
  BOOST_TEST(all.find(R"("handler":"dash::service::broken")") != std::string::npos);
  BOOST_TEST(all.find(R"("error":"service down")") != std::string::npos);
  BOOST_TEST(all.find(R"("cause":"timeout")") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(summary_of_a_traced_run_counts_each_handlers_messages_and_outcomes) {
  const std::string path = trace_program("troupe-trace-summary.jsonl");
  std::ifstream in(path);
  const auto report = troupe_trace::summarize(troupe_trace::source{in, path});
  auto row = [&](std::string_view handler) -> const troupe_trace::handler_summary& {
    for (const auto& r : report.rows)
      if (r.handler == handler) return r;
    throw std::runtime_error("no row for " + std::string(handler));
  };
  BOOST_TEST(row("dash::service::fetch").handled == 1u);
  BOOST_TEST(row("dash::service::broken").failed == 1u);
  BOOST_TEST(row("dash::service::slow").timed_out == 1u);
  BOOST_TEST(row("dash::service::note").messages == 2u);
  BOOST_TEST(row("dash::service::note").dropped == 1u);
  BOOST_TEST(report.spawned == 2u);
  BOOST_TEST(report.unknown_events == 0u);
}

BOOST_AUTO_TEST_CASE(the_flow_of_a_traced_run_is_the_same_mermaid_diagram_every_time) {
  const std::string a = run_command(trace_program("troupe-trace-flow-a.jsonl"),
                                    [](const troupe_trace::source& s, std::ostream& o) {
                                      return troupe_trace::write_flow(s, {}, o);
                                    });
  const std::string b = run_command(trace_program("troupe-trace-flow-b.jsonl"),
                                    [](const troupe_trace::source& s, std::ostream& o) {
                                      return troupe_trace::write_flow(s, {}, o);
                                    });
  BOOST_TEST(a == b);
  BOOST_TEST(a.find("sequenceDiagram") == 0u, a);
  BOOST_TEST(a.find("dash::service::broken") == std::string::npos, "':' is escaped: " << a);
  BOOST_TEST(a.find("service#58;#58;broken") != std::string::npos, a);
}

BOOST_AUTO_TEST_CASE(the_flow_of_the_traced_program_is_exactly_this_diagram) {
  const std::string flow = run_command(trace_program("troupe-trace-flow-exact.jsonl"),
                                       [](const troupe_trace::source& s, std::ostream& o) {
                                         return troupe_trace::write_flow(s, {}, o);
                                       });
  const std::string expected =
      "sequenceDiagram\n"
      "  participant P1 as #123;anonymous#125;#58;#58;program\n"
      "  participant P2 as dash#58;#58;dashboard#35;3\n"
      "  participant P3 as dash#58;#58;service#35;2\n"
      "  P1->>P2: dash#58;#58;dashboard#58;#58;refresh (req 4)\n"
      "  P2->>P3: dash#58;#58;service#58;#58;fetch (req 5)\n"
      "  P2->>P3: dash#58;#58;service#58;#58;broken (req 6)\n"
      "  P3-->>P2: value (req 5)\n"
      "  Note over P3: dash#58;#58;service#58;#58;broken failed#58; service down (req 6)\n"
      "  P3-->>P2: error#58; service down (req 6)\n"
      "  P2->>P3: dash#58;#58;service#58;#58;slow (req 7)\n"
      "  P2-xP3: cancel (req 7, timeout)\n"
      "  Note over P2: timeout (req 7) at tracing.cpp#58;" + std::to_string(dash::wait_for_line) + "\n"
      "  P2-)P3: dash#58;#58;service#58;#58;note (req 8)\n"
      "  P2-->>P1: value (req 4)\n"
      "  P3-->>P2: cancelled (req 7)\n"
      "  P1->>P3: dash#58;#58;service#58;#58;halt (req 9)\n"
      "  P3-->>P1: value (req 9)\n"
      "  Note over P3: stopped\n"
      "  P1-)P3: dash#58;#58;service#58;#58;note (req 10)\n"
      "  Note over P3: dropped dash#58;#58;service#58;#58;note (req 10, stopped)\n"
      "  Note over P2: stopped\n";
  BOOST_TEST(flow == expected);
}

BOOST_AUTO_TEST_CASE(the_chrome_trace_of_a_run_has_handler_slices_and_flow_arrows) {
  const std::string json = run_command(trace_program("troupe-trace-chrome.jsonl"),
                                       troupe_trace::write_chrome);
  BOOST_TEST(json.find(R"("traceEvents")") != std::string::npos);
  BOOST_TEST(json.find(R"("ph":"X")") != std::string::npos);
  BOOST_TEST(json.find(R"("ph":"s")") != std::string::npos);
  BOOST_TEST(json.find(R"("ph":"f")") != std::string::npos);
  BOOST_TEST(json.find(R"("ph":"C")") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(following_the_dashboards_request_shows_what_it_caused) {
  const std::string path = trace_program("troupe-trace-follow.jsonl");
  // The refresh ask's id, from its send line.
  std::ifstream in(path);
  std::string line;
  std::uint64_t refresh = 0;
  while (std::getline(in, line) && refresh == 0)
    if (line.find(R"("handler":"dash::dashboard::refresh")") != std::string::npos &&
        line.find(R"("ev":"send")") != std::string::npos)
      refresh = std::stoull(line.substr(line.find(R"("req":)") + 6));
  BOOST_REQUIRE(refresh != 0u);
  std::ifstream again(path);
  std::ostringstream out;
  troupe_trace::write_follow(troupe_trace::source{again, path}, refresh, out);
  const std::string tree = out.str();
  for (const char* child : {"dash::service::fetch", "dash::service::broken", "dash::service::slow", "dash::service::note"})
    BOOST_TEST(tree.find(child) != std::string::npos, child << " in\n" << tree);
}

BOOST_AUTO_TEST_CASE(troupe_trace_in_the_environment_traces_without_a_code_change) {
  const auto path = (std::filesystem::temp_directory_path() / "troupe-trace-env.jsonl").string();
  std::filesystem::remove(path);
  ::setenv("TROUPE_TRACE", path.c_str(), 1);
  troupe_test::log_capture quiet;
  troupe_test::run([] { return program(); },
                   troupe::options{.reactors = 1, .clock = troupe::clock_kind::virtual_time});
  ::unsetenv("TROUPE_TRACE");
  BOOST_TEST(std::filesystem::exists(path));
  BOOST_TEST(std::filesystem::file_size(path) > 1000u);
}
