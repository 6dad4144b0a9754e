// Suite for <troupe/gather.hpp> (gather, gather_settled) and <troupe/outcome.hpp>.
#include <troupe/gather.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "troupe_test.hpp"

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

namespace {

// A "service" with a latency, which may fail: the seeds' dashboard backends.
class service : public troupe::actor {
 public:
  troupe::task<std::string> fetch(std::string name, int latency_ms, bool fail) {
    co_await troupe::sleep(std::chrono::milliseconds(latency_ms));
    if (fail) throw std::runtime_error(name + " is down");
    ++served_;
    co_return name + " ok";
  }
  troupe::task<int> slow_number(int n) {
    try {
      co_await troupe::sleep(2s);
    } catch (const troupe::cancelled_error&) {
      ++cancelled_;
      throw;
    }
    co_return n;
  }
  troupe::task<void> pause(int ms) { co_await troupe::sleep(std::chrono::milliseconds(ms)); }
  int served() const { return served_; }
  int cancelled() const { return cancelled_; }

 private:
  int served_ = 0;
  int cancelled_ = 0;
};

double ms_since(clock_type::time_point t) {
  return std::chrono::duration<double, std::milli>(clock_type::now() - t).count();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gather)

BOOST_AUTO_TEST_CASE(gather_yields_results_in_input_order_not_completion_order) {
  troupe_test::run([]() -> troupe::task<void> {
    auto a = troupe::spawn<service>();
    auto b = troupe::spawn<service>();
    auto c = troupe::spawn<service>();
    auto [x, y, z] = co_await troupe::gather(a.ask<&service::fetch>(std::string("slow"), 30, false),
                                             b.ask<&service::fetch>(std::string("fast"), 1, false),
                                             c.ask<&service::pause>(5));
    BOOST_TEST(x == "slow ok");
    BOOST_TEST(y == "fast ok");
    (void)z;  // std::monostate for future<void>
  });
}

BOOST_AUTO_TEST_CASE(gather_of_a_vector_yields_a_vector_in_input_order) {
  auto values = troupe_test::run([]() -> troupe::task<std::vector<std::string>> {
    std::vector<troupe::future<std::string>> fs;
    for (int i = 0; i < 5; ++i)
      fs.push_back(troupe::spawn<service>().ask<&service::fetch>(std::to_string(i), 10 - 2 * i,
                                                                   false));
    co_return co_await troupe::gather(std::move(fs));
  });
  const std::vector<std::string> expected{"0 ok", "1 ok", "2 ok", "3 ok", "4 ok"};
  BOOST_TEST(values == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(concurrent_requests_take_as_long_as_the_longest_not_the_sum) {
  troupe_test::run([]() -> troupe::task<void> {
    const auto start = clock_type::now();
    std::vector<troupe::future<std::string>> fs;
    for (int latency : {40, 10, 30, 20, 40})
      fs.push_back(troupe::spawn<service>().ask<&service::fetch>(std::string("s"), latency, false));
    co_await troupe::gather(std::move(fs));
    const double took = ms_since(start);
    BOOST_TEST(took >= 40.0);
    BOOST_TEST(took < 100.0);  // the sum would be 140 ms
  });
}

BOOST_AUTO_TEST_CASE(the_first_exception_propagates_and_the_others_keep_running) {
  troupe_test::run([]() -> troupe::task<void> {
    auto failing = troupe::spawn<service>();
    auto slow = troupe::spawn<service>();
    const auto start = clock_type::now();
    try {
      co_await troupe::gather(failing.ask<&service::fetch>(std::string("news"), 5, true),
                              slow.ask<&service::fetch>(std::string("stock"), 40, false));
      BOOST_FAIL("expected the failure to propagate");
    } catch (const std::runtime_error& e) {
      BOOST_TEST(std::string(e.what()) == "news is down");
      BOOST_TEST(ms_since(start) < 35.0);  // raised at once, not after the slow one
    }
    co_await troupe::sleep(60ms);
    BOOST_TEST(co_await slow.ask<&service::served>() == 1);  // it was not cancelled
  });
}

BOOST_AUTO_TEST_CASE(cancelling_a_gather_cancels_every_pending_request) {
  troupe_test::run([]() -> troupe::task<void> {
    auto s = troupe::spawn<service>();
    auto t = troupe::spawn<service>();
    auto g = troupe::create_task(
        troupe::gather(s.ask<&service::slow_number>(1), t.ask<&service::slow_number>(2)));
    co_await troupe::sleep(5ms);
    g.cancel();
    BOOST_CHECK_THROW(co_await g, troupe::cancelled_error);
    co_await troupe::sleep(5ms);
    BOOST_TEST(co_await s.ask<&service::cancelled>() == 1);
    BOOST_TEST(co_await t.ask<&service::cancelled>() == 1);
  });
}

BOOST_AUTO_TEST_CASE(gather_settled_reports_every_outcome_and_never_throws) {
  troupe_test::run([]() -> troupe::task<void> {
    auto s = troupe::spawn<service>();
    auto cancelled = s.ask<&service::slow_number>(9);
    cancelled.cancel();
    auto [ok, failed, gone] = co_await troupe::gather_settled(
        s.ask<&service::fetch>(std::string("weather"), 1, false),
        s.ask<&service::fetch>(std::string("traffic"), 1, true), std::move(cancelled));
    BOOST_TEST(ok.has_value());
    BOOST_TEST(ok.value() == "weather ok");
    BOOST_TEST(!failed.has_value());
    BOOST_TEST(!failed.cancelled());
    BOOST_CHECK_THROW(failed.value(), std::runtime_error);
    BOOST_TEST(static_cast<bool>(failed.error()));
    BOOST_TEST(gone.cancelled());
    BOOST_CHECK_THROW(gone.value(), troupe::cancelled_error);
  });
}

BOOST_AUTO_TEST_CASE(a_fan_out_with_one_failure_gives_partial_results_in_about_the_longest_latency) {
  // The seeds' weather dashboard: five services, different latencies, one down.
  troupe_test::log_capture log;
  troupe_test::run([]() -> troupe::task<void> {
    struct spec {
      const char* name;
      int latency;
      bool fail;
    };
    const spec specs[] = {{"weather", 30, false},
                          {"news", 10, true},
                          {"stock", 50, false},
                          {"traffic", 20, false},
                          {"health", 40, false}};
    std::vector<troupe::future<std::string>> fs;
    for (const auto& s : specs)
      fs.push_back(troupe::spawn<service>().ask<&service::fetch>(std::string(s.name), s.latency,
                                                                   s.fail));
    const auto start = clock_type::now();
    auto outcomes = co_await troupe::gather_settled(std::move(fs));
    const double took = ms_since(start);
    int ok = 0;
    for (auto& o : outcomes) ok += o.has_value() ? 1 : 0;
    BOOST_TEST(ok == 4);
    BOOST_TEST(!outcomes[1].has_value());
    BOOST_TEST(outcomes[2].value() == "stock ok");
    BOOST_TEST(took >= 50.0);
    BOOST_TEST(took < 120.0);  // the sum is 150 ms
  });
  // The failure was retrieved through its outcome: nothing to report.
  BOOST_TEST(!log.contains({"never retrieved"}), log.dump());
}

BOOST_AUTO_TEST_CASE(gather_of_an_empty_vector_completes_at_once) {
  troupe_test::run([]() -> troupe::task<void> {
    std::vector<troupe::future<int>> none;
    auto values = co_await troupe::gather(std::move(none));
    BOOST_TEST(values.empty());
    auto outcomes = co_await troupe::gather_settled(std::vector<troupe::future<int>>{});
    BOOST_TEST(outcomes.empty());
  });
}

BOOST_AUTO_TEST_CASE(gather_refuses_an_empty_future) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::future<int> empty;
    BOOST_CHECK_THROW((void)troupe::gather(std::move(empty)), troupe::invalid_state_error);
    co_return;
  });
}

BOOST_AUTO_TEST_SUITE_END()
