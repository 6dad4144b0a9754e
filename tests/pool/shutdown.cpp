// Suite for troupe::run's shutdown with work in flight on every reactor.
#include <troupe/runtime.hpp>

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <thread>
#include <vector>

#include "troupe_test.hpp"

using namespace std::chrono_literals;

namespace {

std::size_t thread_count() {
  std::size_t n = 0;
  for ([[maybe_unused]] auto& e : std::filesystem::directory_iterator("/proc/self/task")) ++n;
  return n;
}

struct ledger {
  std::atomic<std::int64_t> sent{0};
  std::atomic<std::int64_t> handled{0};
  std::atomic<std::int64_t> replied{0};
  std::atomic<std::int64_t> cancelled{0};
};

class sink : public troupe::actor {
 public:
  explicit sink(ledger* l) : ledger_(l) {}
  std::int64_t take(std::int64_t n) {
    ++ledger_->handled;
    return n;
  }
  void take_quietly(std::int64_t) { ++ledger_->handled; }

 private:
  ledger* ledger_;
};

// Asks and tells a sink on another reactor as fast as it can, forever.
class storm : public troupe::actor {
 public:
  explicit storm(ledger* l) : ledger_(l) {}
  troupe::task<void> blow(troupe::actor_ref<sink> to) {
    for (std::int64_t i = 0;; ++i) {
      to.tell<&sink::take_quietly>(i);
      ++ledger_->sent;
      auto f = to.ask<&sink::take>(i);
      ++ledger_->sent;
      try {
        (void)co_await f;
        ++ledger_->replied;
      } catch (const troupe::cancelled_error&) {
        ++ledger_->cancelled;
        throw;
      }
    }
  }

 private:
  ledger* ledger_;
};

}  // namespace

BOOST_AUTO_TEST_CASE(run_returns_with_messages_in_flight_between_every_pair_of_reactors) {
  ledger l;
  troupe_test::log_capture log;  // dead letters are logged, not lost
  // A first run, so that threads a sanitizer starts with the first thread
  // are not counted against this one.
  troupe_test::run([]() -> troupe::task<void> { co_return; }, troupe::options{.reactors = 2});
  const std::size_t threads_before = thread_count();
  troupe_test::run(
      [&]() -> troupe::task<void> {
        std::vector<troupe::actor_ref<sink>> sinks;
        std::vector<troupe::actor_ref<storm>> storms;
        for (std::size_t i = 0; i < 3; ++i) {
          sinks.push_back(troupe::spawn_on<sink>(troupe::on_reactor(i), &l));
          storms.push_back(troupe::spawn_on<storm>(troupe::on_reactor(i), &l));
        }
        for (std::size_t i = 0; i < 3; ++i) storms[i].tell<&storm::blow>(sinks[(i + 1) % 3]);
        while (l.replied.load() < 3000) co_await troupe::sleep(1ms);
      },
      troupe::options{.reactors = 3});
  BOOST_TEST(thread_count() == threads_before);
  // Every message sent was handled or reported: no silent loss.
  const std::int64_t dead = static_cast<std::int64_t>(log.count({"dead letter"}));
  const std::int64_t rejected_asks = l.sent.load() - l.handled.load() - dead;
  BOOST_TEST(l.handled.load() + dead <= l.sent.load());
  // The asks that were not handled are exactly the ones whose caller was
  // cancelled (at most one outstanding per storm).
  BOOST_TEST(rejected_asks >= 0);
  BOOST_TEST(rejected_asks <= 3);
  BOOST_TEST(l.cancelled.load() == 3);
  BOOST_TEST(l.replied.load() >= 3000);
}

BOOST_AUTO_TEST_CASE(run_returns_with_tasks_sleeping_and_handlers_suspended_on_every_reactor) {
  static std::atomic<int> unwound{0};
  unwound = 0;
  class sleeper : public troupe::actor {
   public:
    troupe::task<void> nap() {
      try {
        co_await troupe::sleep(1h);
      } catch (const troupe::cancelled_error&) {
        ++unwound;
        throw;
      }
    }
  };
  troupe_test::run(
      []() -> troupe::task<void> {
        for (int i = 0; i < 20; ++i)
          troupe::spawn_on<sleeper>(troupe::round_robin).tell<&sleeper::nap>();
        co_await troupe::sleep(20ms);
      },
      troupe::options{.reactors = 2});
  BOOST_TEST(unwound.load() == 20);
}

BOOST_AUTO_TEST_CASE(actors_spawned_across_reactors_during_shutdown_are_stopped_and_freed) {
  static std::atomic<int> started{0};
  static std::atomic<int> stopped{0};
  started = 0;
  stopped = 0;
  class child : public troupe::actor {
   public:
    void on_start() override { ++started; }
    void on_stop() override { ++stopped; }
  };
  class parent : public troupe::actor {
   public:
    void on_stop() override {
      // Spawning while everything stops: the children must not leak.
      for (int i = 0; i < 4; ++i) kids_.push_back(troupe::spawn_on<child>(troupe::round_robin));
    }

   private:
    std::vector<troupe::actor_ref<child>> kids_;
  };
  troupe_test::run(
      []() -> troupe::task<void> {
        std::vector<troupe::actor_ref<parent>> parents;
        for (int i = 0; i < 4; ++i) parents.push_back(troupe::spawn_on<parent>(troupe::round_robin));
        co_await troupe::sleep(5ms);
      },
      troupe::options{.reactors = 2});
  BOOST_TEST(stopped.load() == started.load());
  BOOST_TEST(started.load() == 16);
}

BOOST_AUTO_TEST_CASE(run_can_be_called_many_times_in_a_row_with_a_pool) {
  for (int round = 0; round < 20; ++round) {
    auto v = troupe_test::run(
        []() -> troupe::task<int> {
          auto a = troupe::run_in_pool([] { return 1; });
          auto b = troupe::run_in_pool([] { return 2; });
          co_return co_await a + co_await b;
        },
        troupe::options{.reactors = 2});
    BOOST_TEST(v == 3);
  }
}
