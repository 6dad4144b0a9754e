// Suite for <troupe/event.hpp>: troupe::event (asyncio.Event).
#include <troupe/event.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "troupe_test.hpp"

using namespace std::chrono_literals;

namespace {

troupe::task<void> settle() {
  for (int i = 0; i < 5; ++i) co_await troupe::yield();
}

troupe::task<void> waiter(troupe::event& e, std::vector<std::string>& log, std::string name) {
  try {
    co_await e.wait();
  } catch (const troupe::cancelled_error&) {
    log.push_back(name + " cancelled");
    throw;
  }
  log.push_back(name + " woke");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(event)

BOOST_AUTO_TEST_CASE(an_event_starts_clear) {
  troupe::event e;
  BOOST_TEST(!e.is_set());
  BOOST_TEST(!e.statistics().is_set);
}

BOOST_AUTO_TEST_CASE(wait_on_a_set_event_returns_at_once) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::event e;
    e.set();
    BOOST_TEST(e.is_set());
    co_await e.wait();
    co_await e.wait();
    BOOST_TEST(e.is_set());  // waiting does not consume it
  });
}

BOOST_AUTO_TEST_CASE(set_wakes_every_waiter_in_the_order_they_came) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::event e;
    std::vector<std::string> log;
    std::vector<troupe::future<void>> ws;
    for (const char* name : {"a", "b", "c"}) {
      ws.push_back(troupe::create_task(waiter(e, log, name)));
      co_await settle();
    }
    BOOST_TEST(e.statistics().tasks_waiting == 3u);
    BOOST_TEST(log.empty());
    e.set();
    for (auto& w : ws) co_await w;
    const std::vector<std::string> expected{"a woke", "b woke", "c woke"};
    BOOST_TEST(log == expected, boost::test_tools::per_element());
    BOOST_TEST(e.statistics().tasks_waiting == 0u);
  });
}

BOOST_AUTO_TEST_CASE(clear_makes_later_waits_suspend_again) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::event e;
    std::vector<std::string> log;
    e.set();
    e.clear();
    BOOST_TEST(!e.is_set());
    auto w = troupe::create_task(waiter(e, log, "w"));
    co_await settle();
    BOOST_TEST(!w.done());
    e.set();
    co_await w;
  });
}

BOOST_AUTO_TEST_CASE(a_waiter_woken_by_set_returns_even_if_the_event_is_cleared_before_it_runs) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::event e;
    std::vector<std::string> log;
    auto w = troupe::create_task(waiter(e, log, "w"));
    co_await settle();
    e.set();
    e.clear();
    co_await w;
    const std::vector<std::string> expected{"w woke"};
    BOOST_TEST(log == expected, boost::test_tools::per_element());
  });
}

BOOST_AUTO_TEST_CASE(a_waiter_cancelled_while_waiting_leaves_the_wait_list) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::event e;
    std::vector<std::string> log;
    auto a = troupe::create_task(waiter(e, log, "a"));
    auto b = troupe::create_task(waiter(e, log, "b"));
    co_await settle();
    a.cancel();
    co_await settle();
    BOOST_TEST(e.statistics().tasks_waiting == 1u);
    e.set();
    co_await b;
    BOOST_CHECK_THROW(co_await a, troupe::cancelled_error);
    const std::vector<std::string> expected{"a cancelled", "b woke"};
    BOOST_TEST(log == expected, boost::test_tools::per_element());
  });
}

BOOST_AUTO_TEST_CASE(a_waiter_cancelled_after_set_but_before_it_ran_raises_cancelled_error) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::event e;
    std::vector<std::string> log;
    auto w = troupe::create_task(waiter(e, log, "w"));
    co_await settle();
    e.set();
    w.cancel();
    co_await settle();
    const std::vector<std::string> expected{"w cancelled"};
    BOOST_TEST(log == expected, boost::test_tools::per_element());
    BOOST_TEST(e.is_set());
  });
}

BOOST_AUTO_TEST_CASE(set_from_a_plain_thread_wakes_waiting_tasks) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::event e;
    std::vector<std::string> log;
    std::vector<troupe::future<void>> ws;
    for (const char* name : {"a", "b"}) ws.push_back(troupe::create_task(waiter(e, log, name)));
    co_await settle();
    std::thread t([&e] { e.set(); });
    for (auto& w : ws) co_await w;
    t.join();
    BOOST_TEST(log.size() == 2u);
  });
}

BOOST_AUTO_TEST_CASE(an_event_destroyed_under_a_waiter_wakes_it_with_invalid_state_error) {
  troupe_test::log_capture log;
  troupe_test::run([]() -> troupe::task<void> {
    auto e = std::make_unique<troupe::event>();
    auto w = troupe::create_task(
        [](troupe::event& ev) -> troupe::task<void> { co_await ev.wait(); }(*e));
    co_await settle();
    e.reset();
    try {
      co_await w;
      BOOST_FAIL("expected invalid_state_error");
    } catch (const troupe::invalid_state_error& x) {
      BOOST_TEST(std::string(x.what()).find("troupe::event was destroyed") != std::string::npos,
                 x.what());
    }
  });
  BOOST_TEST(log.contains({"troupe::event destroyed while 1 task(s) waited"}), log.dump());
}

BOOST_AUTO_TEST_SUITE_END()
