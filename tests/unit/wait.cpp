// Suite for <troupe/wait.hpp>.
#include <troupe/wait.hpp>

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
    co_await troupe::sleep(std::chrono::milliseconds(ms < 0 ? -ms : ms));
    if (ms < 0) throw std::invalid_argument("negative");
    co_return ms;
  }
};

std::vector<troupe::future<int>> start(std::initializer_list<int> latencies) {
  std::vector<troupe::future<int>> fs;
  for (int ms : latencies) fs.push_back(troupe::spawn<delayer>().ask<&delayer::echo_after>(ms));
  return fs;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(wait)

BOOST_AUTO_TEST_CASE(first_completed_returns_as_soon_as_one_is_done) {
  troupe_test::run([]() -> troupe::task<void> {
    auto fs = start({30, 2, 30});
    auto r = co_await troupe::wait(fs, troupe::return_when::first_completed);
    BOOST_TEST(r.done.size() == 1u);
    BOOST_TEST(r.pending.size() == 2u);
    BOOST_TEST(co_await r.done[0] == 2);
    for (auto& p : r.pending) BOOST_TEST(co_await p == 30);  // still running, not cancelled
  });
}

BOOST_AUTO_TEST_CASE(first_exception_returns_at_the_first_failure) {
  troupe_test::run([]() -> troupe::task<void> {
    auto fs = start({40, -3, 40});
    auto r = co_await troupe::wait(std::move(fs), troupe::return_when::first_exception);
    BOOST_TEST(r.done.size() == 1u);
    BOOST_TEST(r.pending.size() == 2u);
    BOOST_CHECK_THROW(co_await r.done[0], std::invalid_argument);
    for (auto& p : r.pending) p.cancel();
  });
}

BOOST_AUTO_TEST_CASE(first_exception_without_a_failure_waits_for_all) {
  troupe_test::run([]() -> troupe::task<void> {
    auto fs = start({3, 1, 2});  // (GCC 12: no initializer_list inside a co_await expression)
    auto r = co_await troupe::wait(std::move(fs), troupe::return_when::first_exception);
    BOOST_TEST(r.done.size() == 3u);
    BOOST_TEST(r.pending.empty());
    BOOST_TEST(co_await r.done[0] == 1);  // completion order
  });
}

BOOST_AUTO_TEST_CASE(all_completed_is_the_default_and_orders_done_by_completion) {
  troupe_test::run([]() -> troupe::task<void> {
    auto fs = start({9, 3, 6});
    auto r = co_await troupe::wait(std::move(fs));
    BOOST_TEST(r.pending.empty());
    std::vector<int> order;
    for (auto& d : r.done) order.push_back(co_await d);
    const std::vector<int> expected{3, 6, 9};
    BOOST_TEST(order == expected, boost::test_tools::per_element());
  });
}

BOOST_AUTO_TEST_CASE(a_timeout_returns_what_is_done_and_leaves_the_rest_running) {
  troupe_test::run([]() -> troupe::task<void> {
    const auto t0 = troupe::this_reactor().now();
    auto fs = start({1, 200});
    auto r = co_await troupe::wait(std::move(fs), troupe::return_when::all_completed, 20ms);
    const auto took = troupe::this_reactor().now() - t0;
    BOOST_TEST(r.done.size() == 1u);
    BOOST_TEST(r.pending.size() == 1u);
    BOOST_TEST((took == 20ms));  // virtual time: exactly the timeout
    BOOST_TEST(!r.pending[0].done());
    BOOST_TEST(!r.pending[0].cancelled());
    r.pending[0].cancel();
  }, troupe::options{.reactors = 1, .clock = troupe::clock_kind::virtual_time});
}

BOOST_AUTO_TEST_SUITE_END()
