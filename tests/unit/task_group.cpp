// Suite for <troupe/task_group.hpp>.
#include <troupe/task_group.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "troupe_test.hpp"

using namespace std::chrono_literals;

namespace {

struct journal {
  std::vector<std::string> lines;
};

class worker : public troupe::actor {
 public:
  explicit worker(journal* j) : journal_(j) {}
  troupe::task<int> job(std::string name, int ms, bool fail) {
    bool cancelled = false;
    try {
      co_await troupe::sleep(std::chrono::milliseconds(ms));
    } catch (const troupe::cancelled_error&) {
      cancelled = true;  // (no co_await inside a handler in C++)
    }
    if (cancelled) {
      journal_->lines.push_back(name + " cancelled");
      co_await troupe::sleep(5ms);  // cleanup that takes time: join must wait for it
      journal_->lines.push_back(name + " cleaned up");
      throw troupe::cancelled_error(name + " cancelled");
    }
    if (fail) throw std::runtime_error(name + " failed");
    journal_->lines.push_back(name + " done");
    co_return ms;
  }

 private:
  journal* journal_;
};

troupe::task<int> local_job(journal* j, std::string name, int ms) {
  try {
    co_await troupe::sleep(std::chrono::milliseconds(ms));
  } catch (const troupe::cancelled_error&) {
    j->lines.push_back(name + " cancelled");
    throw;
  }
  j->lines.push_back(name + " done");
  co_return ms;
}

bool has(const journal& j, const std::string& line) {
  for (const auto& l : j.lines)
    if (l == line) return true;
  return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(task_group)

BOOST_AUTO_TEST_CASE(join_waits_for_local_tasks_and_asks_and_their_results_are_available) {
  journal j;
  troupe_test::run([&]() -> troupe::task<void> {
    auto w = troupe::spawn<worker>(&j);
    troupe::task_group g;
    auto a = g.create_task(local_job(&j, "local", 10));
    auto b = g.add(w.ask<&worker::job>(std::string("remote"), 5, false));
    BOOST_TEST(g.size() == 2u);
    co_await g.join();
    BOOST_TEST(g.size() == 0u);
    BOOST_TEST(a.result() == 10);
    BOOST_TEST(b.result() == 5);
  });
  BOOST_TEST(has(j, "local done"));
  BOOST_TEST(has(j, "remote done"));
}

BOOST_AUTO_TEST_CASE(the_first_failure_cancels_the_siblings_and_join_waits_for_their_cleanup) {
  journal j;
  troupe_test::run([&]() -> troupe::task<void> {
    auto w1 = troupe::spawn<worker>(&j);
    auto w2 = troupe::spawn<worker>(&j);
    auto w3 = troupe::spawn<worker>(&j);
    troupe::task_group g;
    (void)g.add(w1.ask<&worker::job>(std::string("bad"), 5, true));
    (void)g.add(w2.ask<&worker::job>(std::string("slow"), 5000, false));
    (void)g.create_task(local_job(&j, "local", 5000));
    auto queued = g.add(w1.ask<&worker::job>(std::string("queued"), 1, false));  // behind "bad"
    const auto t0 = std::chrono::steady_clock::now();
    try {
      co_await g.join();
      BOOST_FAIL("expected task_group_error");
    } catch (const troupe::task_group_error& e) {
      BOOST_TEST(e.errors().size() == 1u);
      BOOST_TEST(std::string(e.what()).find("bad failed") != std::string::npos, e.what());
    }
    BOOST_TEST((std::chrono::steady_clock::now() - t0 < 1s));
    // Leaving join means every child has unwound: cleanup already happened.
    BOOST_TEST(has(j, "slow cancelled"));
    BOOST_TEST(has(j, "slow cleaned up"));
    BOOST_TEST(has(j, "local cancelled"));
    BOOST_TEST(!has(j, "queued done"));  // dropped unrun
    BOOST_TEST(queued.cancelled());
    (void)w3;
  });
}

BOOST_AUTO_TEST_CASE(every_failure_is_reported_not_just_the_first) {
  journal j;
  troupe_test::run([&]() -> troupe::task<void> {
    auto w1 = troupe::spawn<worker>(&j);
    auto w2 = troupe::spawn<worker>(&j);
    troupe::task_group g;
    (void)g.add(w1.ask<&worker::job>(std::string("first"), 5, true));
    (void)g.add(w2.ask<&worker::job>(std::string("second"), 5, true));
    try {
      co_await g.join();
      BOOST_FAIL("expected task_group_error");
    } catch (const troupe::task_group_error& e) {
      BOOST_TEST(e.errors().size() == 2u);
      const std::string what = e.what();
      BOOST_TEST(what.find("first failed") != std::string::npos, what);
      BOOST_TEST(what.find("second failed") != std::string::npos, what);
    }
  });
}

BOOST_AUTO_TEST_CASE(cancelling_the_joining_task_cancels_the_children_and_still_waits) {
  journal j;
  troupe_test::run([&]() -> troupe::task<void> {
    auto w = troupe::spawn<worker>(&j);
    auto scope = [&]() -> troupe::task<void> {
      troupe::task_group g;
      (void)g.add(w.ask<&worker::job>(std::string("child"), 5000, false));
      co_await g.join();
    };
    auto f = troupe::create_task(scope());
    co_await troupe::sleep(5ms);
    f.cancel();
    BOOST_CHECK_THROW(co_await f, troupe::cancelled_error);
    co_await troupe::sleep(30ms);
    BOOST_TEST(has(j, "child cancelled"));
    BOOST_TEST(has(j, "child cleaned up"));
  });
}

BOOST_AUTO_TEST_CASE(a_group_destroyed_without_join_cancels_its_children_and_says_so) {
  journal j;
  troupe_test::log_capture log;
  troupe_test::run([&]() -> troupe::task<void> {
    {
      troupe::task_group g;
      auto orphan = g.create_task(local_job(&j, "orphan", 5000));
      co_await troupe::yield();  // let it start
    }
    co_await troupe::sleep(5ms);
    BOOST_TEST(has(j, "orphan cancelled"));
  });
  BOOST_TEST(log.contains({"task_group was destroyed", "join was not awaited"}), log.dump());
}

BOOST_AUTO_TEST_CASE(an_empty_group_joins_at_once) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::task_group g;
    co_await g.join();
  });
}

BOOST_AUTO_TEST_SUITE_END()
