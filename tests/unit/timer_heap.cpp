// Suite for <troupe/detail/timer_heap.hpp>: a reactor's timers.
#include <troupe/detail/timer_heap.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstddef>
#include <deque>
#include <random>
#include <set>
#include <utility>
#include <vector>

using troupe::detail::timer_node;
using namespace std::chrono_literals;

namespace {

const troupe::detail::time_point epoch{};

// Timers whose deadlines are `epoch + ms`, kept at stable addresses.
struct timers {
  std::deque<timer_node> nodes;
  timer_node& make(int ms) {
    timer_node& n = nodes.emplace_back();
    n.deadline_ = epoch + std::chrono::milliseconds(ms);
    return n;
  }
  std::size_t index_of(const timer_node* n) const {
    for (std::size_t i = 0; i < nodes.size(); ++i)
      if (&nodes[i] == n) return i;
    return nodes.size();
  }
};

std::vector<std::size_t> drain(troupe::detail::timer_heap& heap, const timers& t) {
  std::vector<std::size_t> order;
  while (!heap.empty()) {
    timer_node* n = heap.pop();
    BOOST_TEST(!n->queued());
    order.push_back(t.index_of(n));
  }
  return order;
}

}  // namespace

// The suite lives in a namespace of its own, so that its name can be the
// header's without hiding the class it tests.
namespace suites {
BOOST_AUTO_TEST_SUITE(timer_heap)

BOOST_AUTO_TEST_CASE(a_new_heap_is_empty) {
  troupe::detail::timer_heap heap;
  BOOST_TEST(heap.empty());
  BOOST_TEST(heap.size() == 0u);
  timer_node n;
  BOOST_TEST(!n.queued());
  BOOST_TEST(!heap.remove(&n));  // not queued: nothing to remove
}

BOOST_AUTO_TEST_CASE(timers_pop_in_deadline_order_whatever_the_push_order) {
  timers t;
  troupe::detail::timer_heap heap;
  for (int ms : {50, 10, 40, 20, 30, 0, 60}) heap.push(&t.make(ms));
  BOOST_TEST(heap.size() == 7u);
  BOOST_TEST((heap.top()->deadline_ == epoch));
  // Node indices in deadline order: 0 ms is node 5, 10 ms node 1, ...
  const std::vector<std::size_t> expected{5, 1, 3, 4, 2, 0, 6};
  BOOST_TEST(drain(heap, t) == expected, boost::test_tools::per_element());
  BOOST_TEST(heap.empty());
}

BOOST_AUTO_TEST_CASE(timers_with_equal_deadlines_pop_in_push_order) {
  timers t;
  troupe::detail::timer_heap heap;
  for (int i = 0; i < 20; ++i) heap.push(&t.make(i % 2 == 0 ? 5 : 7));
  std::vector<std::size_t> expected;
  for (std::size_t i = 0; i < 20; i += 2) expected.push_back(i);
  for (std::size_t i = 1; i < 20; i += 2) expected.push_back(i);
  BOOST_TEST(drain(heap, t) == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(remove_takes_a_timer_out_of_the_middle_and_keeps_the_order) {
  timers t;
  troupe::detail::timer_heap heap;
  for (int ms = 0; ms < 15; ++ms) heap.push(&t.make(ms * 10));
  BOOST_TEST(heap.remove(&t.nodes[7]));
  BOOST_TEST(!t.nodes[7].queued());
  BOOST_TEST(!heap.remove(&t.nodes[7]));  // a second remove finds nothing
  BOOST_TEST(heap.remove(&t.nodes[0]));   // the top
  BOOST_TEST(heap.remove(&t.nodes[14]));  // the last
  BOOST_TEST(heap.size() == 12u);
  const std::vector<std::size_t> expected{1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13};
  BOOST_TEST(drain(heap, t) == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_popped_or_removed_timer_can_be_pushed_again) {
  timers t;
  troupe::detail::timer_heap heap;
  timer_node& a = t.make(10);
  timer_node& b = t.make(20);
  heap.push(&a);
  heap.push(&b);
  BOOST_TEST(heap.pop() == &a);
  a.deadline_ = epoch + 30ms;
  heap.push(&a);
  BOOST_TEST(heap.remove(&b));
  heap.push(&b);  // same deadline class as before, pushed last
  BOOST_TEST(heap.pop() == &b);
  BOOST_TEST(heap.pop() == &a);
  BOOST_TEST(heap.empty());
}

BOOST_AUTO_TEST_CASE(random_pushes_pops_and_removes_match_a_multiset) {
  std::mt19937 rng(20261123);
  std::uniform_int_distribution<int> deadline(0, 40);  // many equal deadlines
  std::uniform_int_distribution<int> action(0, 9);
  std::deque<timer_node> nodes;
  troupe::detail::timer_heap heap;
  // The model: (deadline, push order) -> node; pushes are numbered here.
  std::set<std::pair<std::pair<troupe::detail::time_point, std::size_t>, timer_node*>> model;
  std::size_t pushes = 0;
  std::vector<timer_node*> queued;
  for (int step = 0; step < 20000; ++step) {
    const int a = action(rng);
    if (a < 5 || queued.empty()) {
      timer_node& n = nodes.emplace_back();
      n.deadline_ = epoch + std::chrono::milliseconds(deadline(rng));
      heap.push(&n);
      model.insert({{n.deadline_, pushes++}, &n});
      queued.push_back(&n);
    } else if (a < 8) {
      timer_node* n = heap.pop();
      BOOST_TEST_REQUIRE(!model.empty());
      BOOST_TEST_REQUIRE(n == model.begin()->second, "step " << step);
      model.erase(model.begin());
      std::erase(queued, n);
    } else {
      std::uniform_int_distribution<std::size_t> pick(0, queued.size() - 1);
      timer_node* n = queued[pick(rng)];
      BOOST_TEST_REQUIRE(heap.remove(n));
      BOOST_TEST_REQUIRE(!heap.remove(n));
      std::erase_if(model, [n](const auto& entry) { return entry.second == n; });
      std::erase(queued, n);
    }
    BOOST_TEST_REQUIRE(heap.size() == model.size(), "step " << step);
    if (!model.empty()) BOOST_TEST_REQUIRE(heap.top() == model.begin()->second, "step " << step);
  }
  while (!heap.empty()) {
    BOOST_TEST_REQUIRE(heap.pop() == model.begin()->second);
    model.erase(model.begin());
  }
  BOOST_TEST(model.empty());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace suites
