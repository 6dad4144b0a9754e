// troupe_bench_protocols — what troupe's combinators and cancellation cost,
// each figure next to a baseline measured in the same run: gather and
// as_completed over 10,000 asks against awaiting the same asks one by one,
// wait_for on a call that does not time out against the plain call, and a
// cancelled ask (handler started, cancelled, unwound) against a plain ask
// round trip; and troupe::queue between a producer and a consumer task, and
// a put_nowait/get_nowait pair. Every benchmark runs inside troupe::run on
// one reactor; the table at the end gives troupe's cost as a multiple of its
// baseline's.
// docs/performance.md explains each figure.

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <troupe/troupe.hpp>

#include "ratio_table.hpp"

namespace {

using namespace std::chrono_literals;

class counter : public troupe::actor {
 public:
  int add(int n) { return total_ += n; }

 private:
  int total_ = 0;
};

// A handler that sleeps far longer than any benchmark iteration: every call
// is cancelled while it is suspended. `unwound` counts the calls whose
// frames have been destroyed, and, asked after a cancelled call, proves that
// call's handler has finished unwinding: the actor is not reentrant, so the
// ask waits until then.
class sleeper : public troupe::actor {
 public:
  troupe::task<int> nap() {
    const count_on_exit guard{unwound_};
    co_await troupe::sleep(1s);
    co_return 1;
  }
  int unwound() const { return unwound_; }

 private:
  struct count_on_exit {
    int& n;
    ~count_on_exit() { ++n; }
  };
  int unwound_ = 0;
};

constexpr int asks_per_batch = 10'000;

// One reactor and no slow-handler clock reads: the reactor's own cost only.
const troupe::options one_reactor{.reactors = 1, .slow_handler = std::chrono::nanoseconds(0)};

void run_on_reactor(benchmark::State& state, troupe::task<void> (*body)(benchmark::State&)) {
  troupe::run(body(state), one_reactor);
}

// `n` counters, started before timing.
troupe::task<std::vector<troupe::actor_ref<counter>>> started_counters(std::int64_t n) {
  std::vector<troupe::actor_ref<counter>> cs;
  for (std::int64_t i = 0; i < n; ++i) cs.push_back(troupe::spawn<counter>());
  for (auto& c : cs) co_await c.ask<&counter::add>(0);
  co_return cs;
}

// 10,000 asks, dealt round-robin to the counters.
std::vector<troupe::future<int>> send_asks(const std::vector<troupe::actor_ref<counter>>& cs) {
  std::vector<troupe::future<int>> fs;
  fs.reserve(asks_per_batch);
  for (int i = 0; i < asks_per_batch; ++i)
    fs.push_back(cs[static_cast<std::size_t>(i) % cs.size()].ask<&counter::add>(1));
  return fs;
}

// ---------------------------------------------------------------- 1. gather

troupe::task<void> gather_troupe(benchmark::State& state) {
  const auto cs = co_await started_counters(state.range(0));
  for (auto _ : state) {
    std::vector<int> values = co_await troupe::gather(send_asks(cs));
    benchmark::DoNotOptimize(values.data());
  }
  state.SetItemsProcessed(state.iterations() * asks_per_batch);
}

// The baseline of gather and of as_completed: the same asks, awaited in
// input order, the values collected as gather collects them.
troupe::task<void> await_in_order(benchmark::State& state) {
  const auto cs = co_await started_counters(state.range(0));
  for (auto _ : state) {
    std::vector<troupe::future<int>> fs = send_asks(cs);
    std::vector<int> values;
    values.reserve(fs.size());
    for (auto& f : fs) values.push_back(co_await f);
    benchmark::DoNotOptimize(values.data());
  }
  state.SetItemsProcessed(state.iterations() * asks_per_batch);
}

// ---------------------------------------------------------------- 2. as_completed

troupe::task<void> as_completed_troupe(benchmark::State& state) {
  const auto cs = co_await started_counters(state.range(0));
  for (auto _ : state) {
    std::int64_t sum = 0;
    for (auto next : troupe::as_completed(send_asks(cs))) sum += co_await next;
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * asks_per_batch);
}

// ---------------------------------------------------------------- 3. wait_for

troupe::task<void> wait_for_troupe(benchmark::State& state) {
  const auto cs = co_await started_counters(1);
  const auto& c = cs.front();
  for (auto _ : state) {
    int v = co_await troupe::wait_for(c.ask<&counter::add>(1), 1s);
    benchmark::DoNotOptimize(v);
  }
}

// The baseline of wait_for and of the cancel round trip.
troupe::task<void> plain_ask(benchmark::State& state) {
  const auto cs = co_await started_counters(1);
  const auto& c = cs.front();
  for (auto _ : state) {
    int v = co_await c.ask<&counter::add>(1);
    benchmark::DoNotOptimize(v);
  }
}

// ---------------------------------------------------------------- 4. cancel

// One iteration: ask nap(); yield once, so the actor (scheduled by the ask,
// ahead of the yield) runs the handler up to its sleep; cancel the future;
// await it and catch cancelled_error; then ask unwound(), which the actor
// handles only after nap's frame is gone. So the figure is a whole cancel
// round trip, the handler's unwinding included, plus one plain ask.
troupe::task<void> cancel_round_trip(benchmark::State& state) {
  auto s = troupe::spawn<sleeper>();
  int unwound = co_await s.ask<&sleeper::unwound>();
  for (auto _ : state) {
    troupe::future<int> f = s.ask<&sleeper::nap>();
    co_await troupe::yield();
    f.cancel();
    try {
      co_await f;
    } catch (const troupe::cancelled_error&) {
    }
    // Checked every time: a nap dropped unrun, or not yet unwound, would
    // make this a different (cheaper) measurement.
    if (co_await s.ask<&sleeper::unwound>() != ++unwound) {
      state.SkipWithError("a cancelled nap() had not run, or not unwound, before the next ask");
      break;
    }
  }
}

// ---------------------------------------------------------------- 5. queue

constexpr std::int64_t queue_items = 10'000;

troupe::task<void> queue_fill(troupe::queue<std::int64_t>& q) {
  for (std::int64_t i = 0; i < queue_items; ++i) co_await q.put(i);
}

troupe::task<std::int64_t> queue_drain(troupe::queue<std::int64_t>& q) {
  std::int64_t sum = 0;
  for (std::int64_t i = 0; i < queue_items; ++i) sum += co_await q.get();
  co_return sum;
}

// A producer task and a consumer task passing 10,000 items through a
// queue(1000) on one reactor (the peers' producer–consumer, smaller).
troupe::task<void> queue_producer_consumer(benchmark::State& state) {
  troupe::queue<std::int64_t> q(1000);
  for (auto _ : state) {
    auto producer = troupe::create_task(queue_fill(q));
    std::int64_t sum = co_await troupe::create_task(queue_drain(q));
    co_await producer;
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * queue_items);
}

// put_nowait then get_nowait, one task: the queue's bookkeeping alone.
troupe::task<void> queue_nowait_pair(benchmark::State& state) {
  troupe::queue<std::int64_t> q(1000);
  std::int64_t i = 0;
  for (auto _ : state) {
    q.put_nowait(++i);
    benchmark::DoNotOptimize(q.get_nowait());
  }
  co_return;
}

// ---------------------------------------------------------------- the table

struct bench_def {
  const char* name;
  troupe::task<void> (*body)(benchmark::State&);
  std::vector<std::int64_t> actors = {};  // the argument, if any
};

const bench_def benchmarks[] = {
    {"gather/troupe", gather_troupe, {1, 10}},
    {"as_completed/troupe", as_completed_troupe, {1, 10}},
    {"await_each/in_order", await_in_order, {1, 10}},
    {"wait_for/troupe", wait_for_troupe},
    {"cancel_round_trip/troupe", cancel_round_trip},
    {"ask/plain", plain_ask},
    {"queue/producer_consumer", queue_producer_consumer},
    {"queue/nowait_pair", queue_nowait_pair},
};

using troupe_bench::metric;

const troupe_bench::ratio_row rows[] = {
    {"gather 10k asks, 1 actor (M requests/s)", "gather/troupe/actors:1",
     "await_each/in_order/actors:1", metric::items_per_second},
    {"gather 10k asks, 10 actors (M requests/s)", "gather/troupe/actors:10",
     "await_each/in_order/actors:10", metric::items_per_second},
    {"as_completed 10k asks, 1 actor (M results/s)", "as_completed/troupe/actors:1",
     "await_each/in_order/actors:1", metric::items_per_second},
    {"as_completed 10k asks, 10 actors (M results/s)", "as_completed/troupe/actors:10",
     "await_each/in_order/actors:10", metric::items_per_second},
    {"wait_for, no timeout (ns per call)", "wait_for/troupe", "ask/plain", metric::ns_per_op},
    {"cancel round trip (ns)", "cancel_round_trip/troupe", "ask/plain", metric::ns_per_op},
};

}  // namespace

int main(int argc, char** argv) {
  for (const bench_def& b : benchmarks) {
    auto* reg = benchmark::RegisterBenchmark(
        b.name, [body = b.body](benchmark::State& s) { run_on_reactor(s, body); });
    reg->Unit(benchmark::kNanosecond)->UseRealTime();
    if (!b.actors.empty()) reg->ArgName("actors");
    for (std::int64_t a : b.actors) reg->Arg(a);
  }
  return troupe_bench::run_and_print_ratios(argc, argv, rows);
}
