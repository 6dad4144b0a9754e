// Suite for <troupe/queue.hpp>: troupe::queue<T> (asyncio.Queue).
#include <troupe/queue.hpp>

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "troupe_test.hpp"

using namespace std::chrono_literals;

namespace {

// Lets every ready task run until it parks again.
troupe::task<void> settle() {
  for (int i = 0; i < 5; ++i) co_await troupe::yield();
}

// A getter that records how its get ended.
troupe::task<int> getter(troupe::queue<int>& q, std::vector<std::string>& log, std::string name) {
  try {
    int v = co_await q.get();
    log.push_back(name + " got " + std::to_string(v));
    co_return v;
  } catch (const troupe::cancelled_error&) {
    log.push_back(name + " cancelled");
    throw;
  } catch (const troupe::queue_shut_down&) {
    log.push_back(name + " shut down");
    throw;
  }
}

troupe::task<void> putter(troupe::queue<int>& q, int v, std::vector<std::string>& log) {
  try {
    co_await q.put(v);
    log.push_back("put " + std::to_string(v));
  } catch (const troupe::cancelled_error&) {
    log.push_back("put " + std::to_string(v) + " cancelled");
    throw;
  } catch (const troupe::queue_shut_down&) {
    log.push_back("put " + std::to_string(v) + " shut down");
    throw;
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(queue)

BOOST_AUTO_TEST_CASE(items_come_out_in_the_order_they_went_in) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::queue<int> q;
    for (int i = 0; i < 5; ++i) co_await q.put(i);
    q.put_nowait(5);
    std::vector<int> out;
    for (int i = 0; i < 3; ++i) out.push_back(co_await q.get());
    while (!q.empty()) out.push_back(q.get_nowait());
    const std::vector<int> expected{0, 1, 2, 3, 4, 5};
    BOOST_TEST(out == expected, boost::test_tools::per_element());
  });
}

BOOST_AUTO_TEST_CASE(size_empty_full_and_maxsize_describe_the_contents) {
  troupe::queue<int> q(2);
  BOOST_TEST(q.maxsize() == 2u);
  BOOST_TEST(q.empty());
  BOOST_TEST(!q.full());
  q.put_nowait(1);
  BOOST_TEST(q.size() == 1u);
  q.put_nowait(2);
  BOOST_TEST(q.full());
  BOOST_TEST(!q.empty());
  (void)q.get_nowait();
  BOOST_TEST(q.size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_maxsize_of_zero_means_unbounded) {
  troupe::queue<int> q;
  for (int i = 0; i < 10000; ++i) q.put_nowait(i);
  BOOST_TEST(q.size() == 10000u);
  BOOST_TEST(!q.full());
  BOOST_TEST(q.maxsize() == 0u);
}

BOOST_AUTO_TEST_CASE(get_nowait_on_an_empty_queue_throws_queue_empty) {
  troupe::queue<int> q;
  BOOST_CHECK_THROW(q.get_nowait(), troupe::queue_empty);
  BOOST_CHECK_THROW(q.get_nowait(), troupe::error);
}

BOOST_AUTO_TEST_CASE(put_nowait_on_a_full_queue_throws_queue_full_naming_the_maxsize) {
  troupe::queue<int> q(1);
  q.put_nowait(1);
  try {
    q.put_nowait(2);
    BOOST_FAIL("expected queue_full");
  } catch (const troupe::queue_full& e) {
    BOOST_TEST(std::string(e.what()).find("maxsize 1") != std::string::npos, e.what());
  }
  BOOST_CHECK_THROW(q.put_nowait(2), troupe::error);
  BOOST_TEST(q.size() == 1u);
}

BOOST_AUTO_TEST_CASE(get_suspends_until_an_item_is_put) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::queue<int> q;
    std::vector<std::string> log;
    auto g = troupe::create_task(getter(q, log, "g"));
    co_await settle();
    BOOST_TEST(!g.done());
    BOOST_TEST(q.statistics().tasks_waiting_get == 1u);
    co_await q.put(42);
    BOOST_TEST(co_await g == 42);
    BOOST_TEST(q.statistics().tasks_waiting_get == 0u);
    BOOST_TEST(q.empty());
  });
}

BOOST_AUTO_TEST_CASE(put_suspends_while_the_queue_is_full) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::queue<int> q(2);
    std::vector<std::string> log;
    co_await q.put(1);
    co_await q.put(2);
    auto p = troupe::create_task(putter(q, 3, log));
    co_await settle();
    BOOST_TEST(!p.done());  // back-pressure
    BOOST_TEST(q.statistics().tasks_waiting_put == 1u);
    BOOST_TEST(q.size() == 2u);
    BOOST_TEST(co_await q.get() == 1);
    co_await p;
    BOOST_TEST(q.size() == 2u);
    BOOST_TEST(q.get_nowait() == 2);
    BOOST_TEST(q.get_nowait() == 3);
  });
}

BOOST_AUTO_TEST_CASE(waiting_getters_are_served_first_come_first_served) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::queue<int> q;
    std::vector<std::string> log;
    std::vector<troupe::future<int>> gs;
    for (const char* name : {"a", "b", "c"}) {
      gs.push_back(troupe::create_task(getter(q, log, name)));
      co_await settle();  // parked in this order
    }
    for (int i = 1; i <= 3; ++i) q.put_nowait(i);
    for (auto& g : gs) co_await g;
    const std::vector<std::string> expected{"a got 1", "b got 2", "c got 3"};
    BOOST_TEST(log == expected, boost::test_tools::per_element());
  });
}

BOOST_AUTO_TEST_CASE(waiting_putters_are_served_first_come_first_served) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::queue<int> q(1);
    std::vector<std::string> log;
    q.put_nowait(0);
    std::vector<troupe::future<void>> ps;
    for (int i = 1; i <= 3; ++i) {
      ps.push_back(troupe::create_task(putter(q, i, log)));
      co_await settle();
    }
    BOOST_TEST(q.statistics().tasks_waiting_put == 3u);
    std::vector<int> out;
    for (int i = 0; i < 4; ++i) out.push_back(co_await q.get());
    for (auto& p : ps) co_await p;
    const std::vector<int> expected{0, 1, 2, 3};
    BOOST_TEST(out == expected, boost::test_tools::per_element());
  });
}

BOOST_AUTO_TEST_CASE(put_nowait_cannot_overtake_a_waiting_putter) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::queue<int> q(1);
    std::vector<std::string> log;
    q.put_nowait(1);
    auto p = troupe::create_task(putter(q, 2, log));
    co_await settle();
    BOOST_TEST(q.get_nowait() == 1);  // the freed slot is promised to the putter
    BOOST_CHECK_THROW(q.put_nowait(99), troupe::queue_full);
    co_await p;
    BOOST_TEST(q.get_nowait() == 2);
    BOOST_TEST(q.empty());
  });
}

BOOST_AUTO_TEST_CASE(get_nowait_cannot_take_an_item_promised_to_a_waiting_getter) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::queue<int> q;
    std::vector<std::string> log;
    auto g = troupe::create_task(getter(q, log, "g"));
    co_await settle();
    q.put_nowait(5);  // handed to g, which has not run yet
    BOOST_TEST(q.size() == 1u);
    BOOST_CHECK_THROW(q.get_nowait(), troupe::queue_empty);
    BOOST_TEST(co_await g == 5);
  });
}

BOOST_AUTO_TEST_CASE(join_returns_once_every_item_is_task_done) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::queue<int> q;
    for (int i = 0; i < 3; ++i) q.put_nowait(i);
    bool joined = false;
    auto j = troupe::create_task([](troupe::queue<int>& qq, bool& flag) -> troupe::task<void> {
      co_await qq.join();
      flag = true;
    }(q, joined));
    for (int i = 0; i < 3; ++i) {
      (void)co_await q.get();
      co_await settle();
      BOOST_TEST(!joined);  // got, but not yet done
      BOOST_TEST(q.statistics().unfinished_tasks == static_cast<std::size_t>(3 - i));
      q.task_done();
    }
    co_await j;
    BOOST_TEST(joined);
    BOOST_TEST(q.statistics().unfinished_tasks == 0u);
  });
}

BOOST_AUTO_TEST_CASE(join_with_nothing_unfinished_returns_at_once) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::queue<int> q;
    co_await q.join();
    q.put_nowait(1);
    (void)q.get_nowait();
    q.task_done();
    co_await q.join();
    BOOST_TEST(q.statistics().unfinished_tasks == 0u);
  });
}

BOOST_AUTO_TEST_CASE(task_done_more_times_than_items_put_throws_logic_error) {
  troupe::queue<int> q;
  BOOST_CHECK_THROW(q.task_done(), std::logic_error);
  q.put_nowait(1);
  (void)q.get_nowait();
  q.task_done();
  try {
    q.task_done();
    BOOST_FAIL("expected std::logic_error");
  } catch (const std::logic_error& e) {
    BOOST_TEST(std::string(e.what()).find("task_done") != std::string::npos, e.what());
  }
}

BOOST_AUTO_TEST_CASE(a_getter_cancelled_while_waiting_leaves_the_wait_list) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::queue<int> q;
    std::vector<std::string> log;
    auto g = troupe::create_task(getter(q, log, "g"));
    co_await settle();
    BOOST_TEST(q.statistics().tasks_waiting_get == 1u);
    g.cancel();
    co_await settle();
    BOOST_TEST(q.statistics().tasks_waiting_get == 0u);
    BOOST_CHECK_THROW(co_await g, troupe::cancelled_error);
    q.put_nowait(1);
    BOOST_TEST(q.get_nowait() == 1);  // nobody took it
    const std::vector<std::string> expected{"g cancelled"};
    BOOST_TEST(log == expected, boost::test_tools::per_element());
  });
}

BOOST_AUTO_TEST_CASE(a_getter_cancelled_as_an_item_is_handed_to_it_passes_the_item_to_the_next) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::queue<int> q;
    std::vector<std::string> log;
    auto first = troupe::create_task(getter(q, log, "first"));
    co_await settle();
    auto second = troupe::create_task(getter(q, log, "second"));
    co_await settle();
    // In one step: the item is handed to `first`, then `first` is cancelled
    // before it could resume.
    q.put_nowait(7);
    first.cancel();
    BOOST_CHECK_THROW(co_await first, troupe::cancelled_error);
    BOOST_TEST(co_await second == 7);
    const std::vector<std::string> expected{"first cancelled", "second got 7"};
    BOOST_TEST(log == expected, boost::test_tools::per_element());
    BOOST_TEST(q.empty());
  });
}

BOOST_AUTO_TEST_CASE(a_getter_cancelled_as_an_item_is_handed_to_it_leaves_the_item_first_in_line) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::queue<int> q;
    std::vector<std::string> log;
    auto g = troupe::create_task(getter(q, log, "g"));
    co_await settle();
    q.put_nowait(7);
    q.put_nowait(8);
    g.cancel();
    co_await settle();
    BOOST_TEST(q.size() == 2u);
    BOOST_TEST(q.get_nowait() == 7);
    BOOST_TEST(q.get_nowait() == 8);
    const std::vector<std::string> expected{"g cancelled"};
    BOOST_TEST(log == expected, boost::test_tools::per_element());
  });
}

BOOST_AUTO_TEST_CASE(a_putter_cancelled_while_waiting_puts_nothing) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::queue<int> q(1);
    std::vector<std::string> log;
    q.put_nowait(1);
    auto p = troupe::create_task(putter(q, 2, log));
    co_await settle();
    p.cancel();
    co_await settle();
    BOOST_TEST(q.statistics().tasks_waiting_put == 0u);
    BOOST_TEST(q.get_nowait() == 1);
    BOOST_TEST(q.empty());
    BOOST_CHECK_THROW(co_await p, troupe::cancelled_error);
    const std::vector<std::string> expected{"put 2 cancelled"};
    BOOST_TEST(log == expected, boost::test_tools::per_element());
  });
}

BOOST_AUTO_TEST_CASE(a_putter_cancelled_as_a_slot_frees_passes_the_slot_to_the_next_putter) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::queue<int> q(1);
    std::vector<std::string> log;
    q.put_nowait(1);
    auto first = troupe::create_task(putter(q, 2, log));
    co_await settle();
    auto second = troupe::create_task(putter(q, 3, log));
    co_await settle();
    BOOST_TEST(q.get_nowait() == 1);  // the slot goes to `first`...
    first.cancel();                   // ...which is cancelled before it resumes
    co_await second;
    BOOST_TEST(q.get_nowait() == 3);
    BOOST_TEST(q.empty());
    const std::vector<std::string> expected{"put 2 cancelled", "put 3"};
    BOOST_TEST(log == expected, boost::test_tools::per_element());
  });
}

BOOST_AUTO_TEST_CASE(a_task_cancelled_while_running_raises_at_its_get_instead_of_waiting) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::queue<int> q;
    std::vector<std::string> log;
    auto g = troupe::create_task(
        [](troupe::queue<int>& qq, std::vector<std::string>& l) -> troupe::task<int> {
          co_await troupe::sleep(0ms);  // ready to run again when the cancel arrives
          l.push_back("reached get");
          try {
            co_return co_await qq.get();
          } catch (const troupe::cancelled_error&) {
            l.push_back("get raised cancelled_error");
            throw;
          }
        }(q, log));
    co_await troupe::yield();  // g runs up to its sleep(0)
    g.cancel();                // pending: g is not parked in anything cancellable
    BOOST_CHECK_THROW(co_await g, troupe::cancelled_error);
    co_await settle();
    BOOST_TEST(q.statistics().tasks_waiting_get == 0u);
    const std::vector<std::string> expected{"reached get", "get raised cancelled_error"};
    BOOST_TEST(log == expected, boost::test_tools::per_element());
  });
}

BOOST_AUTO_TEST_CASE(wait_for_on_a_get_times_out_and_leaves_no_waiter) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::queue<int> q;
    auto get_one = [](troupe::queue<int>& qq) -> troupe::task<int> { co_return co_await qq.get(); };
    BOOST_CHECK_THROW(co_await troupe::wait_for(get_one(q), 10ms), troupe::timeout_error);
    co_await settle();
    BOOST_TEST(q.statistics().tasks_waiting_get == 0u);
    q.put_nowait(3);
    BOOST_TEST(q.get_nowait() == 3);
  });
}

BOOST_AUTO_TEST_CASE(after_shutdown_put_raises_queue_shut_down) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::queue<int> q;
    q.shutdown();
    BOOST_TEST(q.is_shut_down());
    BOOST_CHECK_THROW(co_await q.put(1), troupe::queue_shut_down);
    BOOST_CHECK_THROW(q.put_nowait(1), troupe::queue_shut_down);
    BOOST_CHECK_THROW(q.put_nowait(1), troupe::error);
  });
}

BOOST_AUTO_TEST_CASE(after_shutdown_gets_drain_what_is_left_then_raise_queue_shut_down) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::queue<int> q;
    q.put_nowait(1);
    q.put_nowait(2);
    q.shutdown();
    BOOST_TEST(co_await q.get() == 1);
    BOOST_TEST(q.get_nowait() == 2);
    BOOST_CHECK_THROW(co_await q.get(), troupe::queue_shut_down);
    BOOST_CHECK_THROW(q.get_nowait(), troupe::queue_shut_down);
  });
}

BOOST_AUTO_TEST_CASE(shutdown_wakes_blocked_getters_and_putters_with_queue_shut_down) {
  troupe_test::run([]() -> troupe::task<void> {
    std::vector<std::string> log;
    troupe::queue<int> empty_q;
    auto g = troupe::create_task(getter(empty_q, log, "g"));
    troupe::queue<int> full_q(1);
    full_q.put_nowait(0);
    auto p = troupe::create_task(putter(full_q, 1, log));
    co_await settle();
    empty_q.shutdown();
    full_q.shutdown();
    BOOST_CHECK_THROW(co_await g, troupe::queue_shut_down);
    BOOST_CHECK_THROW(co_await p, troupe::queue_shut_down);
    BOOST_TEST(full_q.get_nowait() == 0);  // what was in stays gettable
    BOOST_TEST(full_q.statistics().shut_down);
  });
}

BOOST_AUTO_TEST_CASE(immediate_shutdown_drops_the_items_and_releases_join) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::queue<int> q;
    for (int i = 0; i < 3; ++i) q.put_nowait(i);
    (void)q.get_nowait();  // one taken, not yet done
    auto j = troupe::create_task(
        [](troupe::queue<int>& qq) -> troupe::task<void> { co_await qq.join(); }(q));
    co_await settle();
    q.shutdown(true);
    BOOST_TEST(q.empty());
    BOOST_CHECK_THROW(q.get_nowait(), troupe::queue_shut_down);
    BOOST_TEST(q.statistics().unfinished_tasks == 1u);  // the one being processed
    co_await settle();
    BOOST_TEST(!j.done());
    q.task_done();
    co_await j;
  });
}

BOOST_AUTO_TEST_CASE(immediate_shutdown_voids_an_item_handed_to_a_getter_that_has_not_resumed) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::queue<int> q;
    std::vector<std::string> log;
    auto g = troupe::create_task(getter(q, log, "g"));
    co_await settle();
    q.put_nowait(1);   // handed to g
    q.shutdown(true);  // dropped before g runs
    BOOST_CHECK_THROW(co_await g, troupe::queue_shut_down);
    BOOST_TEST(q.statistics().unfinished_tasks == 0u);
    co_await q.join();
  });
}

BOOST_AUTO_TEST_CASE(statistics_report_waiting_tasks_and_unfinished_items) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::queue<int> q(1);
    std::vector<std::string> log;
    auto g = troupe::create_task(getter(q, log, "g"));
    co_await settle();
    auto s = q.statistics();
    BOOST_TEST(s.size == 0u);
    BOOST_TEST(s.maxsize == 1u);
    BOOST_TEST(s.tasks_waiting_get == 1u);
    BOOST_TEST(s.tasks_waiting_put == 0u);
    BOOST_TEST(s.unfinished_tasks == 0u);
    BOOST_TEST(!s.shut_down);
    co_await q.put(1);
    co_await g;
    co_await q.put(2);
    auto p = troupe::create_task(putter(q, 3, log));
    co_await settle();
    s = q.statistics();
    BOOST_TEST(s.size == 1u);
    BOOST_TEST(s.tasks_waiting_put == 1u);
    BOOST_TEST(s.tasks_waiting_get == 0u);
    BOOST_TEST(s.unfinished_tasks == 2u);
    (void)q.get_nowait();
    co_await p;
  });
}

BOOST_AUTO_TEST_CASE(move_only_items_go_through) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::queue<std::unique_ptr<std::string>> q(1);
    co_await q.put(std::make_unique<std::string>("hello"));
    auto v = co_await q.get();
    BOOST_TEST(*v == "hello");
  });
}

BOOST_AUTO_TEST_CASE(a_plain_thread_feeds_a_waiting_task_with_put_nowait) {
  // Cross-thread: the getter parks on reactor 0; a std::thread (no reactor)
  // puts; the getter is woken through reactor 0's inbox.
  troupe_test::run([]() -> troupe::task<void> {
    troupe::queue<int> q;
    constexpr int n = 1000;
    std::thread feeder([&q] {
      for (int i = 0; i < n; ++i) q.put_nowait(i);
      q.shutdown();
    });
    long long sum = 0;
    int count = 0;
    try {
      for (;;) {
        sum += co_await q.get();
        ++count;
      }
    } catch (const troupe::queue_shut_down&) {
    }
    feeder.join();
    BOOST_TEST(count == n);
    BOOST_TEST(sum == static_cast<long long>(n) * (n - 1) / 2);
  });
}

BOOST_AUTO_TEST_CASE(a_queue_destroyed_under_a_waiter_wakes_it_with_invalid_state_error) {
  troupe_test::log_capture log;
  troupe_test::run([]() -> troupe::task<void> {
    auto q = std::make_unique<troupe::queue<int>>();
    auto g = troupe::create_task(
        [](troupe::queue<int>& qq) -> troupe::task<int> { co_return co_await qq.get(); }(*q));
    co_await settle();
    q.reset();
    BOOST_CHECK_THROW(co_await g, troupe::invalid_state_error);
  });
  BOOST_TEST(log.contains({"troupe::queue destroyed while 1 task(s) waited"}), log.dump());
}

BOOST_AUTO_TEST_SUITE_END()
