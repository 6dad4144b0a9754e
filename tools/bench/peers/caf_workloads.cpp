// caf_peer_bench — the side-by-side workloads written the way a CAF 0.17
// program would: event-based actors with behaviors, `send` with the
// handler's return value as the reply where troupe asks, `delayed_send` for
// sleeping, and a stream (credit-based back-pressure) for the bounded
// producer–consumer.
//
//   caf_peer_bench WORKLOAD [--key value ...]     (--help lists them)
//
// Prints one JSON line (workload, peer, threads, params, ops, seconds,
// checksum). The timed region starts before the workload's first spawn and
// ends when a scoped_actor receives the checksum; starting and stopping the
// actor system are outside it. `--threads` sets scheduler.max-threads.

#include <caf/all.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "workload_args.hpp"

namespace {

using caf::actor;
using caf::behavior;
using caf::event_based_actor;
using caf::stateful_actor;
using peers::params;
using peers::result;

// Waits, in the calling thread, for the checksum a workload's actors send to
// `self` when they are done.
std::int64_t await_checksum(caf::scoped_actor& self) {
  std::int64_t checksum = -1;
  self->receive([&](std::int64_t c) { checksum = c; });
  return checksum;
}

// ---------------------------------------------------------------- ping-pong

behavior pong(event_based_actor*) {
  return {[](caf::ping_atom, std::int64_t x) { return x + 1; }};
}

struct ping_state {
  std::int64_t sum = 0;
};

behavior ping(stateful_actor<ping_state>* self, actor pong_actor, std::int64_t rounds,
              actor report) {
  self->send(pong_actor, caf::ping_atom_v, std::int64_t{0});
  return {[=](std::int64_t y) {
    self->state.sum += y;
    if (y < rounds) {
      self->send(pong_actor, caf::ping_atom_v, y);
    } else {
      self->send(report, self->state.sum);
      self->quit();
    }
  }};
}

// On two threads ping and pong are `detached`, CAF's way of giving an actor
// a thread of its own, so that every message crosses between threads as in
// troupe's spawn_on(on_reactor(1)). Scheduled actors would not: CAF's
// scheduler puts an actor made ready by a message on the sender's worker, so
// the pair runs on one thread however many the scheduler has. Detaching both
// is the faster of CAF's two ways to cross: with ping scheduled, a reply
// waits for an idle worker's polling sleep (about ten times slower here).
result ping_pong(caf::actor_system& sys, const params& p, bool across_threads) {
  const std::int64_t rounds = p.at("rounds");
  caf::scoped_actor self{sys};
  peers::stopwatch clock;
  const actor pong_actor = across_threads ? sys.spawn<caf::detached>(pong) : sys.spawn(pong);
  if (across_threads)
    sys.spawn<caf::detached>(ping, pong_actor, rounds, actor{self});
  else
    sys.spawn(ping, pong_actor, rounds, actor{self});
  const std::int64_t sum = await_checksum(self);
  return {rounds, clock.seconds(), sum};
}

// ---------------------------------------------------------------- thread ring

struct node_state {
  actor next;
};

behavior ring_node(stateful_actor<node_state>* self, std::int64_t index, actor report) {
  return {
      [=](caf::update_atom, actor next) { self->state.next = std::move(next); },
      [=](std::int64_t left, std::int64_t acc) {
        acc += index;
        if (left == 0)
          self->send(report, acc);
        else
          self->send(self->state.next, left - 1, acc);
      },
  };
}

result thread_ring(caf::actor_system& sys, const params& p) {
  const std::int64_t n = p.at("actors");
  const std::int64_t hops = p.at("hops");
  caf::scoped_actor self{sys};
  peers::stopwatch clock;
  std::vector<actor> nodes;
  nodes.reserve(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) nodes.push_back(sys.spawn(ring_node, i, actor{self}));
  for (std::int64_t i = 0; i < n; ++i) self->send(nodes[i], caf::update_atom_v, nodes[(i + 1) % n]);
  self->send(nodes[0], hops, std::int64_t{0});
  const std::int64_t acc = await_checksum(self);
  const double seconds = clock.seconds();
  for (auto& node : nodes) self->send_exit(node, caf::exit_reason::user_shutdown);  // a cycle
  return {hops, seconds, acc};
}

// ---------------------------------------------------------------- fork-join

behavior fork_worker(event_based_actor* self) {
  return {[=](std::int64_t i) {
    self->quit();
    return i * i;  // the reply still goes out
  }};
}

struct join_state {
  std::int64_t acc = 0;
  std::int64_t got = 0;
};

behavior fork_join_driver(stateful_actor<join_state>* self, std::int64_t n, actor report) {
  for (std::int64_t i = 0; i < n; ++i) self->send(self->spawn(fork_worker), i);
  return {[=](std::int64_t square) {
    self->state.acc += square;
    if (++self->state.got == n) {
      self->send(report, self->state.acc);
      self->quit();
    }
  }};
}

result fork_join(caf::actor_system& sys, const params& p) {
  const std::int64_t n = p.at("actors");
  caf::scoped_actor self{sys};
  peers::stopwatch clock;
  sys.spawn(fork_join_driver, n, actor{self});
  const std::int64_t acc = await_checksum(self);
  return {n, clock.seconds(), acc};
}

// ---------------------------------------------------------------- fan-in

struct sink_state {
  std::int64_t acc = 0;
  std::int64_t got = 0;
};

behavior fan_in_sink(stateful_actor<sink_state>* self, std::int64_t expected, actor report) {
  return {[=](std::int64_t v) {
    self->state.acc += v;
    if (++self->state.got == expected) {
      self->send(report, self->state.acc);
      self->quit();
    }
  }};
}

struct sender_state {
  std::int64_t next = 0;
};

// Sends a burst, then a message to itself so that the other actors run
// before the next burst.
behavior fan_in_sender(stateful_actor<sender_state>* self, actor sink, std::int64_t base,
                       std::int64_t count) {
  self->send(self, caf::tick_atom_v);
  return {[=](caf::tick_atom) {
    auto& next = self->state.next;
    const std::int64_t end = std::min(count, next + peers::fan_in_burst);
    for (; next < end; ++next) self->send(sink, base + next);
    if (next < count)
      self->send(self, caf::tick_atom_v);
    else
      self->quit();
  }};
}

result fan_in(caf::actor_system& sys, const params& p) {
  const std::int64_t senders = p.at("senders");
  const std::int64_t per_sender = p.at("messages");
  caf::scoped_actor self{sys};
  peers::stopwatch clock;
  auto sink = sys.spawn(fan_in_sink, senders * per_sender, actor{self});
  for (std::int64_t s = 0; s < senders; ++s)
    sys.spawn(fan_in_sender, sink, s * per_sender, per_sender);
  const std::int64_t acc = await_checksum(self);
  return {senders * per_sender, clock.seconds(), acc};
}

// ---------------------------------------------------------------- fan-out

behavior fan_out_worker(event_based_actor*) {
  return {[](std::int64_t v) { return v + 1; }};
}

struct gather_state {
  std::vector<actor> workers;
  std::int64_t acc = 0;
  std::int64_t got = 0;
  std::int64_t round = 0;
};

// One round: a message per item, spread over the workers, whose return
// values come back as replies. (`request().then` per item is the other CAF
// idiom; it keeps a response handler per request and grows slower than
// linearly with 10,000 in flight, so the faster form is used.)
void fan_out_round(stateful_actor<gather_state>* self, std::int64_t requests) {
  auto& st = self->state;
  const std::int64_t base = st.round * requests;
  st.got = 0;
  for (std::int64_t i = 0; i < requests; ++i)
    self->send(st.workers[static_cast<std::size_t>(i) % st.workers.size()], base + i);
}

behavior fan_out_driver(stateful_actor<gather_state>* self, std::int64_t requests,
                        std::int64_t rounds, std::int64_t workers, actor report) {
  for (std::int64_t w = 0; w < workers; ++w)
    self->state.workers.push_back(self->spawn(fan_out_worker));
  fan_out_round(self, requests);
  return {[=](std::int64_t reply) {
    auto& st = self->state;
    st.acc += reply;
    if (++st.got < requests) return;
    if (++st.round < rounds) {
      fan_out_round(self, requests);
    } else {
      self->send(report, st.acc);
      self->quit();  // the workers go with their last reference
    }
  }};
}

result fan_out(caf::actor_system& sys, const params& p) {
  const std::int64_t requests = p.at("requests");
  const std::int64_t rounds = p.at("rounds");
  caf::scoped_actor self{sys};
  peers::stopwatch clock;
  sys.spawn(fan_out_driver, requests, rounds, p.at("workers"), actor{self});
  const std::int64_t acc = await_checksum(self);
  return {requests * rounds, clock.seconds(), acc};
}

// ---------------------------------------------------------------- sleep

behavior sleeper(event_based_actor* self, std::int64_t i, std::chrono::milliseconds nap,
                 actor sink) {
  self->delayed_send(self, nap, caf::timeout_atom_v);
  return {[=](caf::timeout_atom) {
    self->send(sink, i);
    self->quit();
  }};
}

behavior sleep_driver(stateful_actor<sink_state>* self, std::int64_t tasks,
                      std::chrono::milliseconds nap, actor report) {
  for (std::int64_t i = 0; i < tasks; ++i) self->spawn(sleeper, i, nap, actor{self});
  return {[=](std::int64_t i) {
    self->state.acc += i;
    if (++self->state.got == tasks) {
      self->send(report, self->state.acc);
      self->quit();
    }
  }};
}

result sleep_gather(caf::actor_system& sys, const params& p) {
  const std::int64_t tasks = p.at("tasks");
  caf::scoped_actor self{sys};
  peers::stopwatch clock;
  sys.spawn(sleep_driver, tasks, std::chrono::milliseconds(p.at("ms")), actor{self});
  const std::int64_t acc = await_checksum(self);
  return {tasks, clock.seconds(), acc};
}

// ---------------------------------------------------------------- producer-consumer

// CAF's bounded producer–consumer is a stream: the sink grants credit, the
// source produces only as much as it was granted. The buffer size follows
// from CAF's credit policy, not from --capacity.
behavior stream_consumer(event_based_actor* self, actor report) {
  struct progress {
    std::int64_t next = 0;
    std::int64_t acc = 0;
    bool in_order = true;
  };
  return {[=](caf::stream<std::int64_t> in) {
    return caf::attach_stream_sink(
        self, in, [](progress&) {},
        [](progress& st, std::int64_t v) {
          st.in_order = st.in_order && v == st.next;
          ++st.next;
          st.acc += v;
        },
        [=](progress& st, const caf::error& err) {
          self->send(report, err || !st.in_order ? std::int64_t{-1} : st.acc);
        });
  }};
}

behavior stream_producer(event_based_actor* self, actor consumer, std::int64_t items) {
  caf::attach_stream_source(
      self, consumer, [](std::int64_t& next) { next = 0; },
      [items](std::int64_t& next, caf::downstream<std::int64_t>& out, std::size_t hint) {
        const std::int64_t end = std::min(items, next + static_cast<std::int64_t>(hint));
        for (; next < end; ++next) out.push(next);
      },
      [items](const std::int64_t& next) { return next == items; });
  return {};
}

result prod_cons(caf::actor_system& sys, const params& p) {
  const std::int64_t items = p.at("items");
  caf::scoped_actor self{sys};
  peers::stopwatch clock;
  sys.spawn(stream_producer, sys.spawn(stream_consumer, actor{self}), items);
  const std::int64_t acc = await_checksum(self);
  return {items, clock.seconds(), acc};
}

result dispatch(caf::actor_system& sys, const peers::invocation& inv) {
  const std::string& w = inv.name;
  if (w == "ping_pong_1t") return ping_pong(sys, inv.p, false);
  if (w == "ping_pong_2t") return ping_pong(sys, inv.p, true);
  if (w == "thread_ring") return thread_ring(sys, inv.p);
  if (w == "fork_join") return fork_join(sys, inv.p);
  if (w == "fan_in") return fan_in(sys, inv.p);
  if (w == "fan_out") return fan_out(sys, inv.p);
  if (w == "sleep_gather") return sleep_gather(sys, inv.p);
  return prod_cons(sys, inv.p);
}

}  // namespace

int main(int argc, char** argv) {
  const peers::invocation inv = peers::parse(argc, argv, "caf_peer_bench");
  caf::actor_system_config cfg;
  cfg.set("scheduler.max-threads", static_cast<std::size_t>(inv.threads));
  cfg.set("logger.console", caf::atom("none"));
  result r;
  {
    caf::actor_system sys{cfg};
    r = dispatch(sys, inv);
  }
  peers::print_result(inv, "caf", r);
  return r.checksum < 0 ? 1 : 0;
}
