// tools/bench/ratio_table.hpp — what troupe's benchmark programs share: run
// the registered Google Benchmarks, keep each one's result (its median when
// repetitions are asked for), and print a table of troupe's cost as a
// multiple of its baseline's, with the target when there is one. The ratio
// is the figure that stays comparable across noisy machines.
#pragma once

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace troupe_bench {

/// What a row compares, and which way is better.
enum class metric {
  ns_per_op,         ///< real time per iteration, in ns; lower is better
  items_per_second,  ///< the SetItemsProcessed rate, shown in millions; higher is better
  bytes,             ///< the user counter named by ratio_row::counter; lower is better
};

/// One line of the table: a troupe benchmark against its baseline. Names are
/// Google Benchmark's, arguments included ("tell_throughput/troupe/100").
struct ratio_row {
  const char* what;
  const char* troupe;
  const char* baseline;
  metric kind;
  std::optional<double> target = std::nullopt;  // ns and bytes: at most; items/s: at least
  const char* counter = nullptr;                // metric::bytes only
};

/// Forwards to the display reporter and keeps each benchmark's result (its
/// median when repetitions are asked for) for the ratio table.
class collecting_reporter final : public benchmark::BenchmarkReporter {
 public:
  explicit collecting_reporter(std::unique_ptr<benchmark::BenchmarkReporter> inner)
      : inner_(std::move(inner)) {}

  bool ReportContext(const Context& context) override { return inner_->ReportContext(context); }
  void ReportRuns(const std::vector<Run>& runs) override {
    inner_->ReportRuns(runs);
    for (const Run& r : runs) {
      if (r.error_occurred) continue;
      const bool median = r.run_type == Run::RT_Aggregate && r.aggregate_name == "median";
      if (r.run_type == Run::RT_Aggregate && !median) continue;
      std::string key = r.run_name.function_name;
      if (!r.run_name.args.empty()) key += "/" + r.run_name.args;
      auto [it, fresh] = results_.try_emplace(key, r, median);
      if (!fresh && (median || !it->second.second)) it->second = {r, median};
    }
  }
  void Finalize() override { inner_->Finalize(); }

  const Run* find(const std::string& name) const {
    auto it = results_.find(name);
    return it == results_.end() ? nullptr : &it->second.first;
  }

 private:
  std::unique_ptr<benchmark::BenchmarkReporter> inner_;
  std::map<std::string, std::pair<Run, bool>> results_;  // the bool: it is a median
};

inline std::optional<double> value_of(const benchmark::BenchmarkReporter::Run* r,
                                      const ratio_row& row) {
  if (r == nullptr) return std::nullopt;
  const char* counter_name = nullptr;
  switch (row.kind) {
    case metric::ns_per_op:
      return r->GetAdjustedRealTime() * benchmark::GetTimeUnitMultiplier(benchmark::kNanosecond) /
             benchmark::GetTimeUnitMultiplier(r->time_unit);
    case metric::items_per_second:
      counter_name = "items_per_second";
      break;
    case metric::bytes:
      counter_name = row.counter;
      break;
  }
  if (counter_name == nullptr) return std::nullopt;
  auto it = r->counters.find(counter_name);
  if (it == r->counters.end()) return std::nullopt;
  return it->second.value;
}

inline std::string shown(double v, metric kind) {
  char buf[32];
  if (kind == metric::items_per_second)
    std::snprintf(buf, sizeof buf, "%.2f", v / 1e6);
  else if (kind == metric::bytes)
    std::snprintf(buf, sizeof buf, "%.0f", v);
  else
    std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

/// Prints one line per row whose two benchmarks both ran (a filter may have
/// left some out).
inline void print_ratios(std::ostream& out, const collecting_reporter& rep,
                         std::span<const ratio_row> rows) {
  int width = 6;  // "figure"
  for (const ratio_row& row : rows)
    width = std::max(width, static_cast<int>(std::strlen(row.what)));
  char line[512];
  out << "\ntroupe against its baselines (cost ratio = troupe's cost / the baseline's: "
         "time per item, or bytes; 1.00 means equal)\n";
  std::snprintf(line, sizeof line, "%-*s %10s %10s %8s  %-12s %s\n", width, "figure", "troupe",
                "baseline", "ratio", "target", "met");
  out << line;
  for (const ratio_row& row : rows) {
    const auto t = value_of(rep.find(row.troupe), row);
    const auto b = value_of(rep.find(row.baseline), row);
    if (!t || !b) continue;
    const bool rate = row.kind == metric::items_per_second;
    const double ratio = rate ? *b / *t : *t / *b;
    std::string target = "-";
    std::string met;
    if (row.target) {
      target = (rate ? ">= " : "<= ") + shown(*row.target, row.kind);
      met = (rate ? *t >= *row.target : *t <= *row.target) ? "yes" : "NO";
    }
    std::snprintf(line, sizeof line, "%-*s %10s %10s %8.2f  %-12s %s\n", width, row.what,
                  shown(*t, row.kind).c_str(), shown(*b, row.kind).c_str(), ratio, target.c_str(),
                  met.c_str());
    out << line;
  }
}

/// The body of main() once the benchmarks are registered: reads Google
/// Benchmark's flags, runs, prints the ratio table. With
/// --benchmark_format=json the table goes to stderr, so stdout stays JSON.
inline int run_and_print_ratios(int argc, char** argv, std::span<const ratio_row> rows) {
  bool json = false;  // read before Initialize, which consumes the flags it knows
  for (int i = 1; i < argc; ++i)
    if (std::string_view(argv[i]) == "--benchmark_format=json") json = true;

  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;

  std::unique_ptr<benchmark::BenchmarkReporter> display;
  if (json)
    display = std::make_unique<benchmark::JSONReporter>();
  else
    display = std::make_unique<benchmark::ConsoleReporter>(
        isatty(STDOUT_FILENO) != 0 ? benchmark::ConsoleReporter::OO_ColorTabular
                                   : benchmark::ConsoleReporter::OO_Tabular);
  collecting_reporter reporter(std::move(display));
  benchmark::RunSpecifiedBenchmarks(&reporter);
  print_ratios(json ? std::cerr : std::cout, reporter, rows);
  benchmark::Shutdown();
  return 0;
}

}  // namespace troupe_bench
