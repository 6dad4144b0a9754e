// Suite for <troupe/semaphore.hpp>: troupe::semaphore and
// troupe::bounded_semaphore (asyncio.Semaphore, asyncio.BoundedSemaphore).
#include <troupe/semaphore.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "troupe_test.hpp"

using namespace std::chrono_literals;

namespace {

troupe::task<void> settle() {
  for (int i = 0; i < 5; ++i) co_await troupe::yield();
}

// Acquires, records it, and keeps the permit until told to release.
troupe::task<void> holder(troupe::semaphore& s, std::vector<std::string>& log, std::string name,
                          bool release = true) {
  try {
    co_await s.acquire();
  } catch (const troupe::cancelled_error&) {
    log.push_back(name + " cancelled");
    throw;
  }
  log.push_back(name + " acquired");
  if (release) s.release();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(semaphore)

BOOST_AUTO_TEST_CASE(acquire_takes_a_permit_and_release_returns_it) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::semaphore s(2);
    BOOST_TEST(s.value() == 2u);
    co_await s.acquire();
    BOOST_TEST(s.value() == 1u);
    BOOST_TEST(!s.locked());
    co_await s.acquire();
    BOOST_TEST(s.value() == 0u);
    BOOST_TEST(s.locked());
    s.release();
    s.release();
    BOOST_TEST(s.value() == 2u);
  });
}

BOOST_AUTO_TEST_CASE(acquire_suspends_while_no_permit_is_free) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::semaphore s(1);
    std::vector<std::string> log;
    co_await s.acquire();
    auto w = troupe::create_task(holder(s, log, "w"));
    co_await settle();
    BOOST_TEST(!w.done());
    BOOST_TEST(s.statistics().tasks_waiting == 1u);
    s.release();
    co_await w;
    BOOST_TEST(log.size() == 1u);
    BOOST_TEST(s.value() == 1u);
  });
}

BOOST_AUTO_TEST_CASE(waiters_acquire_first_come_first_served) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::semaphore s(0);
    std::vector<std::string> log;
    std::vector<troupe::future<void>> ws;
    for (const char* name : {"a", "b", "c", "d"}) {
      ws.push_back(troupe::create_task(holder(s, log, name, false)));
      co_await settle();
    }
    for (int i = 0; i < 4; ++i) s.release();
    for (auto& w : ws) co_await w;
    const std::vector<std::string> expected{"a acquired", "b acquired", "c acquired", "d acquired"};
    BOOST_TEST(log == expected, boost::test_tools::per_element());
  });
}

BOOST_AUTO_TEST_CASE(try_acquire_never_overtakes_a_waiting_task) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::semaphore s(1);
    std::vector<std::string> log;
    BOOST_TEST(s.try_acquire());
    BOOST_TEST(!s.try_acquire());
    auto w = troupe::create_task(holder(s, log, "w", false));
    co_await settle();
    s.release();  // handed to w, which has not resumed yet
    BOOST_TEST(!s.try_acquire());
    co_await w;
    BOOST_TEST(!s.try_acquire());
    s.release();
    BOOST_TEST(s.try_acquire());
  });
}

BOOST_AUTO_TEST_CASE(hold_releases_the_permit_when_the_guard_goes_out_of_scope) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::semaphore s(1);
    {
      auto permit = co_await s.hold();
      BOOST_TEST(permit.owns());
      BOOST_TEST(s.value() == 0u);
    }
    BOOST_TEST(s.value() == 1u);
    try {
      auto permit = co_await s.hold();
      throw std::runtime_error("work failed");
    } catch (const std::runtime_error&) {
    }
    BOOST_TEST(s.value() == 1u);  // released while the exception unwound
  });
}

BOOST_AUTO_TEST_CASE(a_guard_can_release_early_and_be_moved) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::semaphore s(1);
    auto first = co_await s.hold();
    troupe::semaphore::guard moved = std::move(first);
    BOOST_TEST(!first.owns());
    BOOST_TEST(moved.owns());
    BOOST_TEST(s.value() == 0u);
    moved.release();
    BOOST_TEST(!moved.owns());
    BOOST_TEST(s.value() == 1u);
    moved.release();  // a second release of an empty guard does nothing
    BOOST_TEST(s.value() == 1u);
  });
}

BOOST_AUTO_TEST_CASE(a_waiter_cancelled_while_waiting_leaves_the_wait_list_without_a_permit) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::semaphore s(0);
    std::vector<std::string> log;
    auto w = troupe::create_task(holder(s, log, "w", false));
    co_await settle();
    w.cancel();
    co_await settle();
    BOOST_TEST(s.statistics().tasks_waiting == 0u);
    BOOST_CHECK_THROW(co_await w, troupe::cancelled_error);
    s.release();
    BOOST_TEST(s.value() == 1u);  // nobody took it
    const std::vector<std::string> expected{"w cancelled"};
    BOOST_TEST(log == expected, boost::test_tools::per_element());
  });
}

BOOST_AUTO_TEST_CASE(a_waiter_cancelled_after_it_was_handed_the_permit_passes_it_on) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::semaphore s(0);
    std::vector<std::string> log;
    auto first = troupe::create_task(holder(s, log, "first", false));
    co_await settle();
    auto second = troupe::create_task(holder(s, log, "second", false));
    co_await settle();
    s.release();     // the permit goes to `first`...
    first.cancel();  // ...cancelled before it resumes
    co_await second;
    BOOST_CHECK_THROW(co_await first, troupe::cancelled_error);
    const std::vector<std::string> expected{"first cancelled", "second acquired"};
    BOOST_TEST(log == expected, boost::test_tools::per_element());
    BOOST_TEST(s.value() == 0u);  // second holds the only permit
  });
}

BOOST_AUTO_TEST_CASE(a_permit_handed_to_a_cancelled_waiter_with_nobody_behind_it_is_free_again) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::semaphore s(0);
    std::vector<std::string> log;
    auto w = troupe::create_task(holder(s, log, "w", false));
    co_await settle();
    s.release();
    w.cancel();
    co_await settle();
    BOOST_TEST(s.value() == 1u);
    BOOST_TEST(s.try_acquire());
  });
}

BOOST_AUTO_TEST_CASE(a_plain_semaphore_may_be_released_beyond_its_initial_value) {
  troupe::semaphore s(1);
  s.release();
  BOOST_TEST(s.value() == 2u);
}

BOOST_AUTO_TEST_CASE(a_bounded_semaphore_released_beyond_its_initial_value_throws_logic_error) {
  troupe::bounded_semaphore s(2);
  BOOST_CHECK_THROW(s.release(), std::logic_error);
  BOOST_TEST(s.try_acquire());
  s.release();
  try {
    s.release();
    BOOST_FAIL("expected std::logic_error");
  } catch (const std::logic_error& e) {
    BOOST_TEST(std::string(e.what()).find("released too many times") != std::string::npos,
               e.what());
  }
  BOOST_TEST(s.value() == 2u);
}

BOOST_AUTO_TEST_CASE(a_bounded_semaphore_works_through_a_semaphore_reference) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::bounded_semaphore b(1);
    troupe::semaphore& s = b;
    {
      auto permit = co_await s.hold();
      BOOST_TEST(b.locked());
    }
    BOOST_CHECK_THROW(s.release(), std::logic_error);
  });
}

BOOST_AUTO_TEST_CASE(a_guard_whose_release_fails_logs_instead_of_throwing) {
  troupe_test::log_capture log;
  troupe_test::run([]() -> troupe::task<void> {
    troupe::bounded_semaphore s(1);
    auto permit = co_await s.hold();
    s.release();  // behind the guard's back
    co_return;    // the guard's release now exceeds the bound
  });
  BOOST_TEST(log.contains({"released too many times"}), log.dump());
}

BOOST_AUTO_TEST_CASE(statistics_report_free_permits_and_waiting_tasks) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::semaphore s(1);
    std::vector<std::string> log;
    auto st = s.statistics();
    BOOST_TEST(st.value == 1u);
    BOOST_TEST(st.tasks_waiting == 0u);
    co_await s.acquire();
    auto w1 = troupe::create_task(holder(s, log, "w1"));
    auto w2 = troupe::create_task(holder(s, log, "w2"));
    co_await settle();
    st = s.statistics();
    BOOST_TEST(st.value == 0u);
    BOOST_TEST(st.tasks_waiting == 2u);
    s.release();
    co_await w1;
    co_await w2;
    BOOST_TEST(s.statistics().tasks_waiting == 0u);
  });
}

BOOST_AUTO_TEST_CASE(a_plain_thread_release_wakes_a_waiting_task) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::semaphore s(0);
    std::thread releaser([&s] {
      for (int i = 0; i < 100; ++i) s.release();
    });
    for (int i = 0; i < 100; ++i) co_await s.acquire();
    releaser.join();
    BOOST_TEST(s.value() == 0u);
  });
}

BOOST_AUTO_TEST_CASE(a_semaphore_destroyed_under_a_waiter_wakes_it_with_invalid_state_error) {
  troupe_test::log_capture log;
  troupe_test::run([]() -> troupe::task<void> {
    auto s = std::make_unique<troupe::semaphore>(0);
    auto w = troupe::create_task(
        [](troupe::semaphore& sem) -> troupe::task<void> { co_await sem.acquire(); }(*s));
    co_await settle();
    s.reset();
    BOOST_CHECK_THROW(co_await w, troupe::invalid_state_error);
  });
  BOOST_TEST(log.contains({"troupe::semaphore destroyed"}), log.dump());
}

BOOST_AUTO_TEST_SUITE_END()
