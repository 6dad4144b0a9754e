// Suite for <troupe/errors.hpp>: the exceptions troupe raises.
#include <troupe/errors.hpp>

#include <boost/test/unit_test.hpp>

#include <stdexcept>
#include <string>
#include <type_traits>

#include "troupe_test.hpp"

using namespace std::chrono_literals;

namespace {

template <class E>
constexpr bool is_troupe_error =
    std::is_base_of_v<troupe::error, E>&& std::is_base_of_v<std::runtime_error, E>;

template <class E>
void check_caught_as_base(const char* text) {
  try {
    throw E(text);
  } catch (const troupe::error& e) {
    BOOST_TEST(std::string(e.what()) == text);
    BOOST_TEST((dynamic_cast<const E*>(&e) != nullptr));
    return;
  }
  BOOST_FAIL("not caught as troupe::error");
}

troupe::task<int> napping_task() {
  co_await troupe::sleep(10s);
  co_return 0;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(errors)

BOOST_AUTO_TEST_CASE(every_troupe_exception_derives_from_troupe_error_and_runtime_error) {
  static_assert(std::is_base_of_v<std::runtime_error, troupe::error>);
  static_assert(is_troupe_error<troupe::cancelled_error>);
  static_assert(is_troupe_error<troupe::timeout_error>);
  static_assert(is_troupe_error<troupe::actor_stopped>);
  static_assert(is_troupe_error<troupe::invalid_state_error>);
  // Distinct kinds: catching one does not catch another.
  static_assert(!std::is_base_of_v<troupe::cancelled_error, troupe::timeout_error>);
  static_assert(!std::is_base_of_v<troupe::timeout_error, troupe::cancelled_error>);
  check_caught_as_base<troupe::cancelled_error>("c");
  check_caught_as_base<troupe::timeout_error>("t");
  check_caught_as_base<troupe::actor_stopped>("a");
  check_caught_as_base<troupe::invalid_state_error>("i");
}

BOOST_AUTO_TEST_CASE(a_cancelled_error_names_the_task_and_why) {
  std::string inside;
  std::string outside;
  troupe_test::run([&]() -> troupe::task<void> {
    troupe::future<int> f = troupe::create_task(napping_task());
    co_await troupe::yield();
    f.cancel();
    try {
      co_await f;
    } catch (const troupe::cancelled_error& e) {
      outside = e.what();
    }
    // What the task itself saw is in its own cancelled_error.
    troupe::future<int> g = troupe::create_task([](std::string* seen) -> troupe::task<int> {
      try {
        co_await troupe::sleep(10s);
      } catch (const troupe::cancelled_error& e) {
        *seen = e.what();
        throw;
      }
      co_return 0;
    }(&inside));
    co_await troupe::yield();
    g.cancel();
    for (int i = 0; i < 3 && inside.empty(); ++i) co_await troupe::yield();
  });
  BOOST_TEST(outside.find("napping_task") != std::string::npos, outside);
  BOOST_TEST(outside.find("cancelled") != std::string::npos, outside);
  BOOST_TEST(inside.find("task") != std::string::npos, inside);
  BOOST_TEST(inside.find("cancelled by its caller") != std::string::npos, inside);
}

BOOST_AUTO_TEST_SUITE_END()
