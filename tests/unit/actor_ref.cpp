// Suite for <troupe/actor_ref.hpp>: an actor that holds an actor_ref to its
// own type. (Asking, telling and lifetimes are in actor.cpp.)
#include <troupe/actor_ref.hpp>

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

#include "troupe_test.hpp"

namespace {

using std::int64_t;

struct ring_result {
  troupe::event done;
  int64_t sum = -1;
  int64_t last_index = -1;
  int destroyed = 0;
};

// A ring node: `next_` is typed, although ring_node is incomplete where it is
// declared, so `pass` is checked against ring_node at compile time.
class ring_node : public troupe::actor {
 public:
  ring_node(int64_t index, ring_result* result) : index_(index), result_(result) {}
  ~ring_node() override { ++result_->destroyed; }

  void link(troupe::actor_ref<ring_node> next) { next_ = std::move(next); }
  void unlink() { next_ = {}; }

  // The token: hops still to make, and the sum of the indices met so far.
  void pass(int64_t left, int64_t acc) {
    acc += index_;
    if (left == 0) {
      result_->sum = acc;
      result_->last_index = index_;
      result_->done.set();
    } else {
      next_.tell<&ring_node::pass>(left - 1, acc);
    }
  }

 private:
  int64_t index_;
  ring_result* result_;
  troupe::actor_ref<ring_node> next_;
};

// A chain grown by its own nodes: each spawns its successor, keeps it in a
// typed member and asks it through that member.
class chain_node : public troupe::actor {
 public:
  explicit chain_node(int64_t index) : index_(index) {}

  // Grows `more` nodes after this one; returns the index of the last.
  troupe::task<int64_t> grow(int64_t more) {
    if (more == 0) co_return index_;
    next_ = troupe::spawn<chain_node>(index_ + 1);
    co_return co_await next_.ask<&chain_node::grow>(more - 1);
  }

  // index * weight, summed from this node to the end of the chain.
  troupe::task<int64_t> weighted_sum(int64_t weight) {
    static_assert(std::is_same_v<decltype(next_.ask<&chain_node::weighted_sum>(weight)),
                                 troupe::future<int64_t>>);
    int64_t rest = 0;
    if (next_) rest = co_await next_.ask<&chain_node::weighted_sum>(weight);
    co_return index_ * weight + rest;
  }

  troupe::actor_ref<chain_node> next() const { return next_; }

 private:
  int64_t index_;
  troupe::actor_ref<chain_node> next_;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(actor_ref)

BOOST_AUTO_TEST_CASE(a_ring_of_actors_holding_refs_to_their_own_type_passes_a_token_n_hops) {
  constexpr int64_t nodes = 7;
  constexpr int64_t hops = 1000;
  ring_result result;
  troupe_test::run([&]() -> troupe::task<void> {
    std::vector<troupe::actor_ref<ring_node>> ring;
    for (int64_t i = 0; i < nodes; ++i) ring.push_back(troupe::spawn<ring_node>(i, &result));
    for (int64_t i = 0; i < nodes; ++i)
      ring[static_cast<std::size_t>(i)].tell<&ring_node::link>(
          ring[static_cast<std::size_t>((i + 1) % nodes)]);
    ring[0].tell<&ring_node::pass>(hops, int64_t{0});
    co_await result.done.wait();
    // The refs form a cycle, which would keep the nodes until run ends;
    // broken, they go as soon as `ring` lets go of them.
    for (auto& node : ring) co_await node.ask<&ring_node::unlink>();
    ring.clear();
    for (int i = 0; i < 4; ++i) co_await troupe::yield();
    BOOST_TEST(result.destroyed == nodes);
  });
  // The token starts at node 0 and visits hops + 1 nodes: node k % 7 on
  // visit k. 1001 visits are 143 full turns (21 each) ending at node 6.
  BOOST_TEST(result.sum == 143 * 21);
  BOOST_TEST(result.last_index == hops % nodes);
}

BOOST_AUTO_TEST_CASE(a_typed_ask_through_a_member_ref_to_the_own_type_returns_the_reply) {
  const auto [last, sum] = troupe_test::run([]() -> troupe::task<std::pair<int64_t, int64_t>> {
    auto head = troupe::spawn<chain_node>(int64_t{1});
    const int64_t last_index = co_await head.ask<&chain_node::grow>(int64_t{9});
    const int64_t total = co_await head.ask<&chain_node::weighted_sum>(int64_t{3});
    // The member ref is the second node, and is asked like any typed ref.
    troupe::actor_ref<chain_node> second = co_await head.ask<&chain_node::next>();
    BOOST_TEST(static_cast<bool>(second));
    BOOST_TEST(co_await second.ask<&chain_node::weighted_sum>(int64_t{1}) == 54);  // 2 + ... + 10
    co_return std::pair{last_index, total};
  });
  BOOST_TEST(last == 10);
  BOOST_TEST(sum == 3 * 55);  // 3 * (1 + ... + 10)
}

BOOST_AUTO_TEST_SUITE_END()
