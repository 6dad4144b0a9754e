// Suite for troupe::spawn_on and its placements.
#include <troupe/spawn.hpp>

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <cstddef>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "troupe_test.hpp"

namespace {

troupe::options two_reactors() { return troupe::options{.reactors = 2}; }

class where_am_i : public troupe::actor {
 public:
  void on_start() override { started_on_ = troupe::this_reactor().index(); }
  std::size_t started_on() const { return started_on_; }
  std::size_t handled_on() const { return troupe::this_reactor().index(); }
  std::size_t home_index() const { return home().index(); }
  void note(int i) { seen_.push_back(i); }
  std::vector<int> seen() const { return seen_; }

 private:
  std::size_t started_on_ = 99;
  std::vector<int> seen_;
};

class throws_in_constructor : public troupe::actor {
 public:
  throws_in_constructor() { throw std::runtime_error("no config"); }
};

}  // namespace

BOOST_AUTO_TEST_CASE(spawn_on_a_reactor_runs_on_start_and_every_handler_there) {
  auto [started, handled, home, local] = troupe_test::run(
      []() -> troupe::task<std::tuple<std::size_t, std::size_t, std::size_t, std::size_t>> {
        auto remote = troupe::spawn_on<where_am_i>(troupe::on_reactor(1));
        auto here = troupe::spawn<where_am_i>();
        const std::size_t s = co_await remote.ask<&where_am_i::started_on>();
        const std::size_t h = co_await remote.ask<&where_am_i::handled_on>();
        const std::size_t m = co_await remote.ask<&where_am_i::home_index>();
        const std::size_t l = co_await here.ask<&where_am_i::handled_on>();
        co_return std::tuple{s, h, m, l};
      },
      two_reactors());
  BOOST_TEST(started == 1u);
  BOOST_TEST(handled == 1u);
  BOOST_TEST(home == 1u);
  BOOST_TEST(local == 0u);
}

BOOST_AUTO_TEST_CASE(messages_sent_right_after_spawn_on_arrive_in_order_after_on_start) {
  auto seen = troupe_test::run(
      []() -> troupe::task<std::vector<int>> {
        auto a = troupe::spawn_on<where_am_i>(troupe::on_reactor(1));
        for (int i = 0; i < 1000; ++i) a.tell<&where_am_i::note>(i);
        BOOST_TEST(co_await a.ask<&where_am_i::started_on>() == 1u);
        co_return co_await a.ask<&where_am_i::seen>();
      },
      two_reactors());
  BOOST_REQUIRE(seen.size() == 1000u);
  for (int i = 0; i < 1000; ++i) BOOST_TEST(seen[static_cast<std::size_t>(i)] == i);
}

BOOST_AUTO_TEST_CASE(round_robin_places_actors_on_each_reactor_in_turn) {
  auto counts = troupe_test::run(
      []() -> troupe::task<std::map<std::size_t, int>> {
        std::vector<troupe::actor_ref<where_am_i>> actors;
        for (int i = 0; i < 6; ++i) actors.push_back(troupe::spawn_on<where_am_i>(troupe::round_robin));
        std::map<std::size_t, int> per_reactor;
        for (auto& a : actors) ++per_reactor[co_await a.ask<&where_am_i::handled_on>()];
        co_return per_reactor;
      },
      troupe::options{.reactors = 3});
  BOOST_TEST(counts.size() == 3u);
  for (auto [reactor, n] : counts) BOOST_TEST(n == 2, "reactor " << reactor << " has " << n);
}

BOOST_AUTO_TEST_CASE(least_loaded_places_an_actor_on_the_reactor_with_fewest_actors) {
  auto placed = troupe_test::run(
      []() -> troupe::task<std::size_t> {
        std::vector<troupe::actor_ref<where_am_i>> crowd;
        for (int i = 0; i < 3; ++i) crowd.push_back(troupe::spawn<where_am_i>());  // reactor 0
        auto one = troupe::spawn_on<where_am_i>(troupe::on_reactor(1));
        (void)co_await one.ask<&where_am_i::handled_on>();
        auto next = troupe::spawn_on<where_am_i>(troupe::least_loaded);
        co_return co_await next.ask<&where_am_i::handled_on>();
      },
      two_reactors());
  BOOST_TEST(placed == 1u);
}

BOOST_AUTO_TEST_CASE(spawn_on_a_reactor_that_does_not_exist_throws_out_of_range_naming_it) {
  std::string what = troupe_test::run(
      []() -> troupe::task<std::string> {
        try {
          (void)troupe::spawn_on<where_am_i>(troupe::on_reactor(7));
        } catch (const std::out_of_range& e) {
          co_return e.what();
        }
        co_return "no exception";
      },
      two_reactors());
  BOOST_TEST(what.find("no reactor 7") != std::string::npos, what);
  BOOST_TEST(what.find("has 2") != std::string::npos, what);
}

BOOST_AUTO_TEST_CASE(spawn_on_rethrows_the_constructors_exception_to_the_caller) {
  std::string what = troupe_test::run(
      []() -> troupe::task<std::string> {
        try {
          (void)troupe::spawn_on<throws_in_constructor>(troupe::on_reactor(1));
        } catch (const std::runtime_error& e) {
          co_return e.what();
        }
        co_return "no exception";
      },
      two_reactors());
  BOOST_TEST(what == "no config");
}

BOOST_AUTO_TEST_CASE(spawn_on_off_a_reactor_thread_throws_logic_error) {
  BOOST_CHECK_THROW((void)troupe::spawn_on<where_am_i>(troupe::round_robin), std::logic_error);
}

BOOST_AUTO_TEST_CASE(an_actor_spawned_on_another_reactor_and_dropped_at_once_is_stopped_and_freed) {
  static std::atomic<int> stopped{0};
  class short_lived : public troupe::actor {
   public:
    void on_stop() override { ++stopped; }
  };
  stopped = 0;
  troupe_test::run(
      []() -> troupe::task<void> {
        for (int i = 0; i < 100; ++i) (void)troupe::spawn_on<short_lived>(troupe::on_reactor(1));
        while (stopped.load() < 100) co_await troupe::sleep(std::chrono::milliseconds(1));
      },
      two_reactors());
  BOOST_TEST(stopped.load() == 100);
}
