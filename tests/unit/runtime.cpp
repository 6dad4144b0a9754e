// Suite for <troupe/runtime.hpp>: troupe::run.
#include <troupe/runtime.hpp>

#include <boost/test/unit_test.hpp>

#include <dirent.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "troupe_test.hpp"

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

namespace {

troupe::task<int> answer() {
  co_await troupe::yield();
  co_return 42;
}

troupe::task<std::string> greeting() {
  co_await troupe::sleep(1ms);
  co_return "hello";
}

troupe::task<std::unique_ptr<int>> boxed(int v) {
  co_await troupe::yield();
  co_return std::make_unique<int>(v);
}

troupe::task<void> set_flag(bool* flag) {
  *flag = true;
  co_return;
}

troupe::task<int> fails_with_out_of_range() {
  co_await troupe::sleep(1ms);
  throw std::out_of_range("index 7 of 3");
  co_return 0;
}

struct shutdown_report {
  bool started = false;
  bool unwound = false;
  bool finished = false;
  std::string message;
};

troupe::task<void> background(shutdown_report* report) {
  report->started = true;
  try {
    co_await troupe::sleep(10s);
  } catch (const troupe::cancelled_error& e) {
    report->unwound = true;
    report->message = e.what();
    throw;
  }
  report->finished = true;
}

troupe::task<void> swallows_everything(shutdown_report* report) {
  report->started = true;
  for (int i = 0; i < 5; ++i) {
    try {
      co_await troupe::sleep(10s);
    } catch (const troupe::cancelled_error&) {
      report->unwound = true;  // swallowed: tries to sleep again
    }
  }
  report->finished = true;
}

troupe::task<void> spawns_during_cleanup(shutdown_report* outer, shutdown_report* late) {
  try {
    co_await troupe::sleep(10s);
  } catch (const troupe::cancelled_error&) {
    outer->unwound = true;
    (void)troupe::create_task(background(late));  // created while run is closing
    throw;
  }
}

struct actor_report {
  bool handler_unwound = false;
  bool stopped = false;
  std::vector<std::string> order;
};

class worker : public troupe::actor {
 public:
  explicit worker(actor_report* report) : report_(report) {}
  void on_stop() override {
    report_->stopped = true;
    report_->order.push_back("on_stop");
  }
  troupe::task<void> work() {
    try {
      co_await troupe::sleep(10s);
    } catch (const troupe::cancelled_error&) {
      report_->handler_unwound = true;
      report_->order.push_back("handler unwound");
      throw;
    }
  }
  int ping() { return 1; }

 private:
  actor_report* report_;
};

// Threads of this process, from /proc (Linux).
std::size_t thread_count() {
  std::size_t n = 0;
  if (DIR* d = opendir("/proc/self/task")) {
    while (dirent* e = readdir(d))
      if (e->d_name[0] != '.') ++n;
    closedir(d);
  }
  return n;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(runtime)

BOOST_AUTO_TEST_CASE(run_returns_the_value_of_the_task) {
  BOOST_TEST(troupe::run(answer(), troupe_test::test_options()) == 42);
  BOOST_TEST(troupe::run(greeting(), troupe_test::test_options()) == "hello");
  std::unique_ptr<int> p = troupe::run(boxed(3), troupe_test::test_options());
  BOOST_TEST_REQUIRE(p != nullptr);
  BOOST_TEST(*p == 3);
  bool ran = false;
  troupe::run(set_flag(&ran), troupe_test::test_options());
  BOOST_TEST(ran);
}

BOOST_AUTO_TEST_CASE(run_rethrows_the_tasks_exception_with_its_type_and_message) {
  try {
    troupe::run(fails_with_out_of_range(), troupe_test::test_options());
    BOOST_FAIL("expected out_of_range");
  } catch (const std::out_of_range& e) {
    BOOST_TEST(std::string(e.what()) == "index 7 of 3");
  }
}

BOOST_AUTO_TEST_CASE(run_of_an_empty_task_throws_invalid_state_error) {
  BOOST_CHECK_THROW(troupe::run(troupe::task<int>{}), troupe::invalid_state_error);
}

BOOST_AUTO_TEST_CASE(run_can_be_called_again_after_it_returns) {
  for (int i = 0; i < 3; ++i) BOOST_TEST(troupe::run(answer(), troupe_test::test_options()) == 42);
}

BOOST_AUTO_TEST_CASE(run_inside_a_task_throws_logic_error_saying_it_is_on_a_reactor_thread) {
  bool inner_ran = false;
  int r = troupe_test::run([&]() -> troupe::task<int> {
    try {
      troupe::run(set_flag(&inner_ran));
      BOOST_FAIL("expected logic_error");
    } catch (const std::logic_error& e) {
      const std::string what = e.what();
      BOOST_TEST(what.find("troupe::run") != std::string::npos, what);
      BOOST_TEST(what.find("reactor thread") != std::string::npos, what);
    }
    // The reactor is unharmed: it still sleeps and runs tasks.
    co_await troupe::sleep(1ms);
    co_return co_await troupe::create_task(answer());
  });
  BOOST_TEST(r == 42);
  BOOST_TEST(!inner_ran);
}

BOOST_AUTO_TEST_CASE(tasks_left_running_when_run_returns_were_cancelled_and_unwound) {
  shutdown_report report;
  const auto start = steady::now();
  int r = troupe_test::run([&]() -> troupe::task<int> {
    (void)troupe::create_task(background(&report));
    co_await troupe::yield();
    co_return 7;
  });
  BOOST_TEST(r == 7);
  BOOST_TEST(report.started);
  BOOST_TEST(report.unwound);
  BOOST_TEST(!report.finished);
  BOOST_TEST(report.message.find("shutting down") != std::string::npos, report.message);
  BOOST_TEST((steady::now() - start < 2s));  // cancelled, not waited for
}

BOOST_AUTO_TEST_CASE(a_task_cancelled_by_shutdown_ends_cancelled_and_is_not_logged_as_a_failure) {
  troupe_test::log_capture log;
  shutdown_report report;
  bool callback_ran = false;
  bool seen_cancelled = false;
  troupe_test::run([&]() -> troupe::task<void> {
    troupe::future<void> f = troupe::create_task(background(&report));
    f.add_done_callback([&](troupe::future<void>& done) {
      callback_ran = true;
      seen_cancelled = done.cancelled();
    });
    co_await troupe::yield();
  });
  BOOST_TEST(report.unwound);
  BOOST_TEST(callback_ran);
  // Like asyncio: a task ended by cancellation is cancelled, not failed...
  BOOST_TEST(seen_cancelled);
  // ...so it is no "exception never retrieved": cancelling is how run ends
  // leftover work, not a failure of that work.
  BOOST_TEST(log.count({"never retrieved"}) == 0u, log.dump());
}

BOOST_AUTO_TEST_CASE(an_actor_handler_cancelled_by_shutdown_is_not_logged_as_a_failure) {
  troupe_test::log_capture log;
  actor_report report;
  troupe::actor_ref<worker> kept;
  troupe_test::run([&]() -> troupe::task<void> {
    kept = troupe::spawn<worker>(&report);
    kept.tell<&worker::work>();
    co_await troupe::sleep(1ms);
  });
  BOOST_TEST(report.handler_unwound);
  BOOST_TEST(report.stopped);
  BOOST_TEST(log.count({"threw"}) == 0u, log.dump());
  BOOST_TEST(log.count({"never retrieved"}) == 0u, log.dump());
}

BOOST_AUTO_TEST_CASE(run_rethrows_after_cancelling_the_tasks_left) {
  shutdown_report report;
  BOOST_CHECK_THROW(troupe_test::run([&]() -> troupe::task<int> {
                      (void)troupe::create_task(background(&report));
                      co_await troupe::yield();
                      co_return co_await fails_with_out_of_range();
                    }),
                    std::out_of_range);
  BOOST_TEST(report.unwound);
}

BOOST_AUTO_TEST_CASE(run_rethrows_exceptions_not_derived_from_std_exception) {
  try {
    troupe_test::run([]() -> troupe::task<void> {
      co_await troupe::yield();
      throw 42;
    });
    BOOST_FAIL("expected an int");
  } catch (int v) {
    BOOST_TEST(v == 42);
  }
}

BOOST_AUTO_TEST_CASE(a_task_that_swallows_the_shutdown_cancellation_cannot_hold_run_up) {
  shutdown_report report;
  const auto start = steady::now();
  troupe_test::run([&]() -> troupe::task<void> {
    (void)troupe::create_task(swallows_everything(&report));
    co_await troupe::yield();
  });
  BOOST_TEST(report.unwound);
  BOOST_TEST((steady::now() - start < 2s));
}

BOOST_AUTO_TEST_CASE(a_task_created_while_run_shuts_down_is_cancelled_too) {
  shutdown_report outer;
  shutdown_report late;
  const auto start = steady::now();
  troupe_test::run([&]() -> troupe::task<void> {
    (void)troupe::create_task(spawns_during_cleanup(&outer, &late));
    co_await troupe::yield();
  });
  BOOST_TEST(outer.unwound);
  BOOST_TEST((late.unwound || !late.started));
  BOOST_TEST(!late.finished);
  BOOST_TEST((steady::now() - start < 2s));
}

BOOST_AUTO_TEST_CASE(actors_left_when_run_returns_were_stopped_after_their_handlers_unwound) {
  actor_report report;
  troupe::actor_ref<worker> kept;  // still referenced when run returns
  troupe_test::run([&]() -> troupe::task<void> {
    kept = troupe::spawn<worker>(&report);
    kept.tell<&worker::work>();  // suspends for 10 s
    co_await troupe::sleep(1ms);
  });
  BOOST_TEST(report.handler_unwound);
  BOOST_TEST(report.stopped);
  const std::vector<std::string> expected{"handler unwound", "on_stop"};
  BOOST_TEST(report.order == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_idle_actor_still_referenced_when_run_returns_is_stopped) {
  actor_report report;
  troupe::actor_ref<worker> kept;
  troupe_test::run([&]() -> troupe::task<void> {
    kept = troupe::spawn<worker>(&report);
    BOOST_TEST(co_await kept.ask<&worker::ping>() == 1);
  });
  BOOST_TEST(report.stopped);
  BOOST_TEST(!report.handler_unwound);
}

BOOST_AUTO_TEST_CASE(run_with_two_reactors_starts_a_pool_thread_and_joins_it) {
  const std::size_t before = thread_count();
  std::size_t during = 0;
  std::thread::id run_thread;
  std::size_t index = 99;
  int r = troupe_test::run(
      [&]() -> troupe::task<int> {
        during = thread_count();
        run_thread = std::this_thread::get_id();
        index = troupe::this_reactor().index();
        co_await troupe::sleep(2ms);
        co_return co_await troupe::create_task(answer());
      },
      troupe::options{.reactors = 2});
  BOOST_TEST(r == 42);
  BOOST_TEST((run_thread == std::this_thread::get_id()));  // reactor 0 is the caller's thread
  BOOST_TEST(index == 0u);
  // One pool thread, plus the time limit's watchdog thread of troupe_test::run.
  BOOST_TEST(during == before + 2);
  // Joined: the thread goes away (the kernel may list it a moment longer).
  std::size_t after = thread_count();
  for (int i = 0; i < 100 && after != before; ++i) {
    std::this_thread::sleep_for(1ms);
    after = thread_count();
  }
  BOOST_TEST(after == before);
}

BOOST_AUTO_TEST_CASE(run_with_one_reactor_starts_no_pool_thread) {
  const std::size_t before = thread_count();
  std::size_t during = 0;
  troupe_test::run([&]() -> troupe::task<void> {
    during = thread_count();
    co_return;
  });
  BOOST_TEST(during == before + 1);  // only the watchdog
}

BOOST_AUTO_TEST_CASE(run_with_default_options_uses_the_hardware_threads) {
  const std::size_t before = thread_count();
  std::size_t during = 0;
  unsigned hw = std::thread::hardware_concurrency();
  if (hw == 0) hw = 1;
  int r = troupe_test::run(
      [&]() -> troupe::task<int> {
        during = thread_count();
        co_return co_await troupe::create_task(answer());
      },
      troupe::options{});
  BOOST_TEST(r == 42);
  BOOST_TEST(during == before + 1 + (hw - 1));
}

BOOST_AUTO_TEST_SUITE_END()
