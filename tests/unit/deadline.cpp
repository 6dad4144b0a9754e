// Suite for deadlines carried by requests: wait_for stamps its deadline on
// the request, nested requests inherit it, and a request whose deadline has
// passed before it is handled is dropped. Runs on the virtual clock.
#include <troupe/troupe.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <string>

#include "troupe_test.hpp"

using namespace std::chrono_literals;
using time_point = std::chrono::steady_clock::time_point;

namespace {

troupe::options virtual_options() {
  return troupe::options{.reactors = 1, .clock = troupe::clock_kind::virtual_time};
}

class backend : public troupe::actor {
 public:
  troupe::task<time_point> deadline_seen() {
    co_await troupe::yield();
    co_return troupe::current_task()->deadline;
  }
  troupe::task<void> busy(std::chrono::milliseconds d) { co_await troupe::sleep(d); }
  int work() { return ++handled_; }
  int handled() const { return handled_; }

 private:
  int handled_ = 0;
};

class frontend : public troupe::actor {
 public:
  explicit frontend(troupe::actor_ref<backend> b) : backend_(std::move(b)) {}
  troupe::task<time_point> relay_deadline() {
    co_return co_await backend_.ask<&backend::deadline_seen>();
  }
  // Returns at once, leaving a task (which inherits this request's
  // deadline) to ask the backend.
  void relay_later() { pending_ = troupe::create_task(relay(backend_, &outcome_)); }
  troupe::task<std::string> outcome() {
    co_await pending_;
    co_return outcome_;
  }

 private:
  static troupe::task<void> relay(troupe::actor_ref<backend> b, std::string* out) {
    try {
      co_await b.ask<&backend::work>();
      *out = "handled";
    } catch (const troupe::timeout_error& e) {
      *out = std::string("timeout: ") + e.what();
    }
  }

  troupe::actor_ref<backend> backend_;
  troupe::future<void> pending_;
  std::string outcome_;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(deadline)

BOOST_AUTO_TEST_CASE(a_request_made_while_handling_one_inherits_its_deadline) {
  troupe_test::run(
      []() -> troupe::task<void> {
        auto b = troupe::spawn<backend>();
        auto f = troupe::spawn<frontend>(b);
        const time_point expected = troupe::this_reactor().now() + 500ms;
        const time_point seen = co_await troupe::wait_for(f.ask<&frontend::relay_deadline>(), 500ms);
        BOOST_TEST((seen == expected));
        // Without wait_for there is no deadline to inherit.
        const time_point none = co_await f.ask<&frontend::relay_deadline>();
        BOOST_TEST((none == time_point::max()));
      },
      virtual_options());
}

BOOST_AUTO_TEST_CASE(a_queued_request_whose_deadline_passed_is_dropped_unrun) {
  troupe_test::run(
      []() -> troupe::task<void> {
        auto b = troupe::spawn<backend>();
        auto occupied = b.ask<&backend::busy>(100ms);  // the actor is busy for 100 ms
        BOOST_CHECK_THROW(co_await troupe::wait_for(b.ask<&backend::work>(), 10ms),
                          troupe::timeout_error);
        co_await occupied;
        BOOST_TEST(co_await b.ask<&backend::handled>() == 0);  // never ran
      },
      virtual_options());
}

BOOST_AUTO_TEST_CASE(a_nested_request_reaching_a_busy_actor_too_late_fails_with_timeout_error) {
  troupe_test::run(
      []() -> troupe::task<void> {
        auto b = troupe::spawn<backend>();
        auto f = troupe::spawn<frontend>(b);
        auto occupied = b.ask<&backend::busy>(100ms);
        // The frontend's request gets 20 ms and returns in time; the task it
        // leaves behind inherits the deadline, and its request waits behind
        // the busy backend past it, so it is dropped there with the reason.
        co_await troupe::wait_for(f.ask<&frontend::relay_later>(), 20ms);
        co_await occupied;
        const std::string outcome = co_await f.ask<&frontend::outcome>();
        BOOST_TEST(outcome.find("timeout: ask") == 0u, outcome);
        BOOST_TEST(outcome.find("backend::work") != std::string::npos, outcome);
        BOOST_TEST(outcome.find("dropped unhandled") != std::string::npos, outcome);
        BOOST_TEST(outcome.find("deadline.cpp") != std::string::npos, outcome);  // where it was set
        BOOST_TEST(co_await b.ask<&backend::handled>() == 0);
      },
      virtual_options());
}

BOOST_AUTO_TEST_SUITE_END()
