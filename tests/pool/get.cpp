// Suite for troupe::future<T>::get(): blocking waits from plain threads.
#include <troupe/future.hpp>

#include <boost/test/unit_test.hpp>

#include <stdexcept>
#include <string>
#include <thread>

#include "troupe_test.hpp"

using namespace std::chrono_literals;

namespace {

class greeter : public troupe::actor {
 public:
  std::string greet(std::string who) { return "hello " + who; }
  troupe::task<int> slowly(int n) {
    co_await troupe::sleep(20ms);
    co_return n * 2;
  }
  void fail() { throw std::invalid_argument("bad name"); }
  troupe::task<int> forever() {
    co_await troupe::sleep(1h);
    co_return 0;
  }
};

// Runs `body(ref)` on a plain thread while the main task waits for it.
template <class Body>
troupe::task<void> from_plain_thread(troupe::actor_ref<greeter> ref, Body body) {
  troupe::event done;
  std::thread t([&] {
    body(ref);
    done.set();
  });
  co_await done.wait();
  t.join();
}

}  // namespace

BOOST_AUTO_TEST_CASE(get_on_a_plain_thread_waits_for_the_reply_of_an_ask) {
  std::string greeting;
  int doubled = 0;
  troupe_test::run([&]() -> troupe::task<void> {
    co_await from_plain_thread(troupe::spawn<greeter>(), [&](troupe::actor_ref<greeter> g) {
      greeting = g.ask<&greeter::greet>("thread").get();
      doubled = g.ask<&greeter::slowly>(21).get();
    });
  });
  BOOST_TEST(greeting == "hello thread");
  BOOST_TEST(doubled == 42);
}

BOOST_AUTO_TEST_CASE(get_rethrows_the_handlers_exception) {
  std::string what;
  troupe_test::run([&]() -> troupe::task<void> {
    co_await from_plain_thread(troupe::spawn<greeter>(), [&](troupe::actor_ref<greeter> g) {
      try {
        g.ask<&greeter::fail>().get();
      } catch (const std::invalid_argument& e) {
        what = e.what();
      }
    });
  });
  BOOST_TEST(what == "bad name");
}

BOOST_AUTO_TEST_CASE(get_of_a_future_cancelled_from_its_own_thread_throws_cancelled_error) {
  bool cancelled = false;
  troupe_test::run([&]() -> troupe::task<void> {
    co_await from_plain_thread(troupe::spawn<greeter>(), [&](troupe::actor_ref<greeter> g) {
      auto f = g.ask<&greeter::forever>();
      f.cancel();
      try {
        (void)f.get();
      } catch (const troupe::cancelled_error&) {
        cancelled = true;
      }
    });
  });
  BOOST_TEST(cancelled);
}

BOOST_AUTO_TEST_CASE(get_on_a_reactor_thread_throws_logic_error_instead_of_deadlocking) {
  std::string what = troupe_test::run([]() -> troupe::task<std::string> {
    auto g = troupe::spawn<greeter>();
    auto f = g.ask<&greeter::slowly>(1);
    try {
      (void)f.get();
    } catch (const std::logic_error& e) {
      co_return e.what();
    }
    co_return "returned";
  });
  BOOST_TEST(what.find("reactor 0") != std::string::npos, what);
  BOOST_TEST(what.find("co_await") != std::string::npos, what);
}
