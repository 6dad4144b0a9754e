// ping_pong — two actors hit a ball back and forth: `ping` asks `pong`, waits
// for the reply, and asks again. Each round trip is a request message and a
// reply message; by default the two actors live on two reactors (two
// threads), so every message crosses between threads.
//
//   ping_pong [--rounds N] [--same-reactor]
#include <troupe/troupe.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

#include "../common/check.hpp"
#include "../common/cli.hpp"

using steady = std::chrono::steady_clock;

// [guide:actor]
class pong : public troupe::actor {
 public:
  std::uint64_t hit(std::uint64_t ball) {  // a plain handler: its return value is the reply
    ++hits_;
    return ball + 1;
  }
  std::uint64_t hits() const { return hits_; }

 private:
  std::uint64_t hits_ = 0;  // no lock: one message at a time
};

class ping : public troupe::actor {
 public:
  // A coroutine handler: while it waits for a reply, its reactor runs others.
  troupe::task<std::uint64_t> rally(troupe::actor_ref<pong> partner, std::uint64_t rounds) {
    std::uint64_t ball = 0;
    for (std::uint64_t i = 0; i < rounds; ++i) ball = co_await partner.ask<&pong::hit>(ball);
    co_return ball;
  }
};
// [/guide:actor]

struct settings {
  int rounds = 100'000;
  bool same_reactor = false;
};

troupe::task<int> amain(settings s) {
  const auto rounds = static_cast<std::uint64_t>(s.rounds);
  // [guide:spawn]
  troupe::actor_ref<ping> p = troupe::spawn<ping>();  // here, on reactor 0
  troupe::actor_ref<pong> q =
      s.same_reactor ? troupe::spawn<pong>() : troupe::spawn_on<pong>(troupe::on_reactor(1));
  // [/guide:spawn]

  co_await p.ask<&ping::rally>(q, std::uint64_t{1000});  // warm up: caches, allocator, threads
  const auto start = steady::now();
  const std::uint64_t ball = co_await p.ask<&ping::rally>(q, rounds);
  const double secs = std::chrono::duration<double>(steady::now() - start).count();
  const std::uint64_t hits = co_await q.ask<&pong::hits>();

  std::printf("ping_pong: ping on reactor 0, pong on reactor %d%s\n", s.same_reactor ? 0 : 1,
              s.same_reactor ? " (same thread)" : " (another thread)");
  std::printf("  %llu round trips in %.1f ms: %.0f round trips/s, %.2f us each\n",
              static_cast<unsigned long long>(rounds), secs * 1e3,
              static_cast<double>(rounds) / secs, secs * 1e6 / static_cast<double>(rounds));
  example::checks check;
  check.expect(ball == rounds, "the ball came back " + std::to_string(ball) + " times");
  check.expect(hits == rounds + 1000, "pong handled " + std::to_string(hits) +
                                          " hits (warm-up included), none lost or repeated");
  co_return check.exit_code();
}

int main(int argc, char** argv) {
  settings s;
  example::cli cli("ping_pong",
                   "Two actors ask each other in turn and print the round trips per second.");
  cli.option("rounds", s.rounds, "round trips to time")
      .flag("same-reactor", s.same_reactor, "put both actors on one reactor (one thread)");
  if (auto code = cli.parse(argc, argv)) return *code;
  if (s.rounds < 1) {
    std::fputs("ping_pong: --rounds must be at least 1\n", stderr);
    return 2;
  }
  return troupe::run(amain(s), troupe::options{.reactors = s.same_reactor ? 1u : 2u});
}
