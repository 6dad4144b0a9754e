// Suite for options{.clock = clock_kind::virtual_time}: time that jumps to
// the next timer when every reactor is idle.
#include <troupe/troupe.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <vector>

#include "troupe_test.hpp"

using namespace std::chrono_literals;

namespace {

troupe::options virtual_options(std::size_t reactors = 1) {
  return troupe::options{.reactors = reactors, .clock = troupe::clock_kind::virtual_time};
}

class slow : public troupe::actor {
 public:
  troupe::task<int> work(std::chrono::milliseconds d) {
    try {
      co_await troupe::sleep(d);
    } catch (const troupe::cancelled_error&) {
      ++cancelled_;
      throw;
    }
    co_return 1;
  }
  int cancelled() const { return cancelled_; }

 private:
  int cancelled_ = 0;
};

std::chrono::nanoseconds since(troupe::detail::time_point t0) { return troupe::this_reactor().now() - t0; }

}  // namespace

BOOST_AUTO_TEST_SUITE(virtual_clock)

BOOST_AUTO_TEST_CASE(a_ten_second_timeout_takes_exactly_ten_virtual_seconds_and_no_real_time) {
  const auto wall = std::chrono::steady_clock::now();
  troupe_test::run(
      []() -> troupe::task<void> {
        const auto t0 = troupe::this_reactor().now();
        auto s = troupe::spawn<slow>();
        BOOST_CHECK_THROW(co_await troupe::wait_for(s.ask<&slow::work>(60s), 10s),
                          troupe::timeout_error);
        BOOST_TEST((since(t0) == 10s));
        BOOST_TEST(co_await s.ask<&slow::cancelled>() == 1);
      },
      virtual_options());
  BOOST_TEST((std::chrono::steady_clock::now() - wall < 2s));
}

BOOST_AUTO_TEST_CASE(sleepers_wake_in_deadline_order_deterministically) {
  auto order = troupe_test::run(
      []() -> troupe::task<std::vector<int>> {
        std::vector<int> woke;
        std::vector<troupe::future<void>> fs;
        for (int ms : {300, 100, 200, 100, 50})
          fs.push_back(troupe::create_task([](int delay, std::vector<int>* out) -> troupe::task<void> {
            co_await troupe::sleep(std::chrono::milliseconds(delay));
            out->push_back(delay);
          }(ms, &woke)));
        co_await troupe::gather(std::move(fs));
        co_return woke;
      },
      virtual_options());
  const std::vector<int> expected{50, 100, 100, 200, 300};
  BOOST_TEST(order == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(virtual_time_stands_still_while_work_is_ready) {
  troupe_test::run(
      []() -> troupe::task<void> {
        const auto t0 = troupe::this_reactor().now();
        for (int i = 0; i < 10000; ++i) co_await troupe::yield();
        BOOST_TEST(since(t0).count() == 0);
        co_await troupe::sleep(1h);
        BOOST_TEST((since(t0) == 1h));
      },
      virtual_options());
}

BOOST_AUTO_TEST_CASE(a_hundred_concurrent_sleeps_of_100ms_take_100ms) {
  troupe_test::run(
      []() -> troupe::task<void> {
        const auto t0 = troupe::this_reactor().now();
        std::vector<troupe::future<void>> fs;
        for (int i = 0; i < 100; ++i)
          fs.push_back(troupe::create_task([]() -> troupe::task<void> { co_await troupe::sleep(100ms); }()));
        co_await troupe::gather(std::move(fs));
        BOOST_TEST((since(t0) == 100ms));
      },
      virtual_options());
}

BOOST_AUTO_TEST_CASE(virtual_time_works_with_a_pool_of_reactors) {
  troupe_test::run(
      []() -> troupe::task<void> {
        const auto t0 = troupe::this_reactor().now();
        co_await troupe::sleep(5s);
        BOOST_TEST((since(t0) == 5s));
      },
      virtual_options(2));
}

BOOST_AUTO_TEST_SUITE_END()
