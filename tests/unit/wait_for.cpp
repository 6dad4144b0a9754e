// Suite for <troupe/wait_for.hpp> and <troupe/shield.hpp>.
#include <troupe/wait_for.hpp>

#include <troupe/event.hpp>
#include <troupe/queue.hpp>
#include <troupe/semaphore.hpp>
#include <troupe/shield.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <string>

#include "troupe_test.hpp"

using namespace std::chrono_literals;

namespace {
class slow_service : public troupe::actor {
 public:
  troupe::task<int> work(int ms) {
    try {
      co_await troupe::sleep(std::chrono::milliseconds(ms));
    } catch (const troupe::cancelled_error& e) {
      last_cancel_ = e.what();
      throw;
    }
    ++finished_;
    co_return ms;
  }
  std::string last_cancel() const { return last_cancel_; }
  int finished() const { return finished_; }

 private:
  std::string last_cancel_;
  int finished_ = 0;
};

// Timeouts run on the virtual clock: deterministic, and a 5 s operation
// costs no real time.
troupe::options virtual_time() {
  return troupe::options{.reactors = 1, .clock = troupe::clock_kind::virtual_time};
}

troupe::task<int> local_work(int ms) {
  co_await troupe::sleep(std::chrono::milliseconds(ms));
  co_return ms;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(wait_for)

BOOST_AUTO_TEST_CASE(a_call_that_finishes_in_time_returns_its_value) {
  int r = troupe_test::run([]() -> troupe::task<int> {
    auto s = troupe::spawn<slow_service>();
    co_return co_await troupe::wait_for(s.ask<&slow_service::work>(2), 500ms);
  });
  BOOST_TEST(r == 2);
}

BOOST_AUTO_TEST_CASE(a_timed_out_call_raises_timeout_error_and_its_handler_sees_the_cancellation) {
  troupe_test::run([]() -> troupe::task<void> {
    auto s = troupe::spawn<slow_service>();
    const auto t0 = troupe::this_reactor().now();
    try {
      co_await troupe::wait_for(s.ask<&slow_service::work>(5000), 20ms);
      BOOST_FAIL("expected timeout_error");
    } catch (const troupe::timeout_error& e) {
      const std::string what = e.what();
      BOOST_TEST(what.find("slow_service::work") != std::string::npos, what);
      BOOST_TEST(what.find("slow_service#") != std::string::npos, what);
      BOOST_TEST(what.find("wait_for.cpp") != std::string::npos, what);  // where it was set
      BOOST_TEST(what.find("20 ms") != std::string::npos, what);
    }
    BOOST_TEST((troupe::this_reactor().now() - t0 == 20ms));  // exactly at the deadline
    // The work was cancelled, not abandoned: the handler unwound.
    const std::string seen = co_await s.ask<&slow_service::last_cancel>();
    BOOST_TEST(seen.find("deadline") != std::string::npos, seen);
    BOOST_TEST(co_await s.ask<&slow_service::finished>() == 0);
  }, virtual_time());
}

BOOST_AUTO_TEST_CASE(a_result_arriving_in_the_same_turn_as_the_deadline_is_returned_not_lost) {
  troupe_test::run([]() -> troupe::task<void> {
    auto s = troupe::spawn<slow_service>();
    auto f = s.ask<&slow_service::work>(10);
    co_await troupe::yield();  // the handler starts sleeping 10 ms first ...
    co_await troupe::yield();
    // ... so at the shared deadline its timer fires before wait_for's.
    BOOST_TEST(co_await troupe::wait_for(std::move(f), 10ms) == 10);
    BOOST_TEST(co_await s.ask<&slow_service::finished>() == 1);
  }, virtual_time());
}

BOOST_AUTO_TEST_CASE(wait_for_accepts_a_task_and_cancels_it_at_the_deadline) {
  troupe_test::run([]() -> troupe::task<void> {
    BOOST_TEST(co_await troupe::wait_for(local_work(1), 500ms) == 1);
    BOOST_CHECK_THROW(co_await troupe::wait_for(local_work(5000), 10ms), troupe::timeout_error);
  }, virtual_time());
}

BOOST_AUTO_TEST_CASE(wait_for_bounds_any_awaitable_and_a_timed_out_get_takes_no_item) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::queue<int> q;
    BOOST_CHECK_THROW(co_await troupe::wait_for(q.get(), 10ms), troupe::timeout_error);
    BOOST_TEST(q.statistics().tasks_waiting_get == 0u);  // the timed-out get left the queue
    q.put_nowait(7);
    BOOST_TEST(co_await troupe::wait_for(q.get(), 10ms) == 7);
    BOOST_TEST(q.empty());
    troupe::semaphore s(0);
    BOOST_CHECK_THROW(co_await troupe::wait_for(s.acquire(), 5ms), troupe::timeout_error);
    s.release();
    BOOST_TEST(s.value() == 1u);  // the timed-out acquire holds no permit
    troupe::event e;
    BOOST_CHECK_THROW(co_await troupe::wait_for(e.wait(), 5ms), troupe::timeout_error);
  }, virtual_time());
}

BOOST_AUTO_TEST_CASE(cancelling_the_waiter_cancels_the_work) {
  troupe_test::run([]() -> troupe::task<void> {
    auto s = troupe::spawn<slow_service>();
    auto waiter = troupe::create_task(troupe::wait_for(s.ask<&slow_service::work>(5000), 10s));
    co_await troupe::sleep(5ms);
    waiter.cancel();
    BOOST_CHECK_THROW(co_await waiter, troupe::cancelled_error);
    co_await troupe::sleep(5ms);
    const std::string seen = co_await s.ask<&slow_service::last_cancel>();
    BOOST_TEST(!seen.empty());
  }, virtual_time());
}

BOOST_AUTO_TEST_CASE(cancelling_a_shield_leaves_the_inner_work_running) {
  troupe_test::run([]() -> troupe::task<void> {
    auto s = troupe::spawn<slow_service>();
    auto outer = troupe::shield(s.ask<&slow_service::work>(20));
    BOOST_TEST(outer.cancel());
    BOOST_CHECK_THROW(co_await outer, troupe::cancelled_error);
    co_await troupe::sleep(40ms);
    BOOST_TEST(co_await s.ask<&slow_service::finished>() == 1);
    BOOST_TEST((co_await s.ask<&slow_service::last_cancel>()).empty());
  }, virtual_time());
}

BOOST_AUTO_TEST_CASE(a_shield_forwards_the_inner_result) {
  int r = troupe_test::run([]() -> troupe::task<int> {
    auto s = troupe::spawn<slow_service>();
    co_return co_await troupe::shield(s.ask<&slow_service::work>(3));
  });
  BOOST_TEST(r == 3);
}

BOOST_AUTO_TEST_CASE(a_timeout_around_a_shield_leaves_the_work_running) {
  troupe_test::run([]() -> troupe::task<void> {
    auto s = troupe::spawn<slow_service>();
    BOOST_CHECK_THROW(
        co_await troupe::wait_for(troupe::shield(s.ask<&slow_service::work>(30)), 5ms),
        troupe::timeout_error);
    co_await troupe::sleep(50ms);
    BOOST_TEST(co_await s.ask<&slow_service::finished>() == 1);
  }, virtual_time());
}

BOOST_AUTO_TEST_SUITE_END()
