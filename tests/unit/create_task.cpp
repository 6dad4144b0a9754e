// Suite for <troupe/create_task.hpp>.
#include <troupe/create_task.hpp>

#include <boost/test/unit_test.hpp>

#include <stdexcept>
#include <string>
#include <vector>

#include "troupe_test.hpp"

using namespace std::chrono_literals;

namespace {

troupe::task<void> set_flag(bool* flag) {
  *flag = true;
  co_return;
}

troupe::task<int> twice(int n) {
  co_await troupe::yield();
  co_return 2 * n;
}

troupe::task<int> refuse(std::string why) {
  co_await troupe::yield();
  throw std::invalid_argument(why);
  co_return 0;
}

troupe::task<void> record(std::vector<std::string>* log, std::string name, int steps) {
  for (int i = 0; i < steps; ++i) {
    log->push_back(name + std::to_string(i));
    co_await troupe::yield();
  }
}

struct cleanup_report {
  bool started = false;
  bool cleaned_up = false;
  bool finished = false;
  std::string message;
};

troupe::task<int> nap(cleanup_report* report) {
  report->started = true;
  try {
    co_await troupe::sleep(10s);
  } catch (const troupe::cancelled_error& e) {
    report->cleaned_up = true;
    report->message = e.what();
    throw;
  }
  report->finished = true;
  co_return 1;
}

troupe::task<int> nap_deeper(cleanup_report* report) {
  co_await troupe::yield();
  co_return co_await nap(report);
}

troupe::task<int> await_other(troupe::future<int>* other, cleanup_report* report) {
  try {
    co_return co_await *other;
  } catch (const troupe::cancelled_error&) {
    report->cleaned_up = true;
    throw;
  }
}

troupe::task<int> outer_creating_inner(cleanup_report* inner_report, cleanup_report* report) {
  troupe::future<int> inner = troupe::create_task(nap(inner_report));
  co_return co_await await_other(&inner, report);
}

troupe::task<int> stubborn(cleanup_report* report) {
  try {
    co_await troupe::sleep(10s);
  } catch (const troupe::cancelled_error&) {
    report->cleaned_up = true;  // and swallowed: keeps going
  }
  co_await troupe::sleep(20ms);
  report->finished = true;
  co_return 2;
}

template <class T>
troupe::task<void> settle(troupe::future<T>& f) {
  for (int i = 0; i < 2000 && !f.done(); ++i) co_await troupe::sleep(1ms);
  BOOST_TEST_REQUIRE(f.done());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(create_task)

BOOST_AUTO_TEST_CASE(a_created_task_starts_without_being_awaited) {
  troupe_test::run([]() -> troupe::task<void> {
    bool ran = false;
    troupe::future<void> f = troupe::create_task(set_flag(&ran));
    // Like asyncio: scheduled, not run inline; the caller continues first.
    BOOST_TEST(!ran);
    co_await troupe::yield();
    BOOST_TEST(ran);
    BOOST_TEST(f.done());
  });
}

BOOST_AUTO_TEST_CASE(dropping_the_future_does_not_cancel_the_task) {
  cleanup_report report;  // outlives the task, which run cancels at the end
  troupe_test::run([&]() -> troupe::task<void> {
    (void)troupe::create_task(stubborn(&report));  // fire and forget, never cancelled
    co_await troupe::sleep(5ms);
    BOOST_TEST(report.cleaned_up == false);
    BOOST_TEST(report.finished == false);
    bool ran = false;
    (void)troupe::create_task(set_flag(&ran));
    co_await troupe::yield();
    BOOST_TEST(ran);
  });
}

BOOST_AUTO_TEST_CASE(the_future_delivers_the_tasks_value_or_exception) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::future<int> ok = troupe::create_task(twice(21));
    BOOST_TEST(co_await ok == 42);
    troupe::future<int> bad = troupe::create_task(refuse("no"));
    BOOST_CHECK_THROW(co_await bad, std::invalid_argument);
  });
}

BOOST_AUTO_TEST_CASE(created_tasks_run_concurrently_and_interleave_at_suspension_points) {
  auto log = troupe_test::run([]() -> troupe::task<std::vector<std::string>> {
    std::vector<std::string> steps;
    troupe::future<void> a = troupe::create_task(record(&steps, "a", 3));
    troupe::future<void> b = troupe::create_task(record(&steps, "b", 3));
    co_await a;
    co_await b;
    co_return steps;
  });
  const std::vector<std::string> expected{"a0", "b0", "a1", "b1", "a2", "b2"};
  BOOST_TEST(log == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(cancel_raises_cancelled_error_at_the_suspension_point_and_lets_it_clean_up) {
  troupe_test::run([]() -> troupe::task<void> {
    cleanup_report report;
    troupe::future<int> f = troupe::create_task(nap(&report));
    co_await troupe::sleep(2ms);
    BOOST_TEST(report.started);
    BOOST_TEST(f.cancel());
    BOOST_TEST(f.cancelled());
    BOOST_CHECK_THROW(co_await f, troupe::cancelled_error);
    for (int i = 0; i < 3 && !report.cleaned_up; ++i) co_await troupe::yield();
    BOOST_TEST(report.cleaned_up);
    BOOST_TEST(!report.finished);
    BOOST_TEST(report.message.find("nap") != std::string::npos, report.message);
    BOOST_TEST(report.message.find("cancelled") != std::string::npos, report.message);
  });
}

BOOST_AUTO_TEST_CASE(cancel_reaches_a_suspension_point_inside_a_nested_task) {
  troupe_test::run([]() -> troupe::task<void> {
    cleanup_report report;
    troupe::future<int> f = troupe::create_task(nap_deeper(&report));
    co_await troupe::sleep(2ms);
    BOOST_TEST(f.cancel());
    for (int i = 0; i < 3 && !report.cleaned_up; ++i) co_await troupe::yield();
    BOOST_TEST(report.cleaned_up);
    BOOST_TEST(!report.finished);
  });
}

BOOST_AUTO_TEST_CASE(cancelling_a_task_cancels_the_future_it_is_awaiting) {
  troupe_test::run([]() -> troupe::task<void> {
    cleanup_report inner;
    cleanup_report outer;
    troupe::future<int> f = troupe::create_task(outer_creating_inner(&inner, &outer));
    co_await troupe::sleep(2ms);
    BOOST_TEST(inner.started);
    BOOST_TEST(f.cancel());
    for (int i = 0; i < 5 && !(inner.cleaned_up && outer.cleaned_up); ++i) co_await troupe::yield();
    BOOST_TEST(outer.cleaned_up);
    BOOST_TEST(inner.cleaned_up);  // propagated down to the work it waited for
  });
}

BOOST_AUTO_TEST_CASE(a_task_that_swallows_cancellation_cannot_hang_its_awaiter) {
  troupe_test::run([]() -> troupe::task<void> {
    cleanup_report report;
    troupe::future<int> f = troupe::create_task(stubborn(&report));
    co_await troupe::sleep(2ms);
    const auto before = std::chrono::steady_clock::now();
    f.cancel();
    BOOST_CHECK_THROW(co_await f, troupe::cancelled_error);
    BOOST_TEST((std::chrono::steady_clock::now() - before < 15ms));  // not after its 20 ms
    co_await settle(f);
    for (int i = 0; i < 200 && !report.finished; ++i) co_await troupe::sleep(1ms);
    BOOST_TEST(report.cleaned_up);
    BOOST_TEST(report.finished);  // it did carry on: its choice, nobody waited for it
  });
}

BOOST_AUTO_TEST_CASE(cancelling_a_task_before_it_starts_never_runs_its_body) {
  troupe_test::run([]() -> troupe::task<void> {
    cleanup_report report;
    troupe::future<int> f = troupe::create_task(nap(&report));
    BOOST_TEST(f.cancel());
    BOOST_CHECK_THROW(co_await f, troupe::cancelled_error);
    for (int i = 0; i < 3; ++i) co_await troupe::yield();
    // Like a queued ask cancelled before delivery: dropped unrun.
    BOOST_TEST(!report.started);
    BOOST_TEST(!report.finished);
  });
}

BOOST_AUTO_TEST_CASE(create_task_outside_a_reactor_throws_logic_error_and_never_runs_the_task) {
  bool ran = false;
  try {
    (void)troupe::create_task(set_flag(&ran));
    BOOST_FAIL("expected logic_error");
  } catch (const std::logic_error& e) {
    const std::string what = e.what();
    BOOST_TEST(what.find("troupe::create_task") != std::string::npos, what);
    BOOST_TEST(what.find("reactor") != std::string::npos, what);
  }
  BOOST_TEST(!ran);
}

BOOST_AUTO_TEST_CASE(create_task_of_an_empty_task_throws_invalid_state_error) {
  troupe_test::run([]() -> troupe::task<void> {
    BOOST_CHECK_THROW((void)troupe::create_task(troupe::task<int>{}), troupe::invalid_state_error);
    co_return;
  });
}

BOOST_AUTO_TEST_CASE(a_task_can_create_tasks_of_its_own) {
  int r = troupe_test::run([]() -> troupe::task<int> {
    troupe::future<int> outer = troupe::create_task([]() -> troupe::task<int> {
      troupe::future<int> a = troupe::create_task(twice(1));
      troupe::future<int> b = troupe::create_task(twice(2));
      co_return co_await a + co_await b;
    }());
    co_return co_await outer;
  });
  BOOST_TEST(r == 6);
}

BOOST_AUTO_TEST_SUITE_END()
