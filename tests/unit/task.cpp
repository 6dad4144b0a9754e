// Suite for <troupe/task.hpp>.
#include <troupe/task.hpp>

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "troupe_test.hpp"

using namespace std::chrono_literals;

namespace {

troupe::task<void> set_flag(bool* flag) {
  *flag = true;
  co_return;
}

troupe::task<int> leaf(int n) { co_return n * 2; }

troupe::task<int> middle(int n) { co_return co_await leaf(n) + 1; }

troupe::task<int> top(int n) { co_return co_await middle(n) + co_await middle(n + 1); }

troupe::task<int> suspending_leaf(int n) {
  co_await troupe::sleep(1ms);
  co_return n;
}

troupe::task<int> suspending_middle(int n) {
  co_await troupe::yield();
  co_return co_await suspending_leaf(n) * 10;
}

troupe::task<int> throwing_leaf(std::string why) {
  throw std::out_of_range(why);
  co_return 0;
}

troupe::task<int> throwing_after_suspension(std::string why) {
  co_await troupe::yield();
  throw std::length_error(why);
  co_return 0;
}

troupe::task<int> rethrowing_middle(std::string why) { co_return co_await throwing_leaf(why); }

troupe::task<void> yielding() { co_await troupe::yield(); }

troupe::task<void> append(std::vector<int>* out, int v) {
  co_await troupe::yield();
  out->push_back(v);
}

troupe::task<std::unique_ptr<int>> make_unique_int(int v) {
  co_await troupe::yield();
  co_return std::make_unique<int>(v);
}

// The frame address of a plain function called from inside a task: it is
// where the task's body runs on the thread's stack.
[[gnu::noinline]] std::uintptr_t stack_position() {
  return reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
}

troupe::task<int> ready(int i, std::uintptr_t* where) {
  *where = stack_position();
  co_return i & 1;
}

troupe::task<int> ready_nested(int i, std::uintptr_t* where) { co_return co_await ready(i, where); }

}  // namespace

BOOST_AUTO_TEST_SUITE(task)

BOOST_AUTO_TEST_CASE(a_task_does_nothing_until_it_is_awaited) {
  troupe_test::run([]() -> troupe::task<void> {
    bool ran = false;
    troupe::task<void> t = set_flag(&ran);
    BOOST_TEST(t.valid());
    co_await troupe::yield();
    co_await troupe::sleep(2ms);
    BOOST_TEST(!ran);  // not started by the reactor behind our back
    co_await std::move(t);
    BOOST_TEST(ran);
  });
}

BOOST_AUTO_TEST_CASE(a_task_destroyed_without_being_awaited_never_runs) {
  bool ran = false;
  { troupe::task<void> t = set_flag(&ran); }
  BOOST_TEST(!ran);
  // Also on a reactor.
  troupe_test::run([&]() -> troupe::task<void> {
    { troupe::task<void> t = set_flag(&ran); }
    co_await troupe::yield();
    BOOST_TEST(!ran);
  });
}

BOOST_AUTO_TEST_CASE(values_propagate_through_nested_co_awaits) {
  int r = troupe_test::run([]() -> troupe::task<int> { co_return co_await top(3); });
  BOOST_TEST(r == (3 * 2 + 1) + (4 * 2 + 1));
}

BOOST_AUTO_TEST_CASE(values_propagate_through_nested_co_awaits_that_suspend) {
  int r = troupe_test::run([]() -> troupe::task<int> { co_return co_await suspending_middle(4); });
  BOOST_TEST(r == 40);
}

BOOST_AUTO_TEST_CASE(exceptions_propagate_through_nested_co_awaits_with_their_type) {
  troupe_test::run([]() -> troupe::task<void> {
    try {
      co_await rethrowing_middle("no such index");
      BOOST_FAIL("expected out_of_range");
    } catch (const std::out_of_range& e) {
      BOOST_TEST(std::string(e.what()) == "no such index");
    }
    try {
      co_await throwing_after_suspension("too long");
      BOOST_FAIL("expected length_error");
    } catch (const std::length_error& e) {
      BOOST_TEST(std::string(e.what()) == "too long");
    }
  });
}

BOOST_AUTO_TEST_CASE(an_exception_escaping_the_top_task_reaches_the_caller_of_run) {
  BOOST_CHECK_THROW(
      troupe_test::run([]() -> troupe::task<int> { co_return co_await rethrowing_middle("x"); }),
      std::out_of_range);
}

BOOST_AUTO_TEST_CASE(void_tasks_run_in_order_when_awaited_in_sequence) {
  std::vector<int> seen = troupe_test::run([]() -> troupe::task<std::vector<int>> {
    std::vector<int> out;
    co_await append(&out, 1);
    co_await append(&out, 2);
    troupe::task<void> third = append(&out, 3);
    co_await third;  // as an lvalue
    co_return out;
  });
  const std::vector<int> expected{1, 2, 3};
  BOOST_TEST(seen == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_move_only_result_is_moved_out_to_the_awaiter) {
  int r = troupe_test::run([]() -> troupe::task<int> {
    std::unique_ptr<int> p = co_await make_unique_int(17);
    BOOST_TEST_REQUIRE(p != nullptr);
    co_return *p;
  });
  BOOST_TEST(r == 17);
  std::unique_ptr<int> p =
      troupe_test::run([]() -> troupe::task<std::unique_ptr<int>> { return make_unique_int(5); });
  BOOST_TEST_REQUIRE(p != nullptr);
  BOOST_TEST(*p == 5);
}

BOOST_AUTO_TEST_CASE(awaiting_a_task_twice_throws_invalid_state_error) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::task<int> t = leaf(4);
    BOOST_TEST(co_await t == 8);
    BOOST_CHECK_THROW(co_await t, troupe::invalid_state_error);

    troupe::task<int> suspends = suspending_leaf(1);
    BOOST_TEST(co_await suspends == 1);
    BOOST_CHECK_THROW(co_await suspends, troupe::invalid_state_error);

    // A failed task does not rethrow its exception a second time either.
    troupe::task<int> failing = throwing_leaf("once");
    BOOST_CHECK_THROW(co_await failing, std::out_of_range);
    BOOST_CHECK_THROW(co_await failing, troupe::invalid_state_error);
  });
}

BOOST_AUTO_TEST_CASE(awaiting_an_empty_task_throws_invalid_state_error) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::task<int> empty;
    BOOST_TEST(!empty.valid());
    BOOST_CHECK_THROW(co_await empty, troupe::invalid_state_error);

    troupe::task<void> moved_from = yielding();
    troupe::task<void> target = std::move(moved_from);
    BOOST_TEST(!moved_from.valid());  // NOLINT(bugprone-use-after-move): the point of the test
    BOOST_CHECK_THROW(co_await moved_from, troupe::invalid_state_error);
    co_await target;
  });
}

BOOST_AUTO_TEST_CASE(move_assignment_destroys_the_task_it_replaces_without_running_it) {
  bool first = false;
  bool second = false;
  troupe_test::run([&]() -> troupe::task<void> {
    troupe::task<void> t = set_flag(&first);
    t = set_flag(&second);
    co_await t;
  });
  BOOST_TEST(!first);
  BOOST_TEST(second);
}

BOOST_AUTO_TEST_CASE(two_million_co_awaits_of_ready_tasks_in_a_loop_do_not_grow_the_stack) {
  troupe_test::run([]() -> troupe::task<void> {
    constexpr int iterations = 2'000'000;
    std::uintptr_t first = 0;
    std::uintptr_t last = 0;
    long sum = 0;
    for (int i = 0; i < iterations; ++i) {
      std::uintptr_t where = 0;
      sum += co_await ready(i, &where);
      if (i == 0) first = where;
      last = where;
    }
    BOOST_TEST(sum == iterations / 2);
    BOOST_TEST(first != 0u);
    // Every ready task ran at the same depth: nothing was left on the stack.
    BOOST_TEST(last == first);

    // The same through a nested ready task.
    std::uintptr_t nested_first = 0;
    std::uintptr_t nested_last = 0;
    for (int i = 0; i < iterations / 4; ++i) {
      std::uintptr_t where = 0;
      sum += co_await ready_nested(i, &where);
      if (i == 0) nested_first = where;
      nested_last = where;
    }
    BOOST_TEST(nested_last == nested_first);
  });
}

BOOST_AUTO_TEST_SUITE_END()
