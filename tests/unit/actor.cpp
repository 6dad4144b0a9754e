// Suite for <troupe/actor.hpp>, <troupe/actor_ref.hpp> and <troupe/spawn.hpp>.
#include <troupe/actor.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "troupe_test.hpp"

using namespace std::chrono_literals;

namespace {

class counter : public troupe::actor {
 public:
  int add(int n) { return total_ += n; }
  int total() const { return total_; }
  troupe::task<int> slow_add(int n) {
    co_await troupe::sleep(5ms);
    co_return total_ += n;
  }
  void fail(std::string why) { throw std::runtime_error(why); }
  troupe::task<void> fail_later(std::string why) {
    co_await troupe::yield();
    throw std::out_of_range(why);
  }
  void halt() { stop(); }

 private:
  int total_ = 0;
};

struct lifecycle_log {
  std::vector<std::string> events;
};

class observed : public troupe::actor {
 public:
  explicit observed(lifecycle_log* log) : log_(log) {}
  ~observed() override { log_->events.push_back("destroyed"); }
  void on_start() override { log_->events.push_back("start"); }
  void on_stop() override { log_->events.push_back("stop"); }
  void note(std::string what) { log_->events.push_back(what); }

 private:
  lifecycle_log* log_;
};

// Records the order in which coroutine handlers enter and leave.
class serial : public troupe::actor {
 public:
  troupe::task<void> step(int i) {
    trace_.push_back("enter " + std::to_string(i));
    co_await troupe::sleep(1ms);
    trace_.push_back("leave " + std::to_string(i));
  }
  std::vector<std::string> trace() const { return trace_; }

 private:
  std::vector<std::string> trace_;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(actor)

BOOST_AUTO_TEST_CASE(ask_returns_the_handlers_reply) {
  int r = troupe_test::run([]() -> troupe::task<int> {
    auto c = troupe::spawn<counter>();
    co_return co_await c.ask<&counter::add>(40) + co_await c.ask<&counter::add>(2);
  });
  BOOST_TEST(r == 40 + 42);
}

BOOST_AUTO_TEST_CASE(a_coroutine_handlers_task_is_unwrapped_in_the_reply) {
  int r = troupe_test::run([]() -> troupe::task<int> {
    auto c = troupe::spawn<counter>();
    troupe::future<int> f = c.ask<&counter::slow_add>(7);
    co_return co_await f;
  });
  BOOST_TEST(r == 7);
}

BOOST_AUTO_TEST_CASE(messages_from_one_sender_are_handled_in_order_exactly_once) {
  int r = troupe_test::run([]() -> troupe::task<int> {
    auto c = troupe::spawn<counter>();
    for (int i = 1; i <= 10000; ++i) c.tell<&counter::add>(i);
    co_return co_await c.ask<&counter::total>();
  });
  BOOST_TEST(r == 10000 * 10001 / 2);
}

BOOST_AUTO_TEST_CASE(coroutine_handlers_of_one_actor_never_interleave) {
  auto trace = troupe_test::run([]() -> troupe::task<std::vector<std::string>> {
    auto s = troupe::spawn<serial>();
    auto a = s.ask<&serial::step>(1);
    auto b = s.ask<&serial::step>(2);
    co_await a;
    co_await b;
    co_return co_await s.ask<&serial::trace>();
  });
  const std::vector<std::string> expected{"enter 1", "leave 1", "enter 2", "leave 2"};
  BOOST_TEST(trace == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_handler_exception_reaches_the_asker_with_its_type_and_message) {
  troupe_test::run([]() -> troupe::task<void> {
    auto c = troupe::spawn<counter>();
    try {
      co_await c.ask<&counter::fail>(std::string("disk full"));
      BOOST_FAIL("expected an exception");
    } catch (const std::runtime_error& e) {
      BOOST_TEST(std::string(e.what()) == "disk full");
    }
    try {
      co_await c.ask<&counter::fail_later>(std::string("index 9"));
      BOOST_FAIL("expected an exception");
    } catch (const std::out_of_range& e) {
      BOOST_TEST(std::string(e.what()) == "index 9");
    }
    // The actor is still usable after a failed ask.
    BOOST_TEST(co_await c.ask<&counter::add>(1) == 1);
  });
}

BOOST_AUTO_TEST_CASE(an_ask_to_a_stopped_actor_raises_actor_stopped_naming_actor_and_handler) {
  troupe_test::run([]() -> troupe::task<void> {
    auto c = troupe::spawn<counter>();
    co_await c.ask<&counter::halt>();
    try {
      co_await c.ask<&counter::add>(1);
      BOOST_FAIL("expected actor_stopped");
    } catch (const troupe::actor_stopped& e) {
      const std::string what = e.what();
      BOOST_TEST(what.find("counter::add") != std::string::npos, what);
      BOOST_TEST(what.find("counter#" + std::to_string(c.id())) != std::string::npos, what);
      BOOST_TEST(what.find("request") != std::string::npos, what);
    }
  });
}

BOOST_AUTO_TEST_CASE(messages_queued_when_an_actor_stops_are_rejected_not_lost) {
  troupe_test::log_capture log;
  troupe_test::run([]() -> troupe::task<void> {
    auto c = troupe::spawn<counter>();
    c.tell<&counter::halt>();
    auto queued = c.ask<&counter::add>(5);  // behind the halt in the mailbox
    c.tell<&counter::add>(6);
    BOOST_CHECK_THROW(co_await queued, troupe::actor_stopped);
  });
  BOOST_TEST(log.contains({"dead letter", "counter::add", "counter#"}), log.dump());
}

BOOST_AUTO_TEST_CASE(a_tell_to_a_stopped_actor_is_logged_as_a_dead_letter) {
  troupe_test::log_capture log;
  troupe_test::run([]() -> troupe::task<void> {
    auto c = troupe::spawn<counter>();
    co_await c.ask<&counter::halt>();
    c.tell<&counter::add>(1);
    co_await troupe::yield();
  });
  BOOST_TEST(log.count({"dead letter", "counter::add"}) == 1u, log.dump());
}

BOOST_AUTO_TEST_CASE(on_start_runs_first_and_on_stop_runs_once_before_destruction) {
  lifecycle_log events;
  troupe_test::run([&]() -> troupe::task<void> {
    auto o = troupe::spawn<observed>(&events);
    co_await o.ask<&observed::note>(std::string("message"));
  });
  const std::vector<std::string> expected{"start", "message", "stop", "destroyed"};
  BOOST_TEST(events.events == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_actor_nobody_references_is_stopped_and_destroyed_promptly) {
  lifecycle_log events;
  troupe_test::run([&]() -> troupe::task<void> {
    {
      auto o = troupe::spawn<observed>(&events);
      o.tell<&observed::note>(std::string("last words"));
    }
    for (int i = 0; i < 4; ++i) co_await troupe::yield();
    const std::vector<std::string> expected{"start", "last words", "stop", "destroyed"};
    BOOST_TEST(events.events == expected, boost::test_tools::per_element());
  });
}

BOOST_AUTO_TEST_CASE(actors_dropped_as_run_finishes_are_stopped_once_without_delaying_shutdown) {
  lifecycle_log events;
  const auto start = std::chrono::steady_clock::now();
  troupe_test::run([&]() -> troupe::task<void> {
    auto kept = troupe::spawn<observed>(&events);  // dropped when the main task ends
    std::vector<troupe::actor_ref<observed>> many;
    for (int i = 0; i < 1000; ++i) many.push_back(troupe::spawn<observed>(&events));
    co_await troupe::yield();
  });
  const auto took = std::chrono::steady_clock::now() - start;
  BOOST_TEST(std::count(events.events.begin(), events.events.end(), "start") == 1001);
  BOOST_TEST(std::count(events.events.begin(), events.events.end(), "stop") == 1001);
  BOOST_TEST(std::count(events.events.begin(), events.events.end(), "destroyed") == 1001);
  BOOST_TEST(took < std::chrono::seconds(2));
}

BOOST_AUTO_TEST_CASE(a_tell_handler_exception_is_logged_with_actor_and_handler) {
  troupe_test::log_capture log;
  troupe_test::run([]() -> troupe::task<void> {
    auto c = troupe::spawn<counter>();
    c.tell<&counter::fail>(std::string("bad input"));
    BOOST_TEST(co_await c.ask<&counter::add>(2) == 2);  // resumed by default
  });
  BOOST_TEST(log.contains({"counter#", "counter::fail", "bad input"}), log.dump());
}

namespace {
class fragile : public troupe::actor {
 public:
  void fail() { throw std::runtime_error("broken"); }
  int ping() { return 1; }
  troupe::failure_action on_failure(std::string_view, std::exception_ptr) override {
    return troupe::failure_action::stop;
  }
};
}  // namespace

BOOST_AUTO_TEST_CASE(on_failure_returning_stop_stops_the_actor) {
  troupe_test::run([]() -> troupe::task<void> {
    auto f = troupe::spawn<fragile>();
    f.tell<&fragile::fail>();
    BOOST_CHECK_THROW(co_await f.ask<&fragile::ping>(), troupe::actor_stopped);
  });
}

namespace {
class pinger : public troupe::actor {
 public:
  troupe::task<int> bounce(int n) {
    if (n == 0) co_return 0;
    // self() is untyped; its handler is checked when delivered.
    self().tell<&pinger::count>();
    co_return 1 + n;
  }
  void count() { ++counted_; }
  int counted() const { return counted_; }

 private:
  int counted_ = 0;
};
}  // namespace

BOOST_AUTO_TEST_CASE(an_actor_can_tell_itself_through_self) {
  int r = troupe_test::run([]() -> troupe::task<int> {
    auto p = troupe::spawn<pinger>();
    co_await p.ask<&pinger::bounce>(3);
    co_await p.ask<&pinger::bounce>(3);
    co_return co_await p.ask<&pinger::counted>();
  });
  BOOST_TEST(r == 2);
}

BOOST_AUTO_TEST_CASE(an_untyped_ref_to_an_actor_without_that_handler_fails_clearly) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::actor_ref<troupe::actor> any = troupe::spawn<counter>();
    try {
      co_await any.ask<&pinger::counted>();
      BOOST_FAIL("expected invalid_argument");
    } catch (const std::invalid_argument& e) {
      const std::string what = e.what();
      BOOST_TEST(what.find("pinger::counted") != std::string::npos, what);
      BOOST_TEST(what.find("counter#") != std::string::npos, what);
    }
  });
}

BOOST_AUTO_TEST_CASE(an_empty_actor_ref_is_default_constructible_and_refuses_messages) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::actor_ref<counter> none;
    BOOST_TEST(!none);
    BOOST_TEST(none.id() == 0u);
    BOOST_CHECK_THROW(none.tell<&counter::add>(1), troupe::invalid_state_error);
    BOOST_CHECK_THROW((void)none.ask<&counter::add>(1), troupe::invalid_state_error);
    auto c = troupe::spawn<counter>();
    troupe::actor_ref<counter> copy = c;
    BOOST_TEST((copy == c));
    none = copy;
    BOOST_TEST(co_await none.ask<&counter::add>(3) == 3);
    co_return;
  });
}

BOOST_AUTO_TEST_CASE(spawn_outside_a_reactor_thread_throws_logic_error) {
  BOOST_CHECK_THROW((void)troupe::spawn<counter>(), std::logic_error);
}

BOOST_AUTO_TEST_CASE(cancelling_a_queued_request_drops_it_unrun) {
  troupe_test::run([]() -> troupe::task<void> {
    auto c = troupe::spawn<counter>();
    auto f = c.ask<&counter::add>(100);
    BOOST_TEST(f.cancel());
    BOOST_TEST(f.cancelled());
    BOOST_CHECK_THROW(co_await f, troupe::cancelled_error);
    BOOST_TEST(co_await c.ask<&counter::total>() == 0);  // never ran
  });
}

namespace {
class sleeper : public troupe::actor {
 public:
  troupe::task<int> nap() {
    try {
      co_await troupe::sleep(10s);
    } catch (const troupe::cancelled_error&) {
      cleaned_up_ = true;
      throw;
    }
    co_return 1;
  }
  troupe::task<int> stubborn() {
    try {
      co_await troupe::sleep(50ms);
    } catch (const troupe::cancelled_error&) {
      // swallowed: keeps working anyway
    }
    co_await troupe::sleep(20ms);
    co_return 2;
  }
  bool cleaned_up() const { return cleaned_up_; }

 private:
  bool cleaned_up_ = false;
};
}  // namespace

BOOST_AUTO_TEST_CASE(cancelling_a_suspended_handler_raises_cancelled_error_there) {
  troupe_test::run([]() -> troupe::task<void> {
    auto s = troupe::spawn<sleeper>();
    auto f = s.ask<&sleeper::nap>();
    co_await troupe::sleep(2ms);
    BOOST_TEST(f.cancel());
    BOOST_CHECK_THROW(co_await f, troupe::cancelled_error);
    BOOST_TEST(co_await s.ask<&sleeper::cleaned_up>());
  });
}

BOOST_AUTO_TEST_CASE(a_handler_that_swallows_cancellation_cannot_hang_its_caller) {
  troupe_test::run([]() -> troupe::task<void> {
    auto s = troupe::spawn<sleeper>();
    auto f = s.ask<&sleeper::stubborn>();
    co_await troupe::sleep(2ms);
    f.cancel();
    BOOST_CHECK_THROW(co_await f, troupe::cancelled_error);  // at once, not after 20 ms
  });
}

BOOST_AUTO_TEST_CASE(handler_names_come_from_the_member_pointer) {
  BOOST_TEST(troupe::detail::handler_name<&counter::add>() == "{anonymous}::counter::add");
  BOOST_TEST(troupe::detail::type_name<counter>() == "{anonymous}::counter");
}

BOOST_AUTO_TEST_SUITE_END()
