// Suite for <troupe/lock.hpp>: troupe::lock (asyncio.Lock).
#include <troupe/lock.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
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

troupe::task<void> take(troupe::lock& l, std::vector<std::string>& log, std::string name) {
  try {
    co_await l.acquire();
  } catch (const troupe::cancelled_error&) {
    log.push_back(name + " cancelled");
    throw;
  }
  log.push_back(name + " locked");
  l.release();
}

// Read-modify-write with a suspension in the middle: loses updates unless
// the lock is held across the suspension.
troupe::task<void> deposit(troupe::lock* l, int* balance, int amount, int* inside,
                           int* max_inside) {
  troupe::lock::guard held;
  if (l != nullptr) held = co_await l->hold();
  *max_inside = std::max(*max_inside, ++*inside);
  const int read = *balance;
  co_await troupe::sleep(1ms);
  *balance = read + amount;
  --*inside;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lock)

BOOST_AUTO_TEST_CASE(acquire_locks_and_release_unlocks) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::lock l;
    BOOST_TEST(!l.locked());
    co_await l.acquire();
    BOOST_TEST(l.locked());
    l.release();
    BOOST_TEST(!l.locked());
  });
}

BOOST_AUTO_TEST_CASE(releasing_an_unlocked_lock_throws_logic_error) {
  troupe::lock l;
  try {
    l.release();
    BOOST_FAIL("expected std::logic_error");
  } catch (const std::logic_error& e) {
    BOOST_TEST(std::string(e.what()).find("not locked") != std::string::npos, e.what());
  }
  BOOST_TEST(!l.locked());
}

BOOST_AUTO_TEST_CASE(the_lock_keeps_other_tasks_out_across_suspension_points) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::lock l;
    int balance = 0, inside = 0, max_inside = 0;
    std::vector<troupe::future<void>> fs;
    for (int i = 1; i <= 10; ++i)
      fs.push_back(troupe::create_task(deposit(&l, &balance, i, &inside, &max_inside)));
    co_await troupe::gather(std::move(fs));
    BOOST_TEST(balance == 55);
    BOOST_TEST(max_inside == 1);
  });
}

BOOST_AUTO_TEST_CASE(without_the_lock_the_same_updates_are_lost) {
  // The control experiment for the test above.
  troupe_test::run([]() -> troupe::task<void> {
    int balance = 0, inside = 0, max_inside = 0;
    std::vector<troupe::future<void>> fs;
    for (int i = 1; i <= 10; ++i)
      fs.push_back(troupe::create_task(deposit(nullptr, &balance, i, &inside, &max_inside)));
    co_await troupe::gather(std::move(fs));
    BOOST_TEST(balance != 55);
    BOOST_TEST(max_inside > 1);
  });
}

BOOST_AUTO_TEST_CASE(try_acquire_takes_a_free_lock_and_never_overtakes_a_waiter) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::lock l;
    std::vector<std::string> log;
    BOOST_TEST(l.try_acquire());
    BOOST_TEST(!l.try_acquire());
    auto w = troupe::create_task(take(l, log, "w"));
    co_await settle();
    l.release();  // handed to w
    BOOST_TEST(l.locked());
    BOOST_TEST(!l.try_acquire());
    co_await w;
    BOOST_TEST(!l.locked());
    BOOST_TEST(l.try_acquire());
    l.release();
  });
}

BOOST_AUTO_TEST_CASE(waiters_get_the_lock_first_come_first_served) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::lock l;
    std::vector<std::string> log;
    co_await l.acquire();
    std::vector<troupe::future<void>> ws;
    for (const char* name : {"a", "b", "c"}) {
      ws.push_back(troupe::create_task(take(l, log, name)));
      co_await settle();
    }
    BOOST_TEST(l.statistics().tasks_waiting == 3u);
    l.release();
    for (auto& w : ws) co_await w;
    const std::vector<std::string> expected{"a locked", "b locked", "c locked"};
    BOOST_TEST(log == expected, boost::test_tools::per_element());
    BOOST_TEST(!l.locked());
  });
}

BOOST_AUTO_TEST_CASE(hold_unlocks_at_the_end_of_the_scope) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::lock l;
    {
      auto held = co_await l.hold();
      BOOST_TEST(held.owns());
      BOOST_TEST(l.locked());
    }
    BOOST_TEST(!l.locked());
  });
}

BOOST_AUTO_TEST_CASE(a_waiter_cancelled_while_waiting_leaves_without_the_lock) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::lock l;
    std::vector<std::string> log;
    co_await l.acquire();
    auto w = troupe::create_task(take(l, log, "w"));
    co_await settle();
    w.cancel();
    co_await settle();
    BOOST_TEST(l.statistics().tasks_waiting == 0u);
    l.release();
    BOOST_TEST(!l.locked());
    BOOST_CHECK_THROW(co_await w, troupe::cancelled_error);
  });
}

BOOST_AUTO_TEST_CASE(a_waiter_cancelled_after_it_was_handed_the_lock_passes_it_on) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::lock l;
    std::vector<std::string> log;
    co_await l.acquire();
    auto first = troupe::create_task(take(l, log, "first"));
    co_await settle();
    auto second = troupe::create_task(take(l, log, "second"));
    co_await settle();
    l.release();     // handed to `first`...
    first.cancel();  // ...cancelled before it resumes
    co_await second;
    BOOST_CHECK_THROW(co_await first, troupe::cancelled_error);
    const std::vector<std::string> expected{"first cancelled", "second locked"};
    BOOST_TEST(log == expected, boost::test_tools::per_element());
    BOOST_TEST(!l.locked());
  });
}

BOOST_AUTO_TEST_CASE(a_lock_handed_to_a_cancelled_waiter_with_nobody_behind_it_is_unlocked) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::lock l;
    std::vector<std::string> log;
    co_await l.acquire();
    auto w = troupe::create_task(take(l, log, "w"));
    co_await settle();
    l.release();
    w.cancel();
    co_await settle();
    BOOST_TEST(!l.locked());
  });
}

BOOST_AUTO_TEST_CASE(statistics_report_whether_locked_and_the_waiting_tasks) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::lock l;
    std::vector<std::string> log;
    BOOST_TEST(!l.statistics().locked);
    co_await l.acquire();
    auto w = troupe::create_task(take(l, log, "w"));
    co_await settle();
    const auto st = l.statistics();
    BOOST_TEST(st.locked);
    BOOST_TEST(st.tasks_waiting == 1u);
    l.release();
    co_await w;
  });
}

BOOST_AUTO_TEST_CASE(a_plain_thread_release_hands_the_lock_to_a_waiting_task) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::lock l;
    BOOST_TEST(l.try_acquire());
    std::thread t([&l] { l.release(); });
    co_await l.acquire();  // woken through the reactor's inbox (or free already)
    t.join();
    BOOST_TEST(l.locked());
    l.release();
  });
}

BOOST_AUTO_TEST_SUITE_END()
