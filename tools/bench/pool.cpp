// troupe_bench_pool — what crossing reactors costs, each figure next to a
// baseline measured in the same run: an ask round trip between two reactor
// threads against the same hop done with asio::post between two
// io_contexts; tell throughput from one and from two other reactors against
// asio::post from as many threads; and the speed-up of run_in_pool on two
// reactors over one. docs/performance.md explains each figure.

#include <benchmark/benchmark.h>

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

#include <troupe/troupe.hpp>

#include "ratio_table.hpp"

namespace {

class counter : public troupe::actor {
 public:
  std::int64_t add(std::int64_t n) { return total_ += n; }
  std::int64_t total() const { return total_; }

 private:
  std::int64_t total_ = 0;
};

// Sends `n` tells to `to` from its own reactor, then asks it for its total:
// messages from one sender arrive in order, so the reply comes after every
// tell was handled.
class sender : public troupe::actor {
 public:
  troupe::task<std::int64_t> send(troupe::actor_ref<counter> to, std::int64_t n) {
    for (std::int64_t i = 0; i < n; ++i) to.tell<&counter::add>(1);
    co_return co_await to.ask<&counter::total>();
  }
};

troupe::options reactors(std::size_t n) {
  return troupe::options{.reactors = n, .slow_handler = std::chrono::nanoseconds(0)};
}

// An io_context run by a thread of its own, for the Asio baselines.
struct asio_thread {
  asio::io_context io{1};
  asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
  std::thread thread{[this] { io.run(); }};
  ~asio_thread() {
    work.reset();
    thread.join();
  }
};

// ------------------------------------------------- 1. ping-pong round trip

void ping_pong_troupe(benchmark::State& state) {
  troupe::run(
      [](benchmark::State& s) -> troupe::task<void> {
        auto c = troupe::spawn_on<counter>(troupe::on_reactor(1));
        co_await c.ask<&counter::add>(0);
        for (auto _ : s) {
          auto v = co_await c.ask<&counter::add>(1);
          benchmark::DoNotOptimize(v);
        }
      }(state),
      reactors(2));
}

// The same two hops with Asio: post the request to the other thread's
// io_context; its handler posts the reply back to ours.
void ping_pong_asio(benchmark::State& state) {
  asio::io_context here{1};
  auto guard = asio::make_work_guard(here);
  asio_thread there;
  std::int64_t total = 0;
  for (auto _ : state) {
    asio::post(there.io, [&] {
      const std::int64_t v = ++total;
      asio::post(here, [v] { benchmark::DoNotOptimize(v); });
    });
    here.run_one();
  }
}

// ------------------------------------------------- 2. tell throughput, 1 -> 1

void tell_one_to_one_troupe(benchmark::State& state) {
  troupe::run(
      [](benchmark::State& s) -> troupe::task<void> {
        const std::int64_t burst = s.range(0);
        auto c = troupe::spawn_on<counter>(troupe::on_reactor(1));
        co_await c.ask<&counter::add>(0);
        for (auto _ : s) {
          for (std::int64_t i = 0; i < burst; ++i) c.tell<&counter::add>(1);
          auto total = co_await c.ask<&counter::total>();  // after every tell before it
          benchmark::DoNotOptimize(total);
        }
        s.SetItemsProcessed(s.iterations() * burst);
      }(state),
      reactors(2));
}

void tell_one_to_one_asio(benchmark::State& state) {
  const std::int64_t burst = state.range(0);
  asio::io_context here{1};
  auto guard = asio::make_work_guard(here);
  asio_thread there;
  std::int64_t total = 0;
  for (auto _ : state) {
    for (std::int64_t i = 0; i < burst; ++i) asio::post(there.io, [&total] { ++total; });
    asio::post(there.io, [&] { asio::post(here, [t = total] { benchmark::DoNotOptimize(t); }); });
    here.run_one();
  }
  state.SetItemsProcessed(state.iterations() * burst);
}

// ------------------------------------------------- 3. tell throughput, 2 -> 1

// Reactor 0 hosts the receiving actor; reactors 1 and 2 each send a burst.
void tell_two_to_one_troupe(benchmark::State& state) {
  troupe::run(
      [](benchmark::State& s) -> troupe::task<void> {
        const std::int64_t burst = s.range(0);
        auto sink = troupe::spawn<counter>();
        std::vector<troupe::actor_ref<sender>> senders{
            troupe::spawn_on<sender>(troupe::on_reactor(1)),
            troupe::spawn_on<sender>(troupe::on_reactor(2))};
        std::int64_t expected = 0;
        for (auto _ : s) {
          auto a = senders[0].ask<&sender::send>(sink, burst);
          auto b = senders[1].ask<&sender::send>(sink, burst);
          const std::int64_t seen_a = co_await a;
          const std::int64_t seen_b = co_await b;
          expected += 2 * burst;
          if (std::max(seen_a, seen_b) != expected) s.SkipWithError("tells missing");
        }
        s.SetItemsProcessed(s.iterations() * 2 * burst);
      }(state),
      reactors(3));
}

void tell_two_to_one_asio(benchmark::State& state) {
  const std::int64_t burst = state.range(0);
  asio::io_context here{1};
  auto guard = asio::make_work_guard(here);
  asio_thread a;
  asio_thread b;
  std::int64_t total = 0;
  for (auto _ : state) {
    std::atomic<int> sent{0};
    for (asio_thread* from : {&a, &b}) {
      asio::post(from->io, [&, from] {
        (void)from;
        for (std::int64_t i = 0; i < burst; ++i) asio::post(here, [&total] { ++total; });
        asio::post(here, [&sent] { ++sent; });
      });
    }
    while (sent.load(std::memory_order_relaxed) < 2) here.run_one();
  }
  benchmark::DoNotOptimize(total);
  state.SetItemsProcessed(state.iterations() * 2 * burst);
}

// ------------------------------------------------- 4. run_in_pool speed-up

// About 10 ms of arithmetic that the optimiser cannot fold away.
std::uint64_t cpu_job(std::uint64_t seed) {
  std::uint64_t x = seed | 1;
  for (int i = 0; i < 12'000'000; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
  }
  return x;
}

void two_jobs_in_pool(benchmark::State& state) {
  troupe::run(
      [](benchmark::State& s) -> troupe::task<void> {
        for (auto _ : s) {
          auto a = troupe::run_in_pool([] { return cpu_job(1); });
          auto b = troupe::run_in_pool([] { return cpu_job(2); });
          benchmark::DoNotOptimize(co_await a + co_await b);
        }
      }(state),
      reactors(static_cast<std::size_t>(state.range(0))));
}

void two_jobs_serial(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(cpu_job(1) + cpu_job(2));
}

constexpr std::int64_t burst = 10'000;

const troupe_bench::ratio_row rows[] = {
    {"ask round trip across reactors (ns)", "ping_pong/troupe", "ping_pong/asio",
     troupe_bench::metric::ns_per_op},
    {"tell 1->1 across reactors (M/s)", "tell_one_to_one/troupe/10000",
     "tell_one_to_one/asio/10000", troupe_bench::metric::items_per_second, 8e6},
    {"tell 2->1 across reactors (M/s)", "tell_two_to_one/troupe/10000",
     "tell_two_to_one/asio/10000", troupe_bench::metric::items_per_second, 8e6},
    {"2 CPU jobs: run_in_pool, 2 reactors vs 1 (ns)", "two_jobs_in_pool/reactors:2",
     "two_jobs_in_pool/reactors:1", troupe_bench::metric::ns_per_op},
    {"2 CPU jobs: run_in_pool, 2 reactors vs serial (ns)", "two_jobs_in_pool/reactors:2",
     "two_jobs_serial", troupe_bench::metric::ns_per_op},
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::RegisterBenchmark("ping_pong/troupe", ping_pong_troupe)->UseRealTime();
  benchmark::RegisterBenchmark("ping_pong/asio", ping_pong_asio)->UseRealTime();
  benchmark::RegisterBenchmark("tell_one_to_one/troupe", tell_one_to_one_troupe)
      ->Arg(burst)
      ->UseRealTime();
  benchmark::RegisterBenchmark("tell_one_to_one/asio", tell_one_to_one_asio)
      ->Arg(burst)
      ->UseRealTime();
  benchmark::RegisterBenchmark("tell_two_to_one/troupe", tell_two_to_one_troupe)
      ->Arg(burst)
      ->UseRealTime();
  benchmark::RegisterBenchmark("tell_two_to_one/asio", tell_two_to_one_asio)
      ->Arg(burst)
      ->UseRealTime();
  benchmark::RegisterBenchmark("two_jobs_in_pool", two_jobs_in_pool)
      ->ArgName("reactors")
      ->Arg(1)
      ->Arg(2)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
  benchmark::RegisterBenchmark("two_jobs_serial", two_jobs_serial)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
  return troupe_bench::run_and_print_ratios(argc, argv, rows);
}
