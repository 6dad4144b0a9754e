// workload_args.hpp — what troupe_peer_bench and caf_peer_bench share: the
// workloads' names and default sizes, `--key value` parsing, a stopwatch and
// the one JSON result line each run prints. The runner (tools/bench/peers/run)
// passes every size explicitly; the defaults here are the full sizes.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace peers {

/// A workload's parameters by name, e.g. {"rounds", 1000000}.
using params = std::map<std::string, std::int64_t>;

struct workload_spec {
  std::string_view name;
  params defaults;
  std::int64_t threads;  // reactors (troupe) or scheduler threads (CAF)
};

/// Every workload, with the full sizes of the issue and its thread count.
inline const std::vector<workload_spec>& specs() {
  static const std::vector<workload_spec> all{
      {"ping_pong_1t", {{"rounds", 1'000'000}}, 1},
      {"ping_pong_2t", {{"rounds", 1'000'000}}, 2},
      {"thread_ring", {{"actors", 503}, {"hops", 10'000'000}}, 1},
      {"fork_join", {{"actors", 1'000'000}}, 1},
      {"fan_in", {{"senders", 20}, {"messages", 500'000}}, 2},
      {"fan_out", {{"requests", 10'000}, {"rounds", 100}, {"workers", 10}}, 2},
      {"sleep_gather", {{"tasks", 100'000}, {"ms", 100}}, 1},
      {"prod_cons", {{"items", 1'000'000}, {"capacity", 1000}}, 1},
  };
  return all;
}

/// A fan_in sender sends this many messages, then lets the others run.
inline constexpr std::int64_t fan_in_burst = 1000;

/// What a run measured: the operations it counted, the time and a checksum
/// the runner compares across peers.
struct result {
  std::int64_t ops = 0;
  double seconds = 0;
  std::int64_t checksum = 0;
};

class stopwatch {
 public:
  stopwatch() : start_(std::chrono::steady_clock::now()) {}
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_;
};

/// A parsed command line: the workload, its parameters and its thread count.
struct invocation {
  std::string name;
  params p;
  std::int64_t threads = 1;
};

/// Parses `WORKLOAD [--key value ...]`; prints usage and exits on a mistake.
inline invocation parse(int argc, char** argv, const char* program) {
  auto usage = [program](int code) {
    std::fprintf(code == 0 ? stdout : stderr,
                 "usage: %s WORKLOAD [--key value ...]\nworkloads:", program);
    for (const auto& s : specs()) {
      std::fprintf(code == 0 ? stdout : stderr, "\n  %.*s  --threads %lld",
                   static_cast<int>(s.name.size()), s.name.data(),
                   static_cast<long long>(s.threads));
      for (const auto& [k, v] : s.defaults)
        std::fprintf(code == 0 ? stdout : stderr, " --%s %lld", k.c_str(),
                     static_cast<long long>(v));
    }
    std::fputc('\n', code == 0 ? stdout : stderr);
    std::exit(code);
  };
  if (argc < 2) usage(2);
  const std::string_view first = argv[1];
  if (first == "-h" || first == "--help") usage(0);
  invocation inv;
  for (const auto& s : specs()) {
    if (s.name == first) {
      inv.name = std::string(s.name);
      inv.p = s.defaults;
      inv.threads = s.threads;
    }
  }
  if (inv.name.empty()) usage(2);
  for (int i = 2; i < argc; i += 2) {
    std::string_view key = argv[i];
    if (key.substr(0, 2) != "--" || i + 1 >= argc) usage(2);
    key.remove_prefix(2);
    char* end = nullptr;
    const long long value = std::strtoll(argv[i + 1], &end, 10);
    if (*end != '\0' || value <= 0) {
      std::fprintf(stderr, "%s: --%.*s needs a positive integer\n", program,
                   static_cast<int>(key.size()), key.data());
      std::exit(2);
    }
    if (key == "threads") {
      inv.threads = value;
    } else if (auto it = inv.p.find(std::string(key)); it != inv.p.end()) {
      it->second = value;
    } else {
      std::fprintf(stderr, "%s: %s has no parameter --%.*s\n", program, inv.name.c_str(),
                   static_cast<int>(key.size()), key.data());
      std::exit(2);
    }
  }
  return inv;
}

/// The process's peak resident memory in KiB (VmHWM in /proc/self/status),
/// or -1 where that is not available. Unlike the max RSS that wait4 reports
/// to the runner, it does not include what the runner's forked child held
/// before exec.
inline long long peak_rss_kib() {
  std::ifstream status("/proc/self/status");
  std::string key;
  while (status >> key) {
    if (key == "VmHWM:") {
      long long kib = -1;
      status >> kib;
      return kib;
    }
    status.ignore(1 << 12, '\n');
  }
  return -1;
}

/// Prints the result line the runner reads.
inline void print_result(const invocation& inv, const char* peer, const result& r) {
  std::string p;
  for (const auto& [k, v] : inv.p) {
    if (!p.empty()) p += ", ";
    p += "\"" + k + "\": " + std::to_string(v);
  }
  std::printf(
      "{\"workload\": \"%s\", \"peer\": \"%s\", \"threads\": %lld, \"params\": {%s}, "
      "\"ops\": %lld, \"seconds\": %.9f, \"checksum\": %lld, \"peak_rss_kib\": %lld}\n",
      inv.name.c_str(), peer, static_cast<long long>(inv.threads), p.c_str(),
      static_cast<long long>(r.ops), r.seconds, static_cast<long long>(r.checksum), peak_rss_kib());
  std::fflush(stdout);
}

}  // namespace peers
