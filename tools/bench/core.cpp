// troupe_bench_core — what the core costs, each figure next to a baseline
// measured in the same run: an ask round trip and tells against the same
// work as hand-written Asio handlers, spawn against std::make_unique, and
// create_task against awaiting the task directly. Every benchmark runs inside
// troupe::run on one reactor; the table at the end gives troupe's cost as a
// multiple of its baseline's, which is what stays comparable across noisy
// machines. docs/performance.md explains each figure.

#include <benchmark/benchmark.h>
#include <malloc.h>

#include <asio/io_context.hpp>
#include <asio/post.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include <troupe/troupe.hpp>

#include "ratio_table.hpp"

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
// burst are all alive at once. They come from the reactor thread's block
// cache; before it, a burst of 1,000 or more made glibc trim and re-grow the
// heap every batch (docs/performance.md keeps that history).
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

// ---------------------------------------------------------------- the table

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

using troupe_bench::metric;

const troupe_bench::ratio_row rows[] = {
    {"ask round trip (ns)", "ask_round_trip/troupe", "ask_round_trip/asio_post", metric::ns_per_op,
     150.0},
    {"tell x100 (M messages/s)", "tell_throughput/troupe/100", "tell_throughput/asio_post/100",
     metric::items_per_second, 20e6},
    {"tell x1000 (M messages/s)", "tell_throughput/troupe/1000", "tell_throughput/asio_post/1000",
     metric::items_per_second, 20e6},
    {"tell x10000 (M messages/s)", "tell_throughput/troupe/10000",
     "tell_throughput/asio_post/10000", metric::items_per_second, 20e6},
    {"spawn (M actors/s)", "spawn/troupe", "spawn/make_unique", metric::items_per_second, 3e6},
    {"bytes per idle actor", "spawn/troupe", "spawn/make_unique", metric::bytes, 256.0,
     "bytes_per_actor"},
    {"create_task + co_await (ns)", "create_task/troupe", "create_task/direct_co_await",
     metric::ns_per_op},
};

}  // namespace

int main(int argc, char** argv) {
  for (const bench_def& b : benchmarks) {
    auto* reg = benchmark::RegisterBenchmark(
        b.name, [body = b.body](benchmark::State& s) { run_on_reactor(s, body); });
    reg->Unit(benchmark::kNanosecond)->UseRealTime();
    for (std::int64_t a : b.args) reg->Arg(a);
  }
  return troupe_bench::run_and_print_ratios(argc, argv, rows);
}
