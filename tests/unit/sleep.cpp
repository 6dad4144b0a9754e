// Suite for <troupe/sleep.hpp>.
#include <troupe/sleep.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <string>
#include <vector>

#include "troupe_test.hpp"

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

namespace {

troupe::task<void> sleep_then_count(std::chrono::milliseconds d, int* done) {
  co_await troupe::sleep(d);
  ++*done;
}

troupe::task<void> sleep_then_record(std::chrono::milliseconds d, std::vector<int>* order) {
  co_await troupe::sleep(d);
  order->push_back(static_cast<int>(d.count()));
}

troupe::task<void> step_with_yield(std::vector<std::string>* log, std::string name) {
  for (int i = 0; i < 3; ++i) {
    log->push_back(name + std::to_string(i));
    co_await troupe::yield();
  }
}

troupe::task<void> step_with_sleep_zero(std::vector<std::string>* log, std::string name) {
  for (int i = 0; i < 3; ++i) {
    log->push_back(name + std::to_string(i));
    co_await troupe::sleep(0ms);
  }
}

troupe::task<void> count_forever(long* counter) {
  for (;;) {
    ++*counter;
    co_await troupe::yield();
  }
}

struct wake_report {
  bool cancelled = false;
  steady::duration asleep{};
};

troupe::task<void> long_sleep(wake_report* report) {
  const auto start = steady::now();
  try {
    co_await troupe::sleep(10s);
  } catch (const troupe::cancelled_error&) {
    report->cancelled = true;
    report->asleep = steady::now() - start;
    throw;
  }
}

troupe::task<void> spin_on_yield(bool* cancelled) {
  try {
    for (;;) co_await troupe::yield();
  } catch (const troupe::cancelled_error&) {
    *cancelled = true;
    throw;
  }
}

}  // namespace

// The suite lives in a namespace of its own: at global scope its name would
// clash with POSIX ::sleep.
namespace suites {
BOOST_AUTO_TEST_SUITE(sleep)

BOOST_AUTO_TEST_CASE(a_sleep_lasts_at_least_its_duration) {
  const auto elapsed = troupe_test::run([]() -> troupe::task<steady::duration> {
    const auto start = steady::now();
    co_await troupe::sleep(20ms);
    co_return steady::now() - start;
  });
  BOOST_TEST(elapsed >= 20ms);
  BOOST_TEST(elapsed < 1s);
}

BOOST_AUTO_TEST_CASE(a_hundred_tasks_sleeping_100_ms_all_finish_in_about_100_ms) {
  // The asyncio seed scenario: sleeps overlap, they do not add up (100 x
  // 100 ms = 10 s if the reactor were blocked). A behaviour check, not a
  // benchmark: the bound is generous.
  int done = 0;
  const auto start = steady::now();
  troupe_test::run([&]() -> troupe::task<void> {
    std::vector<troupe::future<void>> all;
    for (int i = 0; i < 100; ++i)
      all.push_back(troupe::create_task(sleep_then_count(100ms, &done)));
    for (auto& f : all) co_await f;
  });
  const auto elapsed = steady::now() - start;
  BOOST_TEST(done == 100);
  BOOST_TEST(elapsed >= 100ms);
  const double ms = std::chrono::duration<double, std::milli>(elapsed).count();
  BOOST_TEST(elapsed < 1s, "took " << ms << " ms");
}

BOOST_AUTO_TEST_CASE(a_sleeping_task_does_not_block_other_tasks) {
  long counter = 0;
  troupe_test::run([&]() -> troupe::task<void> {
    troupe::future<void> busy = troupe::create_task(count_forever(&counter));
    co_await troupe::sleep(20ms);
    BOOST_TEST(counter > 100);  // the other task kept running the whole time
    busy.cancel();
  });
}

BOOST_AUTO_TEST_CASE(sleepers_wake_in_deadline_order) {
  auto order = troupe_test::run([]() -> troupe::task<std::vector<int>> {
    std::vector<int> woke;
    std::vector<troupe::future<void>> all;
    for (int ms : {30, 10, 20, 1})
      all.push_back(troupe::create_task(sleep_then_record(std::chrono::milliseconds(ms), &woke)));
    for (auto& f : all) co_await f;
    co_return woke;
  });
  const std::vector<int> expected{1, 10, 20, 30};
  BOOST_TEST(order == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(yield_lets_every_other_ready_task_run_once) {
  auto log = troupe_test::run([]() -> troupe::task<std::vector<std::string>> {
    std::vector<std::string> steps;
    troupe::future<void> a = troupe::create_task(step_with_yield(&steps, "a"));
    troupe::future<void> b = troupe::create_task(step_with_yield(&steps, "b"));
    co_await a;
    co_await b;
    co_return steps;
  });
  const std::vector<std::string> expected{"a0", "b0", "a1", "b1", "a2", "b2"};
  BOOST_TEST(log == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(sleep_zero_yields_like_yield) {
  auto log = troupe_test::run([]() -> troupe::task<std::vector<std::string>> {
    std::vector<std::string> steps;
    troupe::future<void> a = troupe::create_task(step_with_sleep_zero(&steps, "a"));
    troupe::future<void> b = troupe::create_task(step_with_yield(&steps, "b"));
    steps.push_back("main");
    co_await troupe::sleep(0ms);  // both tasks get their first step before main continues
    steps.push_back("main again");
    co_await a;
    co_await b;
    co_return steps;
  });
  BOOST_TEST_REQUIRE(log.size() == 8u);
  BOOST_TEST(log[0] == "main");
  BOOST_TEST(log[1] == "a0");
  BOOST_TEST(log[2] == "b0");
  BOOST_TEST(log[3] == "main again");
}

BOOST_AUTO_TEST_CASE(a_negative_sleep_yields_and_returns) {
  troupe_test::run([]() -> troupe::task<void> {
    bool ran = false;
    troupe::future<void> other = troupe::create_task([](bool* r) -> troupe::task<void> {
      *r = true;
      co_return;
    }(&ran));
    co_await troupe::sleep(-5ms);
    BOOST_TEST(ran);
    co_await other;
  });
}

BOOST_AUTO_TEST_CASE(a_cancelled_sleep_raises_cancelled_error_promptly) {
  wake_report report;
  const auto start = steady::now();
  troupe_test::run([&]() -> troupe::task<void> {
    troupe::future<void> f = troupe::create_task(long_sleep(&report));
    co_await troupe::sleep(5ms);
    f.cancel();
    for (int i = 0; i < 3 && !report.cancelled; ++i) co_await troupe::yield();
  });
  BOOST_TEST(report.cancelled);
  BOOST_TEST(report.asleep < 1s);
  BOOST_TEST((steady::now() - start < 2s));  // nobody waited for the 10 s
}

BOOST_AUTO_TEST_CASE(a_task_looping_on_yield_is_cancellable) {
  bool cancelled = false;
  troupe_test::run([&]() -> troupe::task<void> {
    troupe::future<void> f = troupe::create_task(spin_on_yield(&cancelled));
    co_await troupe::yield();
    co_await troupe::yield();
    f.cancel();
    for (int i = 0; i < 3 && !cancelled; ++i) co_await troupe::yield();
    BOOST_TEST(cancelled);
  });
}

BOOST_AUTO_TEST_CASE(a_cancelled_sleep_leaves_other_timers_running) {
  troupe_test::run([]() -> troupe::task<void> {
    int done = 0;
    wake_report report;
    troupe::future<void> cancelled = troupe::create_task(long_sleep(&report));
    troupe::future<void> a = troupe::create_task(sleep_then_count(5ms, &done));
    troupe::future<void> b = troupe::create_task(sleep_then_count(10ms, &done));
    co_await troupe::yield();
    cancelled.cancel();
    co_await a;
    co_await b;
    BOOST_TEST(done == 2);
    BOOST_TEST(report.cancelled);
  });
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace suites
