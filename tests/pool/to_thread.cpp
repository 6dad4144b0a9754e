// Suite for troupe::to_thread: blocking calls on the blocking-thread pool.
#include <troupe/offload.hpp>

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "troupe_test.hpp"

using namespace std::chrono_literals;

BOOST_AUTO_TEST_CASE(to_thread_returns_the_result_of_the_blocking_call) {
  auto v = troupe_test::run([]() -> troupe::task<std::string> {
    co_return co_await troupe::to_thread([] {
      std::this_thread::sleep_for(5ms);
      return std::string("read 42 bytes");
    });
  });
  BOOST_TEST(v == "read 42 bytes");
}

BOOST_AUTO_TEST_CASE(to_thread_rethrows_the_calls_exception_with_its_type) {
  BOOST_CHECK_EXCEPTION(
      troupe_test::run([]() -> troupe::task<void> {
        co_await troupe::to_thread([] { throw std::system_error(ENOENT, std::generic_category(), "open"); });
      }),
      std::system_error, [](const std::system_error& e) { return e.code().value() == ENOENT; });
}

BOOST_AUTO_TEST_CASE(the_call_runs_off_every_reactor_thread) {
  auto on_reactor = troupe_test::run([]() -> troupe::task<bool> {
    co_return co_await troupe::to_thread([] {
      try {
        (void)troupe::this_reactor();
        return true;
      } catch (const std::logic_error&) {
        return false;
      }
    });
  });
  BOOST_TEST(!on_reactor);
}

BOOST_AUTO_TEST_CASE(a_ticking_task_keeps_ticking_during_a_200_ms_blocking_call) {
  auto ticks = troupe_test::run([]() -> troupe::task<int> {
    int count = 0;
    bool done = false;
    auto ticker = troupe::create_task([](int& n, bool& stop) -> troupe::task<void> {
      while (!stop) {
        co_await troupe::sleep(10ms);
        ++n;
      }
    }(count, done));
    co_await troupe::to_thread([] { std::this_thread::sleep_for(200ms); });
    const int during = count;
    done = true;
    co_await ticker;
    co_return during;
  });
  // 200 ms at one tick per 10 ms: about 20; a blocked reactor would give 0 or 1.
  BOOST_TEST(ticks >= 10, "ticks during the call: " << ticks);
}

BOOST_AUTO_TEST_CASE(no_more_calls_run_at_once_than_options_blocking_threads) {
  auto peak = troupe_test::run(
      []() -> troupe::task<int> {
        std::atomic<int> now{0};
        std::atomic<int> most{0};
        std::vector<troupe::future<void>> calls;
        for (int i = 0; i < 6; ++i)
          calls.push_back(troupe::to_thread([&] {
            const int n = ++now;
            int m = most.load();
            while (n > m && !most.compare_exchange_weak(m, n)) {
            }
            std::this_thread::sleep_for(20ms);
            --now;
          }));
        co_await troupe::gather(std::move(calls));
        co_return most.load();
      },
      troupe::options{.reactors = 1, .blocking_threads = 2});
  BOOST_TEST(peak == 2);
}

BOOST_AUTO_TEST_CASE(a_call_cancelled_while_queued_never_runs) {
  auto [ran, outcome] = troupe_test::run(
      []() -> troupe::task<std::pair<bool, std::string>> {
        std::atomic<bool> release{false};
        std::atomic<bool> second_ran{false};
        auto first = troupe::to_thread([&] {
          while (!release) std::this_thread::sleep_for(1ms);
        });
        auto second = troupe::to_thread([&] { second_ran = true; });  // queued: one thread
        second.cancel();
        release = true;
        co_await first;
        co_await troupe::to_thread([] {});  // the thread has moved past `second`
        std::string out;
        try {
          co_await second;
          out = "value";
        } catch (const troupe::cancelled_error&) {
          out = "cancelled";
        }
        co_return std::pair{second_ran.load(), out};
      },
      troupe::options{.reactors = 1, .blocking_threads = 1});
  BOOST_TEST(!ran);
  BOOST_TEST(outcome == "cancelled");
}

BOOST_AUTO_TEST_CASE(virtual_time_does_not_move_while_a_blocking_call_is_in_flight) {
  auto [woke_during_call, slept] = troupe_test::run(
      []() -> troupe::task<std::pair<bool, bool>> {
        bool woke = false;
        auto sleeper = troupe::create_task([](bool& flag) -> troupe::task<void> {
          co_await troupe::sleep(1h);
          flag = true;
        }(woke));
        // Every reactor is idle during the call; time must still wait for it.
        const bool during = co_await troupe::to_thread([&] {
          std::this_thread::sleep_for(30ms);
          return woke;
        });
        co_await sleeper;  // and then it moves on at once
        co_return std::pair{during, woke};
      },
      troupe::options{.reactors = 2, .clock = troupe::clock_kind::virtual_time});
  BOOST_TEST(!woke_during_call);
  BOOST_TEST(slept);
}

BOOST_AUTO_TEST_CASE(run_waits_for_a_blocking_call_still_running_when_main_returns) {
  static std::atomic<bool> started{false};
  static std::atomic<bool> finished{false};
  started = false;
  finished = false;
  troupe_test::run([]() -> troupe::task<void> {
    (void)troupe::to_thread([] {
      started = true;
      std::this_thread::sleep_for(50ms);
      finished = true;
    });
    // Until the call runs (a loaded machine may take a while to start the
    // blocking thread); a call still queued when run ends never runs.
    while (!started) co_await troupe::sleep(1ms);
  });
  BOOST_TEST(finished.load());
}

BOOST_AUTO_TEST_CASE(to_thread_off_a_reactor_thread_throws_logic_error) {
  BOOST_CHECK_THROW((void)troupe::to_thread([] { return 1; }), std::logic_error);
}
