// fan_out — the weather dashboard of the asyncio articles, with real sockets.
// Five services (weather, news, stock, traffic, health) are actors serving
// TCP on 127.0.0.1, spread over other reactors with spawn_on. A dashboard
// actor asks all five at once, each fetch with a timeout: health answers
// with an error, traffic is slower than the timeout and is cancelled, the
// rest answer. The dashboard shows what it got, and the whole refresh takes
// about as long as the slowest wait, not the sum of them.
//
//   fan_out [--timeout-ms T] [--scale S] [--fail NAME] [--reactors R] [--trace FILE]
#include <troupe/troupe.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "../common/check.hpp"
#include "../common/cli.hpp"
#include "dashboard.hpp"
#include "service.hpp"

using namespace std::chrono_literals;

struct settings {
  int timeout_ms = 600;
  double scale = 1.0;  // multiplies every service's latency
  std::string fail = "health";
  int reactors = 0;  // 0: one per hardware thread, at least 2
  std::string trace;
};

std::vector<service_spec> services_for(const settings& s) {
  const std::vector<std::pair<std::string, int>> latencies{
      {"weather", 120}, {"news", 300}, {"stock", 450}, {"traffic", 2000}, {"health", 200}};
  std::vector<service_spec> specs;
  for (const auto& [name, ms] : latencies)
    specs.push_back(
        {name, std::chrono::milliseconds(static_cast<int>(ms * s.scale)), name == s.fail});
  return specs;
}

const char* status_name(panel::status st) {
  switch (st) {
    case panel::status::ok:
      return "ok";
    case panel::status::failed:
      return "failed";
    case panel::status::timed_out:
      return "timed out";
  }
  return "?";
}

troupe::task<int> amain(settings s, std::size_t reactors) {
  const std::vector<service_spec> specs = services_for(s);
  const auto timeout = std::chrono::milliseconds(s.timeout_ms);

  // [guide:spawn_on]
  std::vector<troupe::actor_ref<service>> services;
  std::vector<troupe::future<std::uint16_t>> ports;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    // Off reactor 0, where the dashboard lives: reactors 1, 2, ... in turn.
    const std::size_t home = reactors > 1 ? 1 + i % (reactors - 1) : 0;
    services.push_back(troupe::spawn_on<service>(troupe::on_reactor(home), specs[i]));
    ports.push_back(services.back().ask<&service::port>());
  }
  // [/guide:spawn_on]
  std::vector<std::uint16_t> port_of = co_await troupe::gather(ports);

  std::vector<std::string> names;
  std::vector<troupe::actor_ref<service_client>> clients;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    names.push_back(specs[i].name);
    clients.push_back(troupe::spawn<service_client>(specs[i].name, port_of[i]));
  }
  auto board = troupe::spawn<dashboard>(names, clients);

  std::printf(
      "fan_out: a dashboard on reactor 0 fetches %zu services over TCP at once, "
      "timeout %d ms each\n",
      specs.size(), s.timeout_ms);
  for (std::size_t i = 0; i < specs.size(); ++i)
    std::printf("  %-8s 127.0.0.1:%-5u reactor %zu  latency %5lld ms%s\n", specs[i].name.c_str(),
                port_of[i], reactors > 1 ? 1 + i % (reactors - 1) : 0,
                static_cast<long long>(specs[i].latency.count()),
                specs[i].fails ? "  (answers with an error)" : "");

  const auto start = std::chrono::steady_clock::now();
  std::vector<panel> panels = co_await board.ask<&dashboard::refresh>(timeout);
  const double total =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();

  std::printf("dashboard:\n");
  for (const panel& p : panels) {
    std::printf("  %-8s %-10s %s", p.service.c_str(), status_name(p.state), p.text.c_str());
    if (p.state == panel::status::ok) std::printf("  (%.0f ms)", p.ms);
    std::printf("\n");
  }

  // What should have happened, from the specs alone.
  double longest = 0, serial = 0;
  int answered = 0;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const double wait =
        std::min(static_cast<double>(specs[i].latency.count()), static_cast<double>(s.timeout_ms));
    longest = std::max(longest, wait);
    serial += wait;
    if (panels[i].state == panel::status::ok) ++answered;
  }
  std::printf(
      "%d of %zu services answered; the refresh took %.0f ms: the longest wait is %.0f ms, "
      "one after another the waits add up to %.0f ms\n",
      answered, specs.size(), total, longest, serial);

  example::checks check;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    panel::status expected = panel::status::ok;
    std::string text = payload_of(specs[i].name);
    if (specs[i].latency >= timeout) {
      expected = panel::status::timed_out;
      text = panels[i].text;
    } else if (specs[i].fails) {
      expected = panel::status::failed;
      text = failure_reason;
    }
    check.expect(panels[i].state == expected && panels[i].text == text,
                 specs[i].name + " " + status_name(expected));
  }
  check.expect(total >= longest - 5 && total < longest + 250,
               "the refresh took about the longest wait, not the sum");
  co_return check.exit_code();
}

int main(int argc, char** argv) {
  settings s;
  example::cli cli("fan_out",
                   "A dashboard actor fetches five TCP services at once, each with a timeout, and\n"
                   "shows partial results: the total is the longest wait, not the sum.");
  cli.option("timeout-ms", s.timeout_ms, "timeout of each fetch")
      .option("scale", s.scale, "multiply every service's latency by this")
      .option("fail", s.fail, "the service that answers with an error (none: no failure)")
      .option("reactors", s.reactors, "reactor threads (0: one per hardware thread, at least 2)")
      .option("trace", s.trace,
              "write the message-flow trace to this file (troupe-trace flow FILE)");
  if (auto code = cli.parse(argc, argv)) return *code;
  if (s.timeout_ms < 1 || s.scale <= 0 || s.reactors < 0) {
    std::fputs("fan_out: --timeout-ms and --scale must be positive\n", stderr);
    return 2;
  }
  std::size_t reactors = static_cast<std::size_t>(s.reactors);
  if (reactors == 0) reactors = std::max(2u, std::thread::hardware_concurrency());
  int code = 0;
  // [guide:run-options]
  try {
    code = troupe::run(amain(s, reactors), troupe::options{.reactors = reactors, .trace = s.trace});
  } catch (const std::invalid_argument& e) {  // options troupe cannot honour
    std::fprintf(stderr, "fan_out: %s\n", e.what());
    return 2;
  }
  // [/guide:run-options]
  if (!s.trace.empty())
    std::printf("trace written to %s; draw the message flow with: troupe-trace flow %s\n",
                s.trace.c_str(), s.trace.c_str());
  return code;
}
