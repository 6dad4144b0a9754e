// The scenarios of the asyncio articles troupe was built from (shared/seeds),
// written with troupe: tasks, futures, actors, sleeps, cancellation and the
// diagnostics together.
#include <troupe/troupe.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "troupe_test.hpp"

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

namespace {

// ---- "make breakfast": two coroutines at the same time ----------------

troupe::task<std::string> brew_tea(std::vector<std::string>* log) {
  log->push_back("boiling water");
  co_await troupe::sleep(60ms);
  log->push_back("tea is ready");
  co_return "chai";
}

troupe::task<std::string> toast_bread(std::vector<std::string>* log) {
  log->push_back("toasting bread");
  co_await troupe::sleep(40ms);
  log->push_back("toast is ready");
  co_return "toast";
}

// ---- the weather dashboard: ten services asked concurrently ----------

class weather_service : public troupe::actor {
 public:
  explicit weather_service(int base) : base_(base) {}
  troupe::task<int> temperature(std::string city) {
    co_await troupe::sleep(50ms);  // the network
    ++served_;
    co_return base_ + static_cast<int>(city.size());
  }
  int served() const { return served_; }

 private:
  int base_;
  int served_ = 0;
};

// ---- cancellation with cleanup ---------------------------------------

troupe::task<std::string> long_download(std::vector<std::string>* log) {
  try {
    log->push_back("download started");
    co_await troupe::sleep(10s);
    co_return "file";
  } catch (const troupe::cancelled_error&) {
    log->push_back("download cancelled, partial file removed");
    throw;
  }
}

// ---- managed fire-and-forget ------------------------------------------

troupe::task<int> job(int n) {
  co_await troupe::sleep(std::chrono::milliseconds(n));
  if (n == 3) throw std::runtime_error("job 3 failed");
  co_return n;
}

// ---- the blocking pitfall ---------------------------------------------

troupe::task<void> blocking_call() {
  co_await troupe::yield();
  const auto until = steady::now() + 120ms;  // like time.sleep(0.12): holds the thread
  while (steady::now() < until) {
  }
}

troupe::task<steady::duration> timed_sleep(std::chrono::milliseconds d) {
  const auto start = steady::now();
  co_await troupe::sleep(d);
  co_return steady::now() - start;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(asyncio_scenarios)

BOOST_AUTO_TEST_CASE(breakfast_brews_tea_and_toasts_bread_at_the_same_time) {
  std::vector<std::string> log;
  const auto start = steady::now();
  const std::string meal = troupe_test::run([&]() -> troupe::task<std::string> {
    troupe::future<std::string> tea = troupe::create_task(brew_tea(&log));
    troupe::future<std::string> bread = troupe::create_task(toast_bread(&log));
    std::string t = co_await tea;
    std::string b = co_await bread;
    co_return t + " + " + b;
  });
  const auto elapsed = steady::now() - start;
  BOOST_TEST(meal == "chai + toast");
  // Both started before either finished, and the shorter one finished first.
  const std::vector<std::string> expected{"boiling water", "toasting bread", "toast is ready",
                                          "tea is ready"};
  BOOST_TEST(log == expected, boost::test_tools::per_element());
  BOOST_TEST(elapsed >= 60ms);
  BOOST_TEST(elapsed < 1s);
}

BOOST_AUTO_TEST_CASE(a_dashboard_asks_ten_services_concurrently_and_gets_results_in_order) {
  const std::vector<std::string> cities{"Oslo",  "Lima",  "Cairo", "Delhi", "Paris",
                                        "Tokyo", "Quito", "Accra", "Hanoi", "Perth"};
  const auto start = steady::now();
  const std::vector<int> readings = troupe_test::run(
      [&]() -> troupe::task<std::vector<int>> {
        std::vector<troupe::actor_ref<weather_service>> services;
        for (int i = 0; i < 10; ++i) services.push_back(troupe::spawn<weather_service>(i * 100));
        std::vector<troupe::future<int>> pending;
        for (std::size_t i = 0; i < services.size(); ++i)
          pending.push_back(services[i].ask<&weather_service::temperature>(cities[i]));
        std::vector<int> out;
        for (auto& f : pending) out.push_back(co_await f);
        for (auto& s : services) BOOST_TEST(co_await s.ask<&weather_service::served>() == 1);
        co_return out;
      },
      troupe::options{.reactors = 2});
  const auto elapsed = steady::now() - start;
  BOOST_TEST_REQUIRE(readings.size() == cities.size());
  for (std::size_t i = 0; i < cities.size(); ++i)
    BOOST_TEST(readings[i] == static_cast<int>(i * 100 + cities[i].size()));
  // Ten 50 ms requests one after another would take 500 ms.
  BOOST_TEST(elapsed < 400ms);
}

BOOST_AUTO_TEST_CASE(a_cancelled_download_cleans_up_and_its_awaiter_sees_cancelled_error) {
  std::vector<std::string> log;
  const auto start = steady::now();
  troupe_test::run([&]() -> troupe::task<void> {
    troupe::future<std::string> download = troupe::create_task(long_download(&log));
    co_await troupe::sleep(20ms);
    download.cancel();
    try {
      co_await download;
      BOOST_FAIL("expected cancelled_error");
    } catch (const troupe::cancelled_error&) {
      log.push_back("main saw the cancellation");
    }
    co_await troupe::yield();
  });
  const std::vector<std::string> expected{"download started", "main saw the cancellation",
                                          "download cancelled, partial file removed"};
  BOOST_TEST(log == expected, boost::test_tools::per_element());
  BOOST_TEST((steady::now() - start < 2s));
}

BOOST_AUTO_TEST_CASE(fire_and_forget_jobs_kept_in_a_set_report_their_failures_through_callbacks) {
  troupe_test::log_capture log;
  std::vector<std::string> outcomes;
  troupe_test::run([&]() -> troupe::task<void> {
    std::set<int> running;
    for (int n = 1; n <= 5; ++n) {
      running.insert(n);
      troupe::create_task(job(n)).add_done_callback([&, n](troupe::future<int>& f) {
        if (std::exception_ptr e = f.exception()) {
          try {
            std::rethrow_exception(e);
          } catch (const std::exception& x) {
            outcomes.push_back(std::to_string(n) + " failed: " + x.what());
          }
        } else {
          outcomes.push_back(std::to_string(n) + " = " + std::to_string(f.result()));
        }
        running.erase(n);
      });
    }
    for (int i = 0; i < 500 && !running.empty(); ++i) co_await troupe::sleep(1ms);
    BOOST_TEST(running.empty());
  });
  const std::vector<std::string> expected{"1 = 1", "2 = 2", "3 failed: job 3 failed", "4 = 4",
                                          "5 = 5"};
  BOOST_TEST(outcomes == expected, boost::test_tools::per_element());
  BOOST_TEST(log.count({"never retrieved"}) == 0u, log.dump());  // every failure was looked at
}

BOOST_AUTO_TEST_CASE(a_forgotten_failing_task_is_reported_not_silently_lost) {
  troupe_test::log_capture log;
  troupe_test::run([&]() -> troupe::task<void> {
    (void)troupe::create_task(job(3));
    co_await troupe::sleep(20ms);
  });
  BOOST_TEST(log.count({"exception never retrieved", "job", "job 3 failed"}) == 1u, log.dump());
}

BOOST_AUTO_TEST_CASE(blocking_code_in_a_task_stalls_the_reactor_and_is_reported) {
  troupe_test::log_capture log;
  const steady::duration slept = troupe_test::run(
      [&]() -> troupe::task<steady::duration> {
        troupe::future<steady::duration> sleeper = troupe::create_task(timed_sleep(10ms));
        troupe::future<void> blocker = troupe::create_task(blocking_call());
        co_await blocker;
        co_return co_await sleeper;
      },
      troupe::options{.reactors = 1, .slow_handler = 50ms});
  // The 10 ms sleep could not wake while the thread was held.
  BOOST_TEST(slept >= 100ms);
  BOOST_TEST(log.count({"slow task step", "blocking_call"}) == 1u, log.dump());
}

BOOST_AUTO_TEST_CASE(calling_run_from_inside_run_is_refused) {
  troupe_test::run([]() -> troupe::task<void> {
    BOOST_CHECK_THROW(troupe::run(job(1)), std::logic_error);
    co_return;
  });
}

BOOST_AUTO_TEST_SUITE_END()
