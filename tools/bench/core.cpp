// troupe_bench_core — what the core costs, each figure next to a baseline
// measured in the same run: an ask round trip and tells against the same
// work as hand-written Asio handlers, spawn against std::make_unique, and
// create_task against awaiting the task directly. Every benchmark runs inside
// troupe::run on one reactor; the table at the end gives troupe's cost as a
// multiple of its baseline's, which is what stays comparable across noisy
// machines. docs/performance.md explains each figure.

#include <benchmark/benchmark.h>
#include <malloc.h>
#include <unistd.h>

#include <asio/io_context.hpp>
#include <asio/post.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <troupe/troupe.hpp>

namespace {

// The actor every benchmark talks to, and the same state as a plain object.
class counter : public troupe::actor {
 public:
  int add(int n) { return total_ += n; }
  int total() const { return total_; }

 private:
  int total_ = 0;
};

struct plain_counter {
  virtual ~plain_counter() = default;  // polymorphic, like an actor
  int add(int n) { return total_ += n; }
  int total_ = 0;
};

constexpr int spawns_per_batch = 1000;  // spawns between two collections
constexpr int actors_for_footprint = 100'000;

// One reactor and no slow-handler clock reads: the reactor's own cost only.
const troupe::options one_reactor{.reactors = 1, .slow_handler = std::chrono::nanoseconds(0)};

void run_on_reactor(benchmark::State& state, troupe::task<void> (*body)(benchmark::State&)) {
  troupe::run(body(state), one_reactor);
}

// The baselines that stand for "a hand-written Asio program" post lambdas to
// the running reactor's io_context and let io_context::poll() run them, so
// each handler is posted from inside a handler, as in a real Asio program
// (Asio's thread-private queue and recycled handler memory), and none of
// troupe's loop is paid. poll() runs the whole chain: the chain itself drives
// state.KeepRunning().
void drive_chain(asio::io_context& io, std::function<void()> start) {
  asio::post(io, std::move(start));
  io.poll();
}

// ---------------------------------------------------------------- 1. ask

troupe::task<void> ask_round_trip_troupe(benchmark::State& state) {
  auto c = troupe::spawn<counter>();
  co_await c.ask<&counter::add>(0);  // the actor is started before timing
  for (auto _ : state) {
    int v = co_await c.ask<&counter::add>(1);
    benchmark::DoNotOptimize(v);
  }
}

// Request handler runs the method and posts the reply handler, which starts
// the next round trip: two posts per round trip, as an ask has two hops.
struct asio_round_trip {
  asio::io_context& io;
  benchmark::State& state;
  plain_counter obj;

  void next() {
    if (!state.KeepRunning()) return;
    asio::post(io, [this] {
      int v = obj.add(1);
      asio::post(io, [this, v] {
        benchmark::DoNotOptimize(v);
        next();
      });
    });
  }
};

troupe::task<void> ask_round_trip_asio(benchmark::State& state) {
  asio::io_context& io = troupe::this_reactor().io_context();
  asio_round_trip chain{io, state, {}};
  drive_chain(io, [&chain] { chain.next(); });
  co_return;
}

// ---------------------------------------------------------------- 2. tell

// Bursts of 100, 1,000 and 10,000 tells (the argument): the envelopes of a
// burst are all alive at once, so the burst size decides how much the heap
// grows and shrinks per batch, and that shows in the figures.
troupe::task<void> tell_throughput_troupe(benchmark::State& state) {
  const auto tells_per_batch = state.range(0);
  auto c = troupe::spawn<counter>();
  co_await c.ask<&counter::add>(0);
  for (auto _ : state) {
    for (std::int64_t i = 0; i < tells_per_batch; ++i) c.tell<&counter::add>(1);
    int total = co_await c.ask<&counter::total>();  // all the tells before it are handled
    benchmark::DoNotOptimize(total);
  }
  state.SetItemsProcessed(state.iterations() * tells_per_batch);
}

struct asio_tells {
  asio::io_context& io;
  benchmark::State& state;
  plain_counter obj;
  std::int64_t tells_per_batch;

  void next() {
    if (!state.KeepRunning()) return;
    for (std::int64_t i = 0; i < tells_per_batch; ++i) asio::post(io, [this] { obj.add(1); });
    asio::post(io, [this] {  // runs after all of them, like the ask
      benchmark::DoNotOptimize(obj.total_);
      next();
    });
  }
};

troupe::task<void> tell_throughput_asio(benchmark::State& state) {
  asio::io_context& io = troupe::this_reactor().io_context();
  asio_tells chain{io, state, {}, state.range(0)};
  drive_chain(io, [&chain] { chain.next(); });
  state.SetItemsProcessed(state.iterations() * state.range(0));
  co_return;
}

// ---------------------------------------------------------------- 3. spawn

// Bytes of heap in use (glibc: every arena, chunk headers included).
std::size_t heap_in_use() { return mallinfo2().uordblks; }

// Heap bytes per actor that was spawned, started and is now idle.
troupe::task<double> bytes_per_idle_actor() {
  std::vector<troupe::actor_ref<counter>> refs;
  refs.reserve(actors_for_footprint);
  co_await troupe::yield();
  const std::size_t before = heap_in_use();
  for (int i = 0; i < actors_for_footprint; ++i) refs.push_back(troupe::spawn<counter>());
  co_await troupe::yield();  // every on_start has run: the actors are idle
  const std::size_t after = heap_in_use();
  refs.clear();
  co_await troupe::yield();  // collected
  co_return static_cast<double>(after - before) / actors_for_footprint;
}

troupe::task<void> spawn_troupe(benchmark::State& state) {
  std::vector<troupe::actor_ref<counter>> refs;
  refs.reserve(spawns_per_batch);
  for (auto _ : state) {
    for (int i = 0; i < spawns_per_batch; ++i) refs.push_back(troupe::spawn<counter>());
    co_await troupe::yield();  // their on_start runs: spawned means started
    state.PauseTiming();       // stopping and freeing them is not spawning
    refs.clear();
    co_await troupe::yield();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * spawns_per_batch);
  state.counters["bytes_per_actor"] = co_await bytes_per_idle_actor();
}

troupe::task<void> spawn_make_unique(benchmark::State& state) {
  std::vector<std::unique_ptr<plain_counter>> objs;
  objs.reserve(spawns_per_batch);
  for (auto _ : state) {
    for (int i = 0; i < spawns_per_batch; ++i) objs.push_back(std::make_unique<plain_counter>());
    state.PauseTiming();
    objs.clear();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * spawns_per_batch);

  objs.reserve(actors_for_footprint);
  const std::size_t before = heap_in_use();
  for (int i = 0; i < actors_for_footprint; ++i) objs.push_back(std::make_unique<plain_counter>());
  const std::size_t after = heap_in_use();
  state.counters["bytes_per_actor"] = static_cast<double>(after - before) / actors_for_footprint;
  co_return;
}

// ---------------------------------------------------------------- 4. create_task

troupe::task<int> ready_value() { co_return 1; }

troupe::task<void> create_task_troupe(benchmark::State& state) {
  for (auto _ : state) {
    int v = co_await troupe::create_task(ready_value());
    benchmark::DoNotOptimize(v);
  }
}

troupe::task<void> create_task_direct(benchmark::State& state) {
  for (auto _ : state) {
    int v = co_await ready_value();
    benchmark::DoNotOptimize(v);
  }
}

// ---------------------------------------------------------------- ratio table

struct bench_def {
  const char* name;
  troupe::task<void> (*body)(benchmark::State&);
  std::vector<std::int64_t> args = {};
};

const bench_def benchmarks[] = {
    {"ask_round_trip/troupe", ask_round_trip_troupe},
    {"ask_round_trip/asio_post", ask_round_trip_asio},
    {"tell_throughput/troupe", tell_throughput_troupe, {100, 1000, 10000}},
    {"tell_throughput/asio_post", tell_throughput_asio, {100, 1000, 10000}},
    {"spawn/troupe", spawn_troupe},
    {"spawn/make_unique", spawn_make_unique},
    {"create_task/troupe", create_task_troupe},
    {"create_task/direct_co_await", create_task_direct},
};

enum class metric { ns_per_op, items_per_second, bytes_per_actor };

struct ratio_row {
  const char* what;
  const char* troupe;
  const char* baseline;
  metric kind;
  std::optional<double> target;  // ns and bytes: at most; items/s: at least
};

const ratio_row rows[] = {
    {"ask round trip (ns)", "ask_round_trip/troupe", "ask_round_trip/asio_post", metric::ns_per_op,
     150.0},
    {"tell x100 (M messages/s)", "tell_throughput/troupe/100", "tell_throughput/asio_post/100",
     metric::items_per_second, 20e6},
    {"tell x1000 (M messages/s)", "tell_throughput/troupe/1000", "tell_throughput/asio_post/1000",
     metric::items_per_second, 20e6},
    {"tell x10000 (M messages/s)", "tell_throughput/troupe/10000",
     "tell_throughput/asio_post/10000", metric::items_per_second, 20e6},
    {"spawn (M actors/s)", "spawn/troupe", "spawn/make_unique", metric::items_per_second, 3e6},
    {"bytes per idle actor", "spawn/troupe", "spawn/make_unique", metric::bytes_per_actor, 256.0},
    {"create_task + co_await (ns)", "create_task/troupe", "create_task/direct_co_await",
     metric::ns_per_op, std::nullopt},
};

// Forwards to the chosen display reporter and keeps each benchmark's result
// (its median when repetitions are asked for) for the ratio table.
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
  std::map<std::string, std::pair<Run, bool>> results_;
};

std::optional<double> value_of(const benchmark::BenchmarkReporter::Run* r, metric kind) {
  if (r == nullptr) return std::nullopt;
  const char* counter_name = nullptr;
  switch (kind) {
    case metric::ns_per_op:
      return r->GetAdjustedRealTime() * benchmark::GetTimeUnitMultiplier(benchmark::kNanosecond) /
             benchmark::GetTimeUnitMultiplier(r->time_unit);
    case metric::items_per_second:
      counter_name = "items_per_second";
      break;
    case metric::bytes_per_actor:
      counter_name = "bytes_per_actor";
      break;
  }
  auto it = r->counters.find(counter_name);
  if (it == r->counters.end()) return std::nullopt;
  return it->second.value;
}

std::string shown(double v, metric kind) {
  char buf[32];
  if (kind == metric::items_per_second)
    std::snprintf(buf, sizeof buf, "%.2f", v / 1e6);
  else if (kind == metric::bytes_per_actor)
    std::snprintf(buf, sizeof buf, "%.0f", v);
  else
    std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

void print_ratios(std::ostream& out, const collecting_reporter& rep) {
  char line[256];
  out << "\ntroupe against its baselines (cost ratio = troupe's cost / the baseline's: "
         "time per item, or bytes; 1.00 means equal)\n";
  std::snprintf(line, sizeof line, "%-28s %10s %10s %8s  %-12s %s\n", "figure", "troupe",
                "baseline", "ratio", "target", "met");
  out << line;
  for (const ratio_row& row : rows) {
    const auto t = value_of(rep.find(row.troupe), row.kind);
    const auto b = value_of(rep.find(row.baseline), row.kind);
    if (!t || !b) continue;  // filtered out, or failed
    const bool rate = row.kind == metric::items_per_second;
    const double ratio = rate ? *b / *t : *t / *b;
    std::string target = "-";
    std::string met = "";
    if (row.target) {
      target = (rate ? ">= " : "<= ") + shown(*row.target, row.kind);
      met = (rate ? *t >= *row.target : *t <= *row.target) ? "yes" : "NO";
    }
    std::snprintf(line, sizeof line, "%-28s %10s %10s %8.2f  %-12s %s\n", row.what,
                  shown(*t, row.kind).c_str(), shown(*b, row.kind).c_str(), ratio, target.c_str(),
                  met.c_str());
    out << line;
  }
}

}  // namespace

int main(int argc, char** argv) {
  // Read before Initialize, which consumes the flags it knows.
  bool json = false;
  for (int i = 1; i < argc; ++i)
    if (std::string_view(argv[i]) == "--benchmark_format=json") json = true;

  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;

  for (const bench_def& b : benchmarks) {
    auto* reg = benchmark::RegisterBenchmark(
        b.name, [body = b.body](benchmark::State& s) { run_on_reactor(s, body); });
    reg->Unit(benchmark::kNanosecond)->UseRealTime();
    for (std::int64_t a : b.args) reg->Arg(a);
  }

  std::unique_ptr<benchmark::BenchmarkReporter> display;
  if (json)
    display = std::make_unique<benchmark::JSONReporter>();
  else
    display = std::make_unique<benchmark::ConsoleReporter>(
        isatty(STDOUT_FILENO) != 0 ? benchmark::ConsoleReporter::OO_ColorTabular
                                   : benchmark::ConsoleReporter::OO_Tabular);
  collecting_reporter reporter(std::move(display));
  benchmark::RunSpecifiedBenchmarks(&reporter);
  // JSON on stdout stays parseable: the table goes to stderr then.
  print_ratios(json ? std::cerr : std::cout, reporter);
  benchmark::Shutdown();
  return 0;
}
