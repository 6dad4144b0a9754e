// Suite for troupe::run_in_pool: CPU-bound work on the pool's reactors.
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

namespace {

// Waits (spinning, as CPU work would) until `n` jobs have arrived, or gives
// up after `limit`; returns how many it saw.
int meet(std::atomic<int>& arrived, int n, std::chrono::milliseconds limit) {
  ++arrived;
  const auto give_up = std::chrono::steady_clock::now() + limit;
  while (arrived.load() < n && std::chrono::steady_clock::now() < give_up) {
  }
  return arrived.load();
}

}  // namespace

BOOST_AUTO_TEST_CASE(run_in_pool_returns_the_result_of_the_function) {
  auto v = troupe_test::run([]() -> troupe::task<long> {
    co_return co_await troupe::run_in_pool([] {
      long sum = 0;
      for (long i = 1; i <= 1000; ++i) sum += i;
      return sum;
    });
  });
  BOOST_TEST(v == 500500);
}

BOOST_AUTO_TEST_CASE(run_in_pool_rethrows_the_functions_exception_with_its_type) {
  BOOST_CHECK_EXCEPTION(troupe_test::run([]() -> troupe::task<void> {
                          co_await troupe::run_in_pool([] { throw std::out_of_range("index 9"); });
                        }),
                        std::out_of_range,
                        [](const std::out_of_range& e) { return std::string(e.what()) == "index 9"; });
}

BOOST_AUTO_TEST_CASE(with_two_reactors_two_jobs_run_at_the_same_time) {
  auto seen = troupe_test::run(
      []() -> troupe::task<std::vector<int>> {
        std::atomic<int> arrived{0};
        auto a = troupe::run_in_pool([&] { return meet(arrived, 2, 5s); });
        auto b = troupe::run_in_pool([&] { return meet(arrived, 2, 5s); });
        std::vector<int> seen_by;
        seen_by.push_back(co_await a);
        seen_by.push_back(co_await b);
        co_return seen_by;
      },
      troupe::options{.reactors = 2});
  // Each job saw the other one start while it was still running.
  BOOST_TEST(seen == (std::vector<int>{2, 2}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(the_caller_resumes_on_its_own_reactor_after_a_job_ran_elsewhere) {
  auto [ran_on, resumed_on] = troupe_test::run(
      []() -> troupe::task<std::pair<std::size_t, std::size_t>> {
        // Two jobs: at least one lands on reactor 1.
        auto a = troupe::run_in_pool([] { return troupe::this_reactor().index(); });
        auto b = troupe::run_in_pool([] { return troupe::this_reactor().index(); });
        const std::size_t ra = co_await a;
        const std::size_t rb = co_await b;
        co_return std::pair{ra + rb, troupe::this_reactor().index()};
      },
      troupe::options{.reactors = 2});
  BOOST_TEST(ran_on == 1u);  // one on each reactor
  BOOST_TEST(resumed_on == 0u);
}

BOOST_AUTO_TEST_CASE(a_job_cancelled_before_it_starts_never_runs) {
  auto [ran, cancelled] = troupe_test::run([]() -> troupe::task<std::pair<bool, bool>> {
    bool ran_flag = false;
    auto job = troupe::run_in_pool([&] { ran_flag = true; });  // queued on this reactor
    BOOST_TEST(job.cancel());
    co_await troupe::sleep(5ms);
    co_return std::pair{ran_flag, job.cancelled()};
  });
  BOOST_TEST(!ran);
  BOOST_TEST(cancelled);
}

BOOST_AUTO_TEST_CASE(a_long_job_is_not_reported_as_a_slow_handler_but_inline_work_is) {
  troupe_test::log_capture log;
  troupe_test::run(
      []() -> troupe::task<void> {
        co_await troupe::run_in_pool([] { std::this_thread::sleep_for(60ms); });
        std::this_thread::sleep_for(60ms);  // inline: holds the reactor
        co_await troupe::yield();
      },
      troupe::options{.reactors = 1, .slow_handler = 20ms});
  BOOST_TEST(log.count({"slow"}) == 1u, log.dump());
}

BOOST_AUTO_TEST_CASE(run_in_pool_off_a_reactor_thread_throws_logic_error) {
  BOOST_CHECK_THROW((void)troupe::run_in_pool([] { return 1; }), std::logic_error);
}
