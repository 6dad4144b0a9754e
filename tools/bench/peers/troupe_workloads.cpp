// troupe_peer_bench — the side-by-side workloads written the way a troupe
// program would: actors asked and told, tasks and gather, troupe::queue for
// the bounded producer–consumer, spawn_on to spread actors over the pool.
//
//   troupe_peer_bench WORKLOAD [--key value ...]     (--help lists them)
//
// Prints one JSON line (workload, peer, threads, params, ops, seconds,
// checksum). Each workload runs in troupe::run with the default options
// apart from the number of reactors (`--threads`); the timed region is the
// workload inside the main task, so starting and stopping the runtime are
// outside it, as for the other peers.
//
// `--idle-spin-us N` (troupe only, 0 allowed) sets options::idle_spin, so the
// effect of polling before sleeping can be measured with one binary.

#include <troupe/troupe.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "workload_args.hpp"

namespace {

using peers::params;
using peers::result;
using std::int64_t;

// Where the actors of a workload that spreads over the pool go: every
// reactor in turn.
template <class A, class... Args>
troupe::actor_ref<A> spawn_spread(Args&&... args) {
  return troupe::spawn_on<A>(troupe::round_robin, std::forward<Args>(args)...);
}

// ---------------------------------------------------------------- ping-pong

class pong : public troupe::actor {
 public:
  int64_t hit(int64_t x) { return x + 1; }
};

// The main task is the pinger: it asks, awaits the reply, asks again. With
// two threads the ponger lives on the other reactor.
troupe::task<result> ping_pong(const params& p, int64_t threads) {
  const int64_t rounds = p.at("rounds");
  peers::stopwatch clock;
  auto ponger = threads > 1 ? troupe::spawn_on<pong>(troupe::on_reactor(1)) : troupe::spawn<pong>();
  int64_t sum = 0;
  for (int64_t x = 0; x < rounds;) {
    x = co_await ponger.ask<&pong::hit>(x);
    sum += x;
  }
  co_return result{rounds, clock.seconds(), sum};
}

// ---------------------------------------------------------------- thread ring

// What a workload's actors report when they are done: the main task awaits
// the event, then reads the value.
struct finish_line {
  troupe::event done;
  int64_t value = -1;

  void finish(int64_t v) {
    value = v;
    done.set();
  }
};

class ring_node : public troupe::actor {
 public:
  ring_node(int64_t index, finish_line* finish) : index_(index), finish_(finish) {}

  void link(troupe::actor_ref<ring_node> next) { next_ = std::move(next); }

  // The token: hops still to make, and the sum of the indices of the nodes
  // it has met.
  void pass(int64_t left, int64_t acc) {
    acc += index_;
    if (left == 0)
      finish_->finish(acc);
    else
      next_.tell<&ring_node::pass>(left - 1, acc);
  }

 private:
  int64_t index_;
  finish_line* finish_;
  // Typed, so a pass is checked when compiled, not with a cast on delivery.
  troupe::actor_ref<ring_node> next_;
};

troupe::task<result> thread_ring(const params& p) {
  const int64_t n = p.at("actors");
  const int64_t hops = p.at("hops");
  finish_line finish;
  peers::stopwatch clock;
  std::vector<troupe::actor_ref<ring_node>> nodes;
  nodes.reserve(static_cast<std::size_t>(n));
  for (int64_t i = 0; i < n; ++i) nodes.push_back(troupe::spawn<ring_node>(i, &finish));
  for (int64_t i = 0; i < n; ++i)
    nodes[static_cast<std::size_t>(i)].tell<&ring_node::link>(
        nodes[static_cast<std::size_t>((i + 1) % n)]);
  nodes[0].tell<&ring_node::pass>(hops, int64_t{0});
  co_await finish.done.wait();
  const double seconds = clock.seconds();
  co_return result{hops, seconds, finish.value};  // troupe::run stops the cycle
}

// ---------------------------------------------------------------- fork-join

class fork_worker : public troupe::actor {
 public:
  int64_t square(int64_t i) { return i * i; }
};

// An actor per unit of work, asked once and dropped at once (it is freed
// once it has replied), the replies gathered.
troupe::task<result> fork_join(const params& p) {
  const int64_t n = p.at("actors");
  peers::stopwatch clock;
  std::vector<troupe::future<int64_t>> squares;
  squares.reserve(static_cast<std::size_t>(n));
  for (int64_t i = 0; i < n; ++i)
    squares.push_back(troupe::spawn<fork_worker>().ask<&fork_worker::square>(i));
  int64_t acc = 0;
  for (int64_t s : co_await troupe::gather(std::move(squares))) acc += s;
  co_return result{n, clock.seconds(), acc};
}

// ---------------------------------------------------------------- fan-in

class fan_in_sink : public troupe::actor {
 public:
  fan_in_sink(int64_t expected, finish_line* finish) : expected_(expected), finish_(finish) {}

  void add(int64_t v) {
    acc_ += v;
    if (++got_ == expected_) finish_->finish(acc_);
  }

 private:
  int64_t expected_;
  finish_line* finish_;
  int64_t acc_ = 0;
  int64_t got_ = 0;
};

class fan_in_sender : public troupe::actor {
 public:
  // Tells `count` values to the sink, letting the others run after every
  // burst.
  troupe::task<void> run(troupe::actor_ref<fan_in_sink> sink, int64_t base, int64_t count) {
    for (int64_t j = 0; j < count; ++j) {
      sink.tell<&fan_in_sink::add>(base + j);
      if ((j + 1) % peers::fan_in_burst == 0) co_await troupe::yield();
    }
  }
};

// The sink on the main reactor, the senders spread over the pool.
troupe::task<result> fan_in(const params& p) {
  const int64_t senders = p.at("senders");
  const int64_t per_sender = p.at("messages");
  finish_line finish;
  peers::stopwatch clock;
  auto sink = troupe::spawn<fan_in_sink>(senders * per_sender, &finish);
  std::vector<troupe::future<void>> running;
  for (int64_t s = 0; s < senders; ++s)
    running.push_back(
        spawn_spread<fan_in_sender>().ask<&fan_in_sender::run>(sink, s * per_sender, per_sender));
  co_await troupe::gather(std::move(running));
  co_await finish.done.wait();
  co_return result{senders * per_sender, clock.seconds(), finish.value};
}

// ---------------------------------------------------------------- fan-out

class fan_out_worker : public troupe::actor {
 public:
  int64_t compute(int64_t v) { return v + 1; }
};

// Each round asks every request of a worker, in turn, and gathers the
// replies; the workers are spread over the pool.
troupe::task<result> fan_out(const params& p) {
  const int64_t requests = p.at("requests");
  const int64_t rounds = p.at("rounds");
  peers::stopwatch clock;
  std::vector<troupe::actor_ref<fan_out_worker>> workers;
  for (int64_t w = 0; w < p.at("workers"); ++w) workers.push_back(spawn_spread<fan_out_worker>());
  int64_t acc = 0;
  for (int64_t r = 0; r < rounds; ++r) {
    std::vector<troupe::future<int64_t>> replies;
    replies.reserve(static_cast<std::size_t>(requests));
    for (int64_t i = 0; i < requests; ++i)
      replies.push_back(
          workers[static_cast<std::size_t>(i) % workers.size()].ask<&fan_out_worker::compute>(
              r * requests + i));
    for (int64_t v : co_await troupe::gather(std::move(replies))) acc += v;
  }
  co_return result{requests * rounds, clock.seconds(), acc};
}

// ---------------------------------------------------------------- sleep

troupe::task<int64_t> sleeper(int64_t i, std::chrono::milliseconds nap) {
  co_await troupe::sleep(nap);
  co_return i;
}

troupe::task<result> sleep_gather(const params& p) {
  const int64_t tasks = p.at("tasks");
  const std::chrono::milliseconds nap(p.at("ms"));
  peers::stopwatch clock;
  std::vector<troupe::future<int64_t>> sleeping;
  sleeping.reserve(static_cast<std::size_t>(tasks));
  for (int64_t i = 0; i < tasks; ++i) sleeping.push_back(troupe::create_task(sleeper(i, nap)));
  int64_t acc = 0;
  for (int64_t i : co_await troupe::gather(std::move(sleeping))) acc += i;
  co_return result{tasks, clock.seconds(), acc};
}

// ---------------------------------------------------------------- producer-consumer

troupe::task<void> producer(troupe::queue<int64_t>& q, int64_t items) {
  for (int64_t i = 0; i < items; ++i) co_await q.put(i);
}

troupe::task<int64_t> consumer(troupe::queue<int64_t>& q, int64_t items) {
  int64_t acc = 0;
  for (int64_t expected = 0; expected < items; ++expected) {
    const int64_t v = co_await q.get();
    if (v != expected)
      throw std::runtime_error("prod_cons: item " + std::to_string(v) + " arrived where " +
                               std::to_string(expected) + " was due");
    acc += v;
  }
  co_return acc;
}

troupe::task<result> prod_cons(const params& p) {
  const int64_t items = p.at("items");
  troupe::queue<int64_t> q(static_cast<std::size_t>(p.at("capacity")));
  peers::stopwatch clock;
  auto [done, acc] = co_await troupe::gather(troupe::create_task(producer(q, items)),
                                             troupe::create_task(consumer(q, items)));
  (void)done;
  co_return result{items, clock.seconds(), acc};
}

troupe::task<result> dispatch(const peers::invocation& inv) {
  const std::string& w = inv.name;
  if (w == "ping_pong_1t" || w == "ping_pong_2t") return ping_pong(inv.p, inv.threads);
  if (w == "thread_ring") return thread_ring(inv.p);
  if (w == "fork_join") return fork_join(inv.p);
  if (w == "fan_in") return fan_in(inv.p);
  if (w == "fan_out") return fan_out(inv.p);
  if (w == "sleep_gather") return sleep_gather(inv.p);
  return prod_cons(inv.p);
}

}  // namespace

int main(int argc, char** argv) {
  troupe::options o;
  std::vector<char*> args(argv, argv + argc);
  for (std::size_t i = 1; i + 1 < args.size(); ++i) {
    if (std::string_view(args[i]) != "--idle-spin-us") continue;
    char* end = nullptr;
    const long long us = std::strtoll(args[i + 1], &end, 10);
    if (*end != '\0' || us < 0) {
      std::fprintf(stderr, "troupe_peer_bench: --idle-spin-us needs a whole number >= 0\n");
      return 2;
    }
    o.idle_spin = std::chrono::microseconds(us);
    args.erase(args.begin() + static_cast<std::ptrdiff_t>(i),
               args.begin() + static_cast<std::ptrdiff_t>(i) + 2);
    break;
  }
  const peers::invocation inv =
      peers::parse(static_cast<int>(args.size()), args.data(), "troupe_peer_bench");
  o.reactors = static_cast<std::size_t>(inv.threads);
  try {
    const result r = troupe::run(dispatch(inv), o);
    peers::print_result(inv, "troupe", r);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "troupe_peer_bench %s: %s\n", inv.name.c_str(), e.what());
    return 1;
  }
  return 0;
}
