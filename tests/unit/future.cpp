// Suite for <troupe/future.hpp>.
#include <troupe/future.hpp>

#include <boost/test/unit_test.hpp>

#include <exception>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "troupe_test.hpp"

using namespace std::chrono_literals;

namespace {

troupe::task<int> value_later(int v) {
  co_await troupe::sleep(2ms);
  co_return v;
}

troupe::task<std::string> text_later(std::string s) {
  co_await troupe::yield();
  co_return s;
}

troupe::task<int> fail_later(std::string why) {
  co_await troupe::yield();
  throw std::domain_error(why);
  co_return 0;
}

troupe::task<void> nothing_later(bool* ran) {
  co_await troupe::yield();
  *ran = true;
}

troupe::task<void> fail_void_later(std::string why) {
  co_await troupe::sleep(1ms);
  throw std::overflow_error(why);
}

troupe::task<int> nap() {
  co_await troupe::sleep(10s);
  co_return 1;
}

// Runs the reactor until `f` is done (bounded, so a bug fails instead of hanging).
template <class T>
troupe::task<void> settle(troupe::future<T>& f) {
  for (int i = 0; i < 2000 && !f.done(); ++i) co_await troupe::sleep(1ms);
  BOOST_TEST_REQUIRE(f.done());
}

class thrower : public troupe::actor {
 public:
  int fail(std::string why) { throw std::invalid_argument(why); }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(future)

BOOST_AUTO_TEST_CASE(a_default_constructed_future_is_empty_and_refuses_use) {
  troupe::future<int> f;
  BOOST_TEST(!f.valid());
  BOOST_TEST(!f.done());
  BOOST_TEST(!f.cancelled());
  BOOST_TEST(!f.cancel());
  BOOST_CHECK_THROW(f.result(), troupe::invalid_state_error);
  BOOST_CHECK_THROW(f.exception(), troupe::invalid_state_error);
  troupe_test::run([]() -> troupe::task<void> {
    troupe::future<int> empty;
    BOOST_CHECK_THROW(co_await empty, troupe::invalid_state_error);
    BOOST_CHECK_THROW(empty.add_done_callback([](troupe::future<int>&) {}),
                      troupe::invalid_state_error);
  });
}

BOOST_AUTO_TEST_CASE(result_and_exception_before_done_throw_invalid_state_error_naming_the_task) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::future<int> f = troupe::create_task(value_later(3));
    BOOST_TEST(f.valid());
    BOOST_TEST(!f.done());
    BOOST_TEST(!f.cancelled());
    try {
      (void)f.result();
      BOOST_FAIL("expected invalid_state_error");
    } catch (const troupe::invalid_state_error& e) {
      const std::string what = e.what();
      BOOST_TEST(what.find("result()") != std::string::npos, what);
      BOOST_TEST(what.find("value_later") != std::string::npos, what);
      BOOST_TEST(what.find("before it is done") != std::string::npos, what);
    }
    BOOST_CHECK_THROW(f.exception(), troupe::invalid_state_error);
    BOOST_TEST(co_await f == 3);  // still usable afterwards
  });
}

BOOST_AUTO_TEST_CASE(a_done_future_reports_its_value_through_result_and_no_exception) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::future<std::string> f = troupe::create_task(text_later("ready"));
    co_await settle(f);
    BOOST_TEST(f.done());
    BOOST_TEST(!f.cancelled());
    BOOST_TEST((f.exception() == nullptr));
    BOOST_TEST(f.result() == "ready");
    BOOST_TEST(f.result() == "ready");  // result() keeps the value
    f.result() += "!";                  // and hands out a reference to it
    BOOST_TEST(co_await f == "ready!");
  });
}

BOOST_AUTO_TEST_CASE(a_failed_future_reports_its_exception_through_result_and_exception) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::future<int> f = troupe::create_task(fail_later("negative"));
    co_await settle(f);
    BOOST_TEST(f.done());
    BOOST_TEST(!f.cancelled());
    std::exception_ptr e = f.exception();
    BOOST_TEST_REQUIRE((e != nullptr));
    BOOST_CHECK_THROW(std::rethrow_exception(e), std::domain_error);
    BOOST_CHECK_THROW(f.result(), std::domain_error);
    BOOST_CHECK_THROW(co_await f, std::domain_error);
  });
}

BOOST_AUTO_TEST_CASE(a_cancelled_future_is_done_and_raises_cancelled_error_everywhere) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::future<int> f = troupe::create_task(nap());
    co_await troupe::yield();
    BOOST_TEST(f.cancel());
    BOOST_TEST(f.done());
    BOOST_TEST(f.cancelled());
    BOOST_CHECK_THROW(f.result(), troupe::cancelled_error);
    BOOST_CHECK_THROW(f.exception(), troupe::cancelled_error);
    BOOST_CHECK_THROW(co_await f, troupe::cancelled_error);
    BOOST_TEST(!f.cancel());  // already done
  });
}

BOOST_AUTO_TEST_CASE(cancel_on_a_done_future_returns_false_and_keeps_the_result) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::future<int> f = troupe::create_task(value_later(9));
    co_await settle(f);
    BOOST_TEST(!f.cancel());
    BOOST_TEST(!f.cancelled());
    BOOST_TEST(f.result() == 9);

    troupe::future<int> failed = troupe::create_task(fail_later("kept"));
    co_await settle(failed);
    BOOST_TEST(!failed.cancel());
    BOOST_TEST(!failed.cancelled());
    BOOST_CHECK_THROW(co_await failed, std::domain_error);
  });
}

BOOST_AUTO_TEST_CASE(a_second_co_await_throws_invalid_state_error) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::future<int> f = troupe::create_task(value_later(1));
    BOOST_TEST(co_await f == 1);
    BOOST_CHECK_THROW(co_await f, troupe::invalid_state_error);
    BOOST_CHECK_THROW(f.result(), troupe::invalid_state_error);  // the value was moved out

    troupe::future<int> failed = troupe::create_task(fail_later("once"));
    BOOST_CHECK_THROW(co_await failed, std::domain_error);
    BOOST_CHECK_THROW(co_await failed, troupe::invalid_state_error);
  });
}

BOOST_AUTO_TEST_CASE(co_await_works_on_lvalues_and_rvalues) {
  int r = troupe_test::run([]() -> troupe::task<int> {
    int sum = co_await troupe::create_task(value_later(1));  // a temporary
    troupe::future<int> lvalue = troupe::create_task(value_later(10));
    sum += co_await lvalue;
    troupe::future<int> moved = troupe::create_task(value_later(100));
    sum += co_await std::move(moved);
    co_return sum;
  });
  BOOST_TEST(r == 111);
}

BOOST_AUTO_TEST_CASE(co_await_of_a_future_that_is_already_done_does_not_suspend_forever) {
  int r = troupe_test::run([]() -> troupe::task<int> {
    troupe::future<int> f = troupe::create_task(value_later(5));
    co_await settle(f);
    co_return co_await f;
  });
  BOOST_TEST(r == 5);
}

BOOST_AUTO_TEST_CASE(a_moved_future_carries_the_result_and_leaves_an_empty_one) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::future<int> a = troupe::create_task(value_later(6));
    troupe::future<int> b = std::move(a);
    BOOST_TEST(!a.valid());  // NOLINT(bugprone-use-after-move)
    BOOST_TEST(b.valid());
    troupe::future<int> c;
    c = std::move(b);
    BOOST_TEST(co_await c == 6);
  });
}

BOOST_AUTO_TEST_CASE(future_void_completes_rethrows_and_cancels) {
  troupe_test::run([]() -> troupe::task<void> {
    bool ran = false;
    troupe::future<void> ok = troupe::create_task(nothing_later(&ran));
    co_await ok;
    BOOST_TEST(ran);
    BOOST_TEST(ok.done());

    troupe::future<void> settled = troupe::create_task(nothing_later(&ran));
    co_await settle(settled);
    settled.result();  // void, does not throw
    BOOST_TEST((settled.exception() == nullptr));

    troupe::future<void> failed = troupe::create_task(fail_void_later("too big"));
    try {
      co_await failed;
      BOOST_FAIL("expected overflow_error");
    } catch (const std::overflow_error& e) {
      BOOST_TEST(std::string(e.what()) == "too big");
    }

    troupe::future<void> cancelled = troupe::create_task(nothing_later(&ran));
    BOOST_TEST(cancelled.cancel());
    BOOST_CHECK_THROW(cancelled.result(), troupe::cancelled_error);
    BOOST_CHECK_THROW(co_await cancelled, troupe::cancelled_error);
  });
}

BOOST_AUTO_TEST_CASE(a_task_awaiting_a_future_that_gets_cancelled_wakes_with_cancelled_error) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::future<int> target = troupe::create_task(nap());
    troupe::future<std::string> waiter =
        troupe::create_task([](troupe::future<int>* f) -> troupe::task<std::string> {
          try {
            co_await *f;
          } catch (const troupe::cancelled_error& e) {
            co_return e.what();
          }
          co_return "not cancelled";
        }(&target));
    co_await troupe::yield();
    co_await troupe::yield();
    BOOST_TEST(!waiter.done());
    BOOST_TEST(target.cancel());
    const std::string what = co_await waiter;
    BOOST_TEST(what.find("nap") != std::string::npos, what);
    BOOST_TEST(what.find("cancelled") != std::string::npos, what);
  });
}

BOOST_AUTO_TEST_CASE(add_done_callback_runs_on_the_reactor_after_completion) {
  troupe_test::run([]() -> troupe::task<void> {
    const std::thread::id reactor_thread = std::this_thread::get_id();
    std::vector<std::string> events;
    int seen = 0;
    std::thread::id callback_thread;
    troupe::future<int> f = troupe::create_task(value_later(21));
    f.add_done_callback([&](troupe::future<int>& done) {
      events.push_back("callback");
      callback_thread = std::this_thread::get_id();
      BOOST_TEST(done.done());
      seen = done.result();
    });
    events.push_back("registered");
    co_await troupe::yield();
    BOOST_TEST(seen == 0);  // not before completion
    co_await settle(f);
    for (int i = 0; i < 3 && seen == 0; ++i) co_await troupe::yield();
    BOOST_TEST(seen == 21);
    BOOST_TEST((callback_thread == reactor_thread));
    const std::vector<std::string> expected{"registered", "callback"};
    BOOST_TEST(events == expected, boost::test_tools::per_element());
    BOOST_TEST(co_await f == 21);  // the callback did not take the value
  });
}

BOOST_AUTO_TEST_CASE(add_done_callback_on_a_done_future_runs_soon_not_inline) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::future<int> f = troupe::create_task(value_later(4));
    co_await settle(f);
    int calls = 0;
    f.add_done_callback([&](troupe::future<int>& done) {
      ++calls;
      BOOST_TEST(done.result() == 4);
    });
    BOOST_TEST(calls == 0);  // not inside add_done_callback
    co_await troupe::yield();
    BOOST_TEST(calls == 1);
  });
}

BOOST_AUTO_TEST_CASE(done_callbacks_run_once_each_in_registration_order) {
  troupe_test::run([]() -> troupe::task<void> {
    std::vector<int> order;
    troupe::future<int> f = troupe::create_task(value_later(0));
    for (int i = 1; i <= 3; ++i)
      f.add_done_callback([&order, i](troupe::future<int>&) { order.push_back(i); });
    co_await settle(f);
    for (int i = 0; i < 3; ++i) co_await troupe::yield();
    const std::vector<int> expected{1, 2, 3};
    BOOST_TEST(order == expected, boost::test_tools::per_element());
  });
}

BOOST_AUTO_TEST_CASE(done_callbacks_run_when_the_future_is_cancelled) {
  troupe_test::run([]() -> troupe::task<void> {
    bool saw_cancelled = false;
    troupe::future<int> f = troupe::create_task(nap());
    f.add_done_callback([&](troupe::future<int>& done) { saw_cancelled = done.cancelled(); });
    f.cancel();
    co_await troupe::yield();
    BOOST_TEST(saw_cancelled);
  });
}

BOOST_AUTO_TEST_CASE(a_done_callback_that_throws_is_logged_and_does_not_stop_the_reactor) {
  troupe_test::log_capture log;
  int r = troupe_test::run([]() -> troupe::task<int> {
    troupe::future<int> f = troupe::create_task(value_later(2));
    f.add_done_callback([](troupe::future<int>&) { throw std::runtime_error("callback broke"); });
    co_await settle(f);
    co_await troupe::yield();
    co_return co_await f;
  });
  BOOST_TEST(r == 2);
  BOOST_TEST(log.contains({"done callback", "value_later", "callback broke"}), log.dump());
}

BOOST_AUTO_TEST_CASE(a_failed_tasks_exception_nobody_retrieved_is_logged_when_the_future_drops) {
  troupe_test::log_capture log;
  troupe_test::run([&]() -> troupe::task<void> {
    {
      troupe::future<int> f = troupe::create_task(fail_later("lost error"));
      co_await settle(f);
      BOOST_TEST(log.count({"never retrieved"}) == 0u, log.dump());  // not while it is held
    }
    BOOST_TEST(log.count({"exception never retrieved", "fail_later", "lost error"}) == 1u,
               log.dump());
  });
  BOOST_TEST(log.count({"never retrieved"}) == 1u, log.dump());
}

BOOST_AUTO_TEST_CASE(a_fire_and_forget_task_that_fails_later_is_logged_when_it_fails) {
  troupe_test::log_capture log;
  troupe_test::run([&]() -> troupe::task<void> {
    (void)troupe::create_task(fail_void_later("silent failure"));  // future dropped at once
    for (int i = 0; i < 200 && log.count({"never retrieved"}) == 0; ++i)
      co_await troupe::sleep(1ms);
    BOOST_TEST(log.count({"exception never retrieved", "fail_void_later", "silent failure"}) == 1u,
               log.dump());
  });
}

BOOST_AUTO_TEST_CASE(a_handlers_exception_nobody_retrieved_is_logged_with_the_handler_name) {
  troupe_test::log_capture log;
  troupe_test::run([&]() -> troupe::task<void> {
    auto t = troupe::spawn<thrower>();
    {
      troupe::future<int> f = t.ask<&thrower::fail>(std::string("unheard"));
      co_await settle(f);
    }
    BOOST_TEST(
        log.count({"exception never retrieved", "thrower::fail", "thrower#", "unheard"}) == 1u,
        log.dump());
  });
}

BOOST_AUTO_TEST_CASE(a_retrieved_exception_is_not_logged) {
  troupe_test::log_capture log;
  troupe_test::run([&]() -> troupe::task<void> {
    {
      troupe::future<int> awaited = troupe::create_task(fail_later("awaited"));
      BOOST_CHECK_THROW(co_await awaited, std::domain_error);
    }
    {
      troupe::future<int> inspected = troupe::create_task(fail_later("inspected"));
      co_await settle(inspected);
      BOOST_TEST((inspected.exception() != nullptr));
    }
    {
      troupe::future<int> via_result = troupe::create_task(fail_later("via result"));
      co_await settle(via_result);
      BOOST_CHECK_THROW(via_result.result(), std::domain_error);
    }
    {
      troupe::future<int> via_callback = troupe::create_task(fail_later("via callback"));
      via_callback.add_done_callback([](troupe::future<int>& f) { (void)f.exception(); });
    }
    for (int i = 0; i < 5; ++i) co_await troupe::sleep(1ms);
  });
  BOOST_TEST(log.count({"never retrieved"}) == 0u, log.dump());
}

BOOST_AUTO_TEST_CASE(a_cancelled_future_dropped_unretrieved_is_not_logged) {
  troupe_test::log_capture log;
  troupe_test::run([&]() -> troupe::task<void> {
    {
      troupe::future<int> f = troupe::create_task(nap());
      co_await troupe::yield();
      f.cancel();
    }
    for (int i = 0; i < 3; ++i) co_await troupe::yield();
  });
  BOOST_TEST(log.count({"never retrieved"}) == 0u, log.dump());
}

BOOST_AUTO_TEST_SUITE_END()
