// troupe_bench_trace — what message-flow tracing costs. Sends tells in
// bursts to one actor and prints the rate. Built twice: troupe_bench_trace
// (the hooks compiled in) and troupe_bench_trace_nohooks (built with
// TROUPE_TRACE_HOOKS=0, hooks compiled out); timing the two against each
// other gives the cost of tracing when it is off. With --trace FILE it
// records the run and checks that the file holds every event (none lost),
// and prints events written per second. docs/performance.md has the figures.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>

#include <troupe/troupe.hpp>

namespace {

class counter : public troupe::actor {
 public:
  void add(std::int64_t n) { total_ += n; }
  std::int64_t total() const { return total_; }

 private:
  std::int64_t total_ = 0;
};

constexpr std::int64_t burst = 1000;

troupe::task<std::int64_t> send_tells(std::int64_t bursts) {
  auto c = troupe::spawn<counter>();
  std::int64_t total = 0;
  for (std::int64_t b = 0; b < bursts; ++b) {
    for (std::int64_t i = 0; i < burst; ++i) c.tell<&counter::add>(1);
    total = co_await c.ask<&counter::total>();
  }
  co_return total;
}

int usage() {
  std::fputs("usage: troupe_bench_trace [--tells N] [--trace FILE]\n"
             "  Sends N tells (default 20000000) in bursts of 1000 to one actor on one reactor\n"
             "  and prints tells per second; with --trace, records the run to FILE, checks\n"
             "  that every event reached the file, and prints events per second.\n",
             stderr);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::int64_t tells = 20'000'000;
  std::string trace;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--tells" && i + 1 < argc)
      tells = std::atoll(argv[++i]);
    else if (arg == "--trace" && i + 1 < argc)
      trace = argv[++i];
    else
      return usage();
  }
  const std::int64_t bursts = tells / burst;
  const troupe::options opts{
      .reactors = 1, .slow_handler = std::chrono::nanoseconds(0), .trace = trace};
  const auto start = std::chrono::steady_clock::now();
  const std::int64_t total = troupe::run(send_tells(bursts), opts);  // returns once the file is written
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (total != bursts * burst) {
    std::fprintf(stderr, "lost tells: %lld of %lld handled\n", static_cast<long long>(total),
                 static_cast<long long>(bursts * burst));
    return 1;
  }
  std::printf("%.2f M tells/s (%lld tells in %.3f s)\n", static_cast<double>(total) / seconds / 1e6,
              static_cast<long long>(total), seconds);
  if (trace.empty()) return 0;

  // Every tell is send + start + end; every ask send + start + end + reply;
  // plus the task and its end, the spawn and the actor's stop.
  const std::int64_t expected = 3 * total + 4 * bursts + 4;
  std::ifstream in(trace);
  std::int64_t lines = 0;
  for (std::string line; std::getline(in, line);) ++lines;
  std::printf("%.2f M events/s written (%lld events)\n", static_cast<double>(lines) / seconds / 1e6,
              static_cast<long long>(lines));
  if (lines != expected) {
    std::fprintf(stderr, "the trace has %lld events, expected %lld: events were lost\n",
                 static_cast<long long>(lines), static_cast<long long>(expected));
    return 1;
  }
  return 0;
}
