// cpu_offload — the CPU-bound lesson of asyncio, in troupe. The same jobs
// (pure computation) run twice:
//   1. inline, in a handler of an actor on reactor 0: one after another, and
//      while they run nothing else on reactor 0 runs — the ticker beside it
//      stops ticking, and the slow-handler warning names the handler;
//   2. through troupe::run_in_pool: on the reactors of the pool, in parallel.
// run_in_pool picks the least busy reactor: fewest jobs, then fewest actors.
// Reactor 0 holds the ticker and the cruncher, so it is never the least busy
// while another reactor has no job. A semaphore keeps the jobs in flight
// (hardware threads) at least one fewer than the other reactors: a reactor's
// job count drops just after its job's result is published, and the next job,
// started at once in the freed slot, may still see the old count, so a spare
// reactor is needed for reactor 0 to stay out of the pool's way.
//
//   cpu_offload [--jobs J] [--work-ms W] [--reactors R] [--tick-ms T]
#include <troupe/actors/ticker.hpp>
#include <troupe/troupe.hpp>

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "../common/check.hpp"
#include "../common/cli.hpp"

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

struct job {
  std::uint64_t seed = 0;
  std::uint64_t iterations = 0;
};

// Pure CPU work: a chain of multiply-xorshift steps no compiler can shortcut.
std::uint64_t crunch(job j) {
  std::uint64_t x = j.seed;
  for (std::uint64_t i = 0; i < j.iterations; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    x ^= x >> 29;
  }
  return x;
}

// How many iterations take about `ms` milliseconds on this machine.
std::uint64_t calibrate(double ms) {
  const std::uint64_t probe = 5'000'000;
  const auto start = steady::now();
  volatile std::uint64_t sink = crunch({1, probe});
  (void)sink;
  const double took = std::chrono::duration<double, std::milli>(steady::now() - start).count();
  return static_cast<std::uint64_t>(static_cast<double>(probe) * ms / std::max(took, 0.01));
}

// Which reactor ran each pool job, in the order they started.
std::mutex placements_mutex;
std::vector<std::size_t> placements;
void ran_on(std::size_t reactor) {
  std::lock_guard hold(placements_mutex);
  placements.push_back(reactor);
}

// [guide:run_in_pool]
troupe::task<std::uint64_t> offloaded(troupe::semaphore* slots, job j) {
  auto permit = co_await slots->hold();  // released when this task ends
  co_return co_await troupe::run_in_pool([j] {
    ran_on(troupe::this_reactor().index());  // a reactor of the pool
    return crunch(j);
  });
}

class cruncher : public troupe::actor {
 public:
  // Inline: holds this actor's reactor for the whole computation.
  std::uint64_t crunch_here(job j) { return crunch(j); }

  // Offloaded: runs the jobs on the pool, `in_flight` at a time, in parallel.
  troupe::task<std::vector<std::uint64_t>> crunch_in_pool(std::vector<job> jobs, int in_flight) {
    troupe::semaphore slots(static_cast<std::size_t>(in_flight));
    std::vector<troupe::future<std::uint64_t>> running;
    for (const job& j : jobs) running.push_back(troupe::create_task(offloaded(&slots, j)));
    co_return co_await troupe::gather(running);
  }
};
// [/guide:run_in_pool]

// Ticks seen during one phase: how long the ticker went without a tick.
struct tick_log {
  steady::time_point last;
  steady::duration longest{};
  int ticks = 0;
  void start() {
    last = steady::now();
    longest = {};
    ticks = 0;
  }
  void tick() {
    const auto now = steady::now();
    longest = std::max(longest, now - last);
    last = now;
    ++ticks;
  }
};

// Counts the slow-handler warnings troupe logs, and passes every line on.
class slow_counter final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  std::atomic<int> warnings{0};

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    const std::string_view text(msg.payload.data(), msg.payload.size());
    if (text.find("slow handler") != std::string_view::npos) ++warnings;
  }
  void flush_() override {}
};

struct settings {
  int jobs = 4;
  double work_ms = 150;
  int reactors = 0;  // 0: hardware threads + 2
  int tick_ms = 10;
  int in_flight = 0;  // 0: reactors - 2
};

struct phase {
  double ms = 0;
  double longest_gap_ms = 0;
  int ticks = 0;
  int warnings = 0;
  std::vector<std::uint64_t> results;
};

double ms_since(steady::time_point t) {
  return std::chrono::duration<double, std::milli>(steady::now() - t).count();
}

troupe::task<int> amain(settings s, std::size_t reactors, std::vector<job> jobs,
                        std::shared_ptr<slow_counter> slow) {
  tick_log ticks;
  auto tick = troupe::spawn<troupe::actors::ticker>(std::chrono::milliseconds(s.tick_ms),
                                                    [&ticks](std::uint64_t) { ticks.tick(); });
  auto c = troupe::spawn<cruncher>();                                // reactor 0, beside the ticker
  co_await troupe::sleep(5 * std::chrono::milliseconds(s.tick_ms));  // the ticker is running

  auto finish = [&](phase& p, steady::time_point start) {
    p.ms = ms_since(start);
    ticks.tick();  // the gap up to the end counts too
    p.longest_gap_ms = std::chrono::duration<double, std::milli>(ticks.longest).count();
    p.ticks = ticks.ticks - 1;
    p.warnings = slow->warnings.exchange(0);
  };

  phase inline_run, pool_run;
  {
    ticks.start();
    slow->warnings = 0;
    const auto start = steady::now();
    std::vector<troupe::future<std::uint64_t>> asks;
    for (const job& j : jobs) asks.push_back(c.ask<&cruncher::crunch_here>(j));
    inline_run.results = co_await troupe::gather(asks);
    finish(inline_run, start);
  }
  co_await troupe::sleep(5 * std::chrono::milliseconds(s.tick_ms));  // catch-up ticks settle
  {
    ticks.start();
    slow->warnings = 0;
    const auto start = steady::now();
    pool_run.results = co_await c.ask<&cruncher::crunch_in_pool>(jobs, s.in_flight);
    finish(pool_run, start);
  }
  tick.tell<&troupe::actors::ticker::halt>();

  const unsigned hw = std::thread::hardware_concurrency();
  std::printf(
      "cpu_offload: %zu jobs of about %.0f ms of CPU work; %zu reactors, %u hardware "
      "threads; a ticker every %d ms on reactor 0\n",
      jobs.size(), s.work_ms, reactors, hw, s.tick_ms);
  auto show = [](const char* what, const phase& p) {
    std::printf("  %-38s %7.1f ms   ticker's longest gap %6.1f ms   slow-handler warnings: %d\n",
                what, p.ms, p.longest_gap_ms, p.warnings);
  };
  show("inline in cruncher::crunch_here:", inline_run);
  const std::string pooled = "troupe::run_in_pool, " + std::to_string(s.in_flight) + " in flight:";
  show(pooled.c_str(), pool_run);
  std::string where;
  {
    std::lock_guard hold(placements_mutex);
    for (std::size_t r : placements) where += (where.empty() ? "" : ", ") + std::to_string(r);
  }
  std::printf("  the pool jobs ran on reactors %s; speed-up %.2fx\n", where.c_str(),
              inline_run.ms / pool_run.ms);

  example::checks check;
  check.expect(inline_run.results == pool_run.results, "both runs computed the same results");
  check.expect(inline_run.warnings >= 1, "the inline run was reported: slow-handler warnings: " +
                                             std::to_string(inline_run.warnings));
  if (reactors >= 2)
    check.expect(pool_run.longest_gap_ms < inline_run.longest_gap_ms,
                 "reactor 0 stayed more responsive during the pool run (longest tick gap " +
                     std::to_string(static_cast<int>(pool_run.longest_gap_ms)) + " ms vs " +
                     std::to_string(static_cast<int>(inline_run.longest_gap_ms)) + " ms)");
  else
    std::printf("  (one reactor: the pool jobs run on reactor 0 too, beside the ticker)\n");
  if (hw >= 2 && s.in_flight >= 2 && jobs.size() >= 2)
    check.expect(pool_run.ms < inline_run.ms, "the pool run was faster (parallel)");
  else
    std::printf(
        "  (not checking the speed-up: it needs 2 hardware threads and 2 jobs in flight)\n");
  co_return check.exit_code();
}

int main(int argc, char** argv) {
  settings s;
  example::cli cli(
      "cpu_offload",
      "Runs the same CPU-bound jobs inline in a handler, then with troupe::run_in_pool,\n"
      "and prints how long each took and how a ticker beside them fared.");
  cli.option("jobs", s.jobs, "jobs to run")
      .option("work-ms", s.work_ms, "CPU time per job, in milliseconds")
      .option("reactors", s.reactors, "reactor threads (0: hardware threads + 2)")
      .option("in-flight", s.in_flight, "pool jobs running at once (0: reactors - 2, at least 1)")
      .option("tick-ms", s.tick_ms, "the ticker's period");
  if (auto code = cli.parse(argc, argv)) return *code;
  if (s.jobs < 1 || s.work_ms <= 0 || s.reactors < 0 || s.tick_ms < 1 || s.in_flight < 0) {
    std::fputs("cpu_offload: --jobs, --work-ms and --tick-ms must be positive\n", stderr);
    return 2;
  }
  std::size_t reactors = static_cast<std::size_t>(s.reactors);
  if (reactors == 0) reactors = std::max(1u, std::thread::hardware_concurrency()) + 2;
  if (s.in_flight == 0) s.in_flight = static_cast<int>(reactors > 2 ? reactors - 2 : 1);

  // troupe logs through the spdlog logger named "troupe": keep printing to
  // stderr, and count the slow-handler warnings on the way.
  auto slow = std::make_shared<slow_counter>();
  auto log = std::make_shared<spdlog::logger>(
      "troupe",
      spdlog::sinks_init_list{std::make_shared<spdlog::sinks::stderr_color_sink_mt>(), slow});
  troupe::set_logger(log);

  const std::uint64_t iterations = calibrate(s.work_ms);
  std::vector<job> jobs;
  for (int i = 0; i < s.jobs; ++i) jobs.push_back({static_cast<std::uint64_t>(i) + 1, iterations});
  return troupe::run(amain(s, reactors, jobs, slow),
                     troupe::options{.reactors = reactors, .slow_handler = 50ms});
}
