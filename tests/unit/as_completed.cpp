// Suite for <troupe/as_completed.hpp>.
#include <troupe/as_completed.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <stdexcept>
#include <vector>

#include "troupe_test.hpp"

using namespace std::chrono_literals;

namespace {
class delayer : public troupe::actor {
 public:
  troupe::task<int> echo_after(int ms) {
    co_await troupe::sleep(std::chrono::milliseconds(ms));
    if (ms < 0) throw std::invalid_argument("negative");
    co_return ms;
  }
};
}  // namespace

BOOST_AUTO_TEST_SUITE(as_completed)

BOOST_AUTO_TEST_CASE(results_arrive_in_completion_order) {
  auto order = troupe_test::run([]() -> troupe::task<std::vector<int>> {
    std::vector<troupe::future<int>> fs;
    for (int ms : {40, 10, 30, 1, 20})
      fs.push_back(troupe::spawn<delayer>().ask<&delayer::echo_after>(ms));
    std::vector<int> seen;
    for (auto next : troupe::as_completed(std::move(fs))) seen.push_back(co_await next);
    co_return seen;
  });
  const std::vector<int> expected{1, 10, 20, 30, 40};
  BOOST_TEST(order == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_failure_is_thrown_at_its_turn_and_the_rest_still_arrive) {
  auto seen = troupe_test::run([]() -> troupe::task<std::vector<int>> {
    std::vector<troupe::future<int>> fs;
    for (int ms : {20, -1, 5}) fs.push_back(troupe::spawn<delayer>().ask<&delayer::echo_after>(ms));
    std::vector<int> got;
    for (auto next : troupe::as_completed(fs)) {
      try {
        got.push_back(co_await next);
      } catch (const std::invalid_argument&) {
        got.push_back(-1);
      }
    }
    BOOST_TEST(fs.empty());  // as_completed took the futures
    co_return got;
  });
  const std::vector<int> expected{-1, 5, 20};
  BOOST_TEST(seen == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(leaving_the_loop_early_leaves_the_rest_running_safely) {
  troupe_test::run([]() -> troupe::task<void> {
    std::vector<troupe::future<int>> fs;
    for (int ms : {1, 30, 30}) fs.push_back(troupe::spawn<delayer>().ask<&delayer::echo_after>(ms));
    for (auto next : troupe::as_completed(std::move(fs))) {
      BOOST_TEST(co_await next == 1);
      break;
    }
    co_await troupe::sleep(50ms);  // the others complete into a released watcher
  });
}

BOOST_AUTO_TEST_SUITE_END()
