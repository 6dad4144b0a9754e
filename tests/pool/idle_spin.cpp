// Suite for how reactors wait: polling the inbox before sleeping
// (options::idle_spin) must lose no wake-up, with polling on or off, and an
// idle runtime must not burn CPU.
#include <troupe/actor_ref.hpp>

#include <boost/test/unit_test.hpp>

#include <time.h>

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "troupe_test.hpp"

using namespace std::chrono_literals;

namespace {

class echo : public troupe::actor {
 public:
  std::int64_t hit(std::int64_t x) { return x + 1; }
  void note(std::int64_t x) { seen_ += x; }
  std::int64_t seen() const { return seen_; }

 private:
  std::int64_t seen_ = 0;
};

// Alternates asks to two actors on other reactors, one at a time, so that
// every reactor waits between messages: each reply is a wake-up that must
// not be lost. Returns the sum of the replies.
troupe::task<std::int64_t> alternate(int rounds) {
  auto a = troupe::spawn_on<echo>(troupe::on_reactor(1));
  auto b = troupe::spawn_on<echo>(troupe::on_reactor(2));
  std::int64_t sum = 0;
  for (int i = 0; i < rounds; ++i) {
    sum += co_await a.ask<&echo::hit>(i);
    sum += co_await b.ask<&echo::hit>(i);
    if (i % 1000 == 0) co_await troupe::sleep(1ms);  // some waits are long
  }
  co_return sum;
}

std::int64_t expected_sum(int rounds) {
  const auto n = static_cast<std::int64_t>(rounds);
  return 2 * (n * (n - 1) / 2 + n);
}

double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

}  // namespace

BOOST_AUTO_TEST_CASE(one_at_a_time_asks_across_reactors_are_all_answered_with_polling_on) {
  static constexpr int rounds = 20'000;
  const std::int64_t sum = troupe_test::run([] { return alternate(rounds); },
                                            troupe::options{.reactors = 3, .idle_spin = 50us});
  BOOST_TEST(sum == expected_sum(rounds));
}

BOOST_AUTO_TEST_CASE(one_at_a_time_asks_across_reactors_are_all_answered_with_polling_off) {
  static constexpr int rounds = 20'000;
  const std::int64_t sum = troupe_test::run([] { return alternate(rounds); },
                                            troupe::options{.reactors = 3, .idle_spin = 0ns});
  BOOST_TEST(sum == expected_sum(rounds));
}

BOOST_AUTO_TEST_CASE(tells_from_two_reactors_to_a_polling_reactor_are_all_handled) {
  // Bursts with pauses between them: the sink's reactor keeps switching
  // between polling, sleeping and running while two senders post.
  static constexpr int bursts = 200;
  static constexpr int per_burst = 100;
  class sender : public troupe::actor {
   public:
    troupe::task<void> send(troupe::actor_ref<echo> to) {
      for (int b = 0; b < bursts; ++b) {
        for (int i = 0; i < per_burst; ++i) to.tell<&echo::note>(1);
        if (b % 10 == 0)
          co_await troupe::sleep(200us);
        else
          co_await troupe::yield();
      }
    }
  };
  const std::int64_t seen = troupe_test::run(
      []() -> troupe::task<std::int64_t> {
        auto sink = troupe::spawn_on<echo>(troupe::on_reactor(0));
        auto s1 = troupe::spawn_on<sender>(troupe::on_reactor(1));
        auto s2 = troupe::spawn_on<sender>(troupe::on_reactor(2));
        co_await troupe::gather(s1.ask<&sender::send>(sink), s2.ask<&sender::send>(sink));
        // Each sender's tells come before its reply; both replies are in.
        co_return co_await sink.ask<&echo::seen>();
      },
      troupe::options{.reactors = 3});
  BOOST_TEST(seen == 2 * bursts * per_burst);
}

BOOST_AUTO_TEST_CASE(an_idle_runtime_does_not_keep_polling) {
  // A burst of cross-reactor asks makes both reactors poll; once it is over
  // and every reactor waits for a 400 ms timer, polling must stop: were the
  // reactors spinning, the process would use about 800 ms of CPU.
  const double used = troupe_test::run(
      []() -> troupe::task<double> {
        auto a = troupe::spawn_on<echo>(troupe::on_reactor(1));
        for (int i = 0; i < 5000; ++i) (void)co_await a.ask<&echo::hit>(i);
        const double before = process_cpu_seconds();
        co_await troupe::sleep(400ms);
        co_return process_cpu_seconds() - before;
      },
      troupe::options{.reactors = 2});
  BOOST_TEST(used < 0.1, "the idle runtime used " << used << " s of CPU in 400 ms");
}

BOOST_AUTO_TEST_CASE(a_negative_idle_spin_is_rejected_naming_the_option) {
  try {
    troupe::run([]() -> troupe::task<void> { co_return; }(),
                troupe::options{.reactors = 1, .idle_spin = -1us});
    BOOST_FAIL("a negative idle_spin was accepted");
  } catch (const std::invalid_argument& e) {
    BOOST_TEST(std::string(e.what()).find("idle_spin") != std::string::npos);
  }
}
