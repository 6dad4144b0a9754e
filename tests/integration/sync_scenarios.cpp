// The seeds' coordination scenarios with troupe's queue, semaphore, lock and
// event: producer–consumer with back-pressure, a crawler limited by a
// semaphore, mutual exclusion across suspension points, a start signal,
// cancellation while waiting, shutdown — on one reactor and across two.
#include <troupe/troupe.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <troupe/detail/runtime.hpp>

#include "troupe_test.hpp"

using namespace std::chrono_literals;

namespace {

troupe::options virtual_time() {
  return troupe::options{.reactors = 1, .clock = troupe::clock_kind::virtual_time};
}

std::chrono::milliseconds elapsed_since(troupe::detail::time_point t0) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(troupe::this_reactor().now() - t0);
}

// ---- producer–consumer ---------------------------------------------------

// Checks the queue's bound at every put and get.
struct bound_watch {
  std::size_t max_seen = 0;
  bool exceeded = false;
  void check(const troupe::queue<int>& q) {
    const auto s = q.statistics();
    max_seen = std::max(max_seen, s.size);
    if (s.size > s.maxsize) exceeded = true;
  }
};

troupe::task<void> produce(troupe::queue<int>& q, int first, int count, bound_watch& watch) {
  for (int i = first; i < first + count; ++i) {
    co_await q.put(i);
    watch.check(q);
    if (i % 7 == 0) co_await troupe::yield();
  }
}

// A consumer actor: takes items until the queue is shut down.
class consumer : public troupe::actor {
 public:
  troupe::task<int> drain(troupe::queue<int>* q, std::vector<int>* seen, bound_watch* watch) {
    int taken = 0;
    try {
      for (;;) {
        const int item = co_await q->get();
        watch->check(*q);
        ++(*seen)[static_cast<std::size_t>(item)];
        ++taken;
        if (item % 3 == 0) co_await troupe::sleep(0ms);  // "processing"
        q->task_done();
      }
    } catch (const troupe::queue_shut_down&) {
    }
    co_return taken;
  }
};

// ---- the crawler -----------------------------------------------------------

struct in_flight {
  int now = 0;
  int max = 0;
};

troupe::task<std::string> fetch_page(troupe::semaphore& limit, in_flight& flight, std::string url) {
  auto permit = co_await limit.hold();  // async with self.semaphore:
  flight.max = std::max(flight.max, ++flight.now);
  co_await troupe::sleep(100ms);  // the request
  --flight.now;
  co_return "content from " + url;
}

// ---- two reactors ---------------------------------------------------------

// Tasks started on another reactor, and a way to wait for all of them.
// (Through troupe internals until spawn_on/run_in_pool are available.)
class remote_tasks {
 public:
  explicit remote_tasks(int count) : left_(count) {}

  /// Starts `make()` (a task<void>) on reactor `index`.
  template <class F>
  void start_on(std::size_t index, F make) {
    struct starter final : troupe::detail::runnable {
      remote_tasks* group_;
      F make_;
      starter(remote_tasks* g, F f) : runnable(&run_it), group_(g), make_(std::move(f)) {}
      static void run_it(troupe::detail::runnable* r) noexcept {
        auto* self = static_cast<starter*>(r);
        (void)troupe::create_task(self->group_->guarded(self->make_()));
        delete self;
      }
    };
    troupe::this_reactor().owner().at(index).post_remote(new starter(this, std::move(make)));
  }

  /// Waits until every task has finished (on the awaiting reactor).
  troupe::task<void> wait() {
    co_await done_.wait();
    std::lock_guard held(mutex_);
    for (const auto& e : errors_) BOOST_ERROR("a task on another reactor failed: " << e);
  }

 private:
  troupe::task<void> guarded(troupe::task<void> body) {
    try {
      co_await std::move(body);
    } catch (const std::exception& e) {
      std::lock_guard held(mutex_);
      errors_.push_back(e.what());
    }
    if (left_.fetch_sub(1) == 1) done_.set();  // cross-reactor wake-up of the waiter
  }

  std::atomic<int> left_;
  troupe::event done_;
  std::mutex mutex_;
  std::vector<std::string> errors_;
};

troupe::task<int> get_one(troupe::queue<int>& q) { co_return co_await q.get(); }

// A get bounded in time that keeps an item the get won at the deadline:
// wait for the getter, and cancel it only if it is still pending; a getter
// cancelled as an item is handed to it passes the item on.
// (Not wait_for: it drops a result that completes in the same reactor turn
// as its deadline.)
troupe::task<std::optional<int>> get_within(troupe::queue<int>& q, std::chrono::microseconds d) {
  std::vector<troupe::future<int>> fs;
  fs.push_back(troupe::create_task(get_one(q)));
  auto r = co_await troupe::wait(std::move(fs), troupe::return_when::first_completed, d);
  if (!r.done.empty()) co_return co_await r.done.front();
  if (r.pending.front().cancel()) co_return std::nullopt;  // took nothing
  co_return co_await r.pending.front();                    // it finished meanwhile
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sync_scenarios)

BOOST_AUTO_TEST_CASE(three_producers_and_two_consumers_share_a_bounded_queue_and_lose_nothing) {
  troupe_test::run([]() -> troupe::task<void> {
    constexpr int per_producer = 200;
    constexpr int total = 3 * per_producer;
    troupe::queue<int> q(5);
    bound_watch watch;
    std::vector<int> seen(total, 0);
    auto c1 = troupe::spawn<consumer>();
    auto c2 = troupe::spawn<consumer>();
    auto taken1 = c1.ask<&consumer::drain>(&q, &seen, &watch);
    auto taken2 = c2.ask<&consumer::drain>(&q, &seen, &watch);
    co_await troupe::gather(troupe::create_task(produce(q, 0, per_producer, watch)),
                            troupe::create_task(produce(q, per_producer, per_producer, watch)),
                            troupe::create_task(produce(q, 2 * per_producer, per_producer, watch)));
    co_await q.join();  // every item got and task_done
    BOOST_TEST(q.statistics().unfinished_tasks == 0u);
    q.shutdown();
    const int a = co_await taken1;
    const int b = co_await taken2;
    BOOST_TEST(a + b == total);
    BOOST_TEST(a > 0);  // both consumers took part
    BOOST_TEST(b > 0);
    BOOST_TEST(!watch.exceeded);
    BOOST_TEST(watch.max_seen == 5u);  // producers were held back at the bound
    BOOST_TEST(std::all_of(seen.begin(), seen.end(), [](int n) { return n == 1; }));
  });
}

BOOST_AUTO_TEST_CASE(the_seeds_producer_and_slower_consumer_finish_in_the_consumers_time) {
  // producer: put i, sleep 0.1 s (5 items, then None); consumer: get, sleep 0.2 s.
  troupe_test::run(
      []() -> troupe::task<void> {
        troupe::queue<std::optional<int>> q;
        std::vector<int> consumed;
        const auto t0 = troupe::this_reactor().now();
        auto producer = [](troupe::queue<std::optional<int>>& qq) -> troupe::task<void> {
          for (int i = 0; i < 5; ++i) {
            co_await qq.put(i);
            co_await troupe::sleep(100ms);
          }
          co_await qq.put(std::nullopt);  // signal the end
        };
        auto consumer_task = [](troupe::queue<std::optional<int>>& qq,
                                std::vector<int>& out) -> troupe::task<void> {
          for (;;) {
            auto item = co_await qq.get();
            if (!item) break;
            out.push_back(*item);
            co_await troupe::sleep(200ms);
          }
        };
        co_await troupe::gather(troupe::create_task(producer(q)),
                                troupe::create_task(consumer_task(q, consumed)));
        const std::vector<int> expected{0, 1, 2, 3, 4};
        BOOST_TEST(consumed == expected, boost::test_tools::per_element());
        BOOST_TEST(elapsed_since(t0).count() == 1000);  // 5 × 200 ms, not 5 × 300 ms
      },
      virtual_time());
}

BOOST_AUTO_TEST_CASE(a_crawler_keeps_at_most_three_requests_in_flight) {
  troupe_test::run(
      []() -> troupe::task<void> {
        troupe::semaphore limit(3);
        in_flight flight;
        std::vector<troupe::future<std::string>> pages;
        for (int i = 0; i < 10; ++i)
          pages.push_back(troupe::create_task(
              fetch_page(limit, flight, "https://example.com/page" + std::to_string(i))));
        const auto t0 = troupe::this_reactor().now();
        auto results = co_await troupe::gather(std::move(pages));
        BOOST_TEST(results.size() == 10u);
        BOOST_TEST(results[9] == "content from https://example.com/page9");
        BOOST_TEST(flight.max == 3);
        BOOST_TEST(elapsed_since(t0).count() == 400);  // ceil(10 / 3) rounds of 100 ms
        BOOST_TEST(limit.value() == 3u);
      },
      virtual_time());
}

BOOST_AUTO_TEST_CASE(tellers_updating_one_account_under_a_lock_lose_no_deposit) {
  // Actors on one reactor interleave at their suspension points; the lock,
  // shared between them, makes each read-modify-write atomic.
  struct account {
    troupe::lock lock;
    int balance = 0;
    int inside = 0;
    int max_inside = 0;
  };
  class teller : public troupe::actor {
   public:
    troupe::task<void> deposit(account* a, int amount) {
      auto held = co_await a->lock.hold();
      a->max_inside = std::max(a->max_inside, ++a->inside);
      const int read = a->balance;
      co_await troupe::sleep(1ms);  // the database round trip
      a->balance = read + amount;
      --a->inside;
    }
  };
  troupe_test::run([]() -> troupe::task<void> {
    account acc;
    std::vector<troupe::future<void>> fs;
    std::vector<troupe::actor_ref<teller>> tellers;
    for (int i = 0; i < 4; ++i) tellers.push_back(troupe::spawn<teller>());
    for (int i = 1; i <= 20; ++i)
      fs.push_back(tellers[static_cast<std::size_t>(i % 4)].ask<&teller::deposit>(&acc, i));
    co_await troupe::gather(std::move(fs));
    BOOST_TEST(acc.balance == 210);
    BOOST_TEST(acc.max_inside == 1);
    BOOST_TEST(!acc.lock.locked());
  });
}

BOOST_AUTO_TEST_CASE(workers_wait_for_a_start_signal_and_all_start_together) {
  troupe_test::run(
      []() -> troupe::task<void> {
        troupe::event go;
        std::vector<std::chrono::milliseconds> started;
        const auto t0 = troupe::this_reactor().now();
        std::vector<troupe::future<void>> workers;
        for (int i = 0; i < 5; ++i)
          workers.push_back(
              troupe::create_task([](troupe::event& e, std::vector<std::chrono::milliseconds>& out,
                                     troupe::detail::time_point start) -> troupe::task<void> {
                co_await e.wait();
                out.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(
                    troupe::this_reactor().now() - start));
              }(go, started, t0)));
        co_await troupe::sleep(50ms);
        BOOST_TEST(started.empty());
        BOOST_TEST(go.statistics().tasks_waiting == 5u);
        go.set();
        co_await troupe::gather(std::move(workers));
        BOOST_TEST(started.size() == 5u);
        for (auto t : started) BOOST_TEST(t.count() == 50);
      },
      virtual_time());
}

BOOST_AUTO_TEST_CASE(consumers_with_timeouts_on_get_lose_and_duplicate_no_item) {
  // Every get is bounded in time, so cancellations of waiting getters race
  // with the items arriving; none may be lost or seen twice.
  troupe_test::run([]() -> troupe::task<void> {
    constexpr int total = 400;
    troupe::queue<int> q(3);
    std::vector<int> seen(total, 0);
    int timeouts = 0;
    auto consume = [](troupe::queue<int>& qq, std::vector<int>& s, int& t) -> troupe::task<void> {
      try {
        for (;;) {
          if (auto item = co_await get_within(qq, 1ms))
            ++s[static_cast<std::size_t>(*item)];
          else
            ++t;
        }
      } catch (const troupe::queue_shut_down&) {
      }
    };
    auto c1 = troupe::create_task(consume(q, seen, timeouts));
    auto c2 = troupe::create_task(consume(q, seen, timeouts));
    for (int i = 0; i < total; ++i) {
      co_await q.put(i);
      if (i % 50 == 0) co_await troupe::sleep(2ms);  // long enough for gets to time out
    }
    while (!q.empty()) co_await troupe::sleep(1ms);
    q.shutdown();
    co_await c1;
    co_await c2;
    BOOST_TEST(timeouts > 0);
    BOOST_TEST(std::all_of(seen.begin(), seen.end(), [](int n) { return n == 1; }));
    BOOST_TEST(q.statistics().tasks_waiting_get == 0u);
  });
}

BOOST_AUTO_TEST_CASE(a_pipeline_stops_by_shutdown_after_draining_what_was_queued) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::queue<int> q(4);
    std::vector<int> got;
    auto worker = troupe::create_task(
        [](troupe::queue<int>& qq, std::vector<int>& out) -> troupe::task<std::string> {
          try {
            for (;;) {
              out.push_back(co_await qq.get());
              co_await troupe::sleep(1ms);
            }
          } catch (const troupe::queue_shut_down&) {
            co_return "stopped by shutdown";
          }
        }(q, got));
    for (int i = 0; i < 4; ++i) co_await q.put(i);
    q.shutdown();
    BOOST_CHECK_THROW(co_await q.put(99), troupe::queue_shut_down);
    BOOST_TEST(co_await worker == "stopped by shutdown");
    const std::vector<int> expected{0, 1, 2, 3};
    BOOST_TEST(got == expected, boost::test_tools::per_element());
  });
}

BOOST_AUTO_TEST_CASE(an_immediate_shutdown_stops_producers_and_consumers_at_once) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::queue<int> q(2);
    std::vector<std::string> log;
    auto producer = troupe::create_task(
        [](troupe::queue<int>& qq, std::vector<std::string>& l) -> troupe::task<void> {
          try {
            for (int i = 0;; ++i) co_await qq.put(i);
          } catch (const troupe::queue_shut_down&) {
            l.push_back("producer stopped");
          }
        }(q, log));
    co_await troupe::sleep(1ms);  // the producer fills the queue and blocks
    BOOST_TEST(q.full());
    BOOST_TEST(q.statistics().tasks_waiting_put == 1u);
    q.shutdown(true);
    co_await producer;
    BOOST_TEST(q.empty());
    BOOST_CHECK_THROW(co_await q.get(), troupe::queue_shut_down);
    co_await q.join();  // dropped items count as done
    const std::vector<std::string> expected{"producer stopped"};
    BOOST_TEST(log == expected, boost::test_tools::per_element());
  });
}

// ---- two reactors -------------------------------------------------------------

BOOST_AUTO_TEST_CASE(producers_on_one_reactor_feed_consumers_on_another_through_a_bounded_queue) {
  troupe_test::run(
      []() -> troupe::task<void> {
        constexpr int per_producer = 5000;
        constexpr int total = 2 * per_producer;
        troupe::queue<int> q(5);
        std::atomic<bool> exceeded{false};
        std::atomic<bool> wrong_reactor{false};
        remote_tasks producers(2);
        for (int p = 0; p < 2; ++p)
          producers.start_on(1, [&, p]() -> troupe::task<void> {
            return [](troupe::queue<int>& qq, int first, std::atomic<bool>& ex,
                      std::atomic<bool>& wrong) -> troupe::task<void> {
              for (int i = first; i < first + per_producer; ++i) {
                co_await qq.put(i);
                if (troupe::this_reactor().index() != 1) wrong = true;  // resumed at home
                if (qq.size() > 5) ex = true;
              }
            }(q, p * per_producer, exceeded, wrong_reactor);
          });
        std::vector<int> seen(total, 0);
        auto consume = [](troupe::queue<int>& qq, std::vector<int>& s,
                          std::atomic<bool>& wrong) -> troupe::task<void> {
          try {
            for (;;) {
              ++s[static_cast<std::size_t>(co_await qq.get())];
              if (troupe::this_reactor().index() != 0) wrong = true;
              qq.task_done();
            }
          } catch (const troupe::queue_shut_down&) {
          }
        };
        auto c1 = troupe::create_task(consume(q, seen, wrong_reactor));
        auto c2 = troupe::create_task(consume(q, seen, wrong_reactor));
        co_await producers.wait();
        co_await q.join();
        q.shutdown();
        co_await c1;
        co_await c2;
        BOOST_TEST(!exceeded.load());
        BOOST_TEST(!wrong_reactor.load());
        BOOST_TEST(std::all_of(seen.begin(), seen.end(), [](int n) { return n == 1; }));
      },
      troupe::options{.reactors = 2}, 60s);
}

BOOST_AUTO_TEST_CASE(a_lock_shared_by_tasks_on_two_reactors_serialises_their_updates) {
  troupe_test::run(
      []() -> troupe::task<void> {
        constexpr int rounds = 2000;
        troupe::lock l;
        long long counter = 0;  // plain: only the lock protects it
        std::atomic<int> inside{0};
        std::atomic<bool> overlap{false};
        auto body = [](troupe::lock& lk, long long& c, std::atomic<int>& in,
                       std::atomic<bool>& ov) -> troupe::task<void> {
          for (int i = 0; i < rounds; ++i) {
            auto held = co_await lk.hold();
            if (in.fetch_add(1) != 0) ov = true;
            const long long read = c;
            if (i % 16 == 0) co_await troupe::yield();  // hold it across a suspension
            c = read + 1;
            in.fetch_sub(1);
          }
        };
        remote_tasks others(2);
        for (int k = 0; k < 2; ++k)
          others.start_on(1, [&]() { return body(l, counter, inside, overlap); });
        co_await troupe::gather(troupe::create_task(body(l, counter, inside, overlap)),
                                troupe::create_task(body(l, counter, inside, overlap)));
        co_await others.wait();
        BOOST_TEST(!overlap.load());
        BOOST_TEST(counter == 4LL * rounds);
        BOOST_TEST(!l.locked());
      },
      troupe::options{.reactors = 2}, 60s);
}

BOOST_AUTO_TEST_CASE(a_semaphore_shared_by_two_reactors_never_admits_more_than_its_value) {
  troupe_test::run(
      []() -> troupe::task<void> {
        troupe::semaphore limit(3);
        std::atomic<int> now{0};
        std::atomic<int> max{0};
        auto body = [](troupe::semaphore& s, std::atomic<int>& n,
                       std::atomic<int>& m) -> troupe::task<void> {
          for (int i = 0; i < 300; ++i) {
            auto permit = co_await s.hold();
            const int v = n.fetch_add(1) + 1;
            int seen = m.load();
            while (v > seen && !m.compare_exchange_weak(seen, v)) {
            }
            co_await troupe::yield();
            n.fetch_sub(1);
          }
        };
        remote_tasks others(3);
        for (int k = 0; k < 3; ++k) others.start_on(1, [&]() { return body(limit, now, max); });
        std::vector<troupe::future<void>> locals;
        for (int k = 0; k < 3; ++k) locals.push_back(troupe::create_task(body(limit, now, max)));
        co_await troupe::gather(std::move(locals));
        co_await others.wait();
        BOOST_TEST(max.load() <= 3);
        BOOST_TEST(max.load() >= 2);
        BOOST_TEST(limit.value() == 3u);
        BOOST_TEST(limit.statistics().tasks_waiting == 0u);
      },
      troupe::options{.reactors = 2}, 60s);
}

BOOST_AUTO_TEST_CASE(an_event_set_on_one_reactor_wakes_waiters_on_the_other) {
  troupe_test::run(
      []() -> troupe::task<void> {
        troupe::event go;
        std::atomic<int> woke_on_1{0};
        remote_tasks waiters(4);
        for (int k = 0; k < 4; ++k)
          waiters.start_on(1, [&]() {
            return [](troupe::event& e, std::atomic<int>& w) -> troupe::task<void> {
              co_await e.wait();
              if (troupe::this_reactor().index() == 1) ++w;
            }(go, woke_on_1);
          });
        while (go.statistics().tasks_waiting < 4) co_await troupe::sleep(1ms);
        go.set();
        co_await waiters.wait();
        BOOST_TEST(woke_on_1.load() == 4);
      },
      troupe::options{.reactors = 2}, 60s);
}

BOOST_AUTO_TEST_CASE(getters_cancelled_on_one_reactor_while_items_arrive_from_another_lose_none) {
  // Items are put on reactor 1 while getters on reactor 0 keep being
  // cancelled by short deadlines: a handed-over item must reach another
  // getter or stay queued, never vanish or arrive twice.
  troupe_test::run(
      []() -> troupe::task<void> {
        constexpr int total = 3000;
        troupe::queue<int> q(2);
        remote_tasks producer(1);
        producer.start_on(1, [&]() {
          return [](troupe::queue<int>& qq) -> troupe::task<void> {
            for (int i = 0; i < total; ++i) {
              co_await qq.put(i);
              if (i % 64 == 0) co_await troupe::sleep(100us);
            }
          }(q);
        });
        std::vector<int> seen(total, 0);
        int timeouts = 0;
        auto consume = [](troupe::queue<int>& qq, std::vector<int>& s,
                          int& t) -> troupe::task<void> {
          try {
            for (;;) {
              if (auto item = co_await get_within(qq, 50us))
                ++s[static_cast<std::size_t>(*item)];
              else
                ++t;
            }
          } catch (const troupe::queue_shut_down&) {
          }
        };
        auto c1 = troupe::create_task(consume(q, seen, timeouts));
        auto c2 = troupe::create_task(consume(q, seen, timeouts));
        auto c3 = troupe::create_task(consume(q, seen, timeouts));
        co_await producer.wait();
        q.shutdown();  // getters drain what is left, then stop
        co_await c1;
        co_await c2;
        co_await c3;
        BOOST_TEST_MESSAGE("gets cancelled at their deadline: " << timeouts);
        BOOST_TEST(std::all_of(seen.begin(), seen.end(), [](int n) { return n == 1; }));
        BOOST_TEST(q.empty());
      },
      troupe::options{.reactors = 2}, 60s);
}

BOOST_AUTO_TEST_CASE(plain_threads_use_the_nowait_calls_release_and_set_alongside_tasks) {
  // No reactor on these threads: they may only use the calls that never
  // suspend. Tasks on both reactors wait on the same objects meanwhile.
  troupe_test::run(
      []() -> troupe::task<void> {
        constexpr int total = 2000;
        troupe::queue<int> q(8);
        troupe::semaphore tokens(0);
        troupe::event finished;
        std::thread feeder([&] {
          for (int i = 0; i < total;) {
            try {
              q.put_nowait(i);
              ++i;
            } catch (const troupe::queue_full&) {
              std::this_thread::yield();
            }
          }
          for (int i = 0; i < 10; ++i) tokens.release();
          finished.set();
        });
        std::vector<int> seen(total, 0);
        std::mutex seen_mutex;
        std::atomic<int> tokens_taken{0};
        remote_tasks remote(1);
        remote.start_on(1, [&]() {
          return [](troupe::queue<int>& qq, std::vector<int>& s, std::mutex& m,
                    troupe::semaphore& tk, std::atomic<int>& taken) -> troupe::task<void> {
            for (int i = 0; i < 500; ++i) {
              const int v = co_await qq.get();
              std::lock_guard held(m);
              ++s[static_cast<std::size_t>(v)];
            }
            for (int i = 0; i < 5; ++i) {
              co_await tk.acquire();
              ++taken;
            }
          }(q, seen, seen_mutex, tokens, tokens_taken);
        });
        for (int i = 0; i < total - 500; ++i) {
          const int v = co_await q.get();
          std::lock_guard held(seen_mutex);
          ++seen[static_cast<std::size_t>(v)];
        }
        for (int i = 0; i < 5; ++i) {
          co_await tokens.acquire();
          ++tokens_taken;
        }
        co_await finished.wait();
        co_await remote.wait();
        feeder.join();
        BOOST_TEST(tokens_taken.load() == 10);
        BOOST_TEST(std::all_of(seen.begin(), seen.end(), [](int n) { return n == 1; }));
        // And the other way round: a plain thread drains with get_nowait.
        for (int i = 0; i < 3; ++i) co_await q.put(i);
        int drained = 0;
        std::thread drainer([&] {
          while (drained < 3) {
            try {
              (void)q.get_nowait();
              ++drained;
            } catch (const troupe::queue_empty&) {
              std::this_thread::yield();
            }
          }
        });
        drainer.join();
        BOOST_TEST(drained == 3);
        BOOST_TEST(q.empty());
      },
      troupe::options{.reactors = 2}, 60s);
}

// A queue used from reactor 0 alone for a while stops locking there; the
// first operation from another reactor takes that back. Producers on two
// other reactors then join in, with a getter of reactor 0 parked: every
// item arrives exactly once, each producer's in the order it put them.
BOOST_AUTO_TEST_CASE(one_reactor_then_two_more_share_a_queue_and_each_item_arrives_once_in_order) {
  troupe_test::run(
      []() -> troupe::task<void> {
        constexpr int per_producer = 20000;
        troupe::queue<int> q(16);
        // Alone on reactor 0: puts and gets, the queue never full or empty
        // long enough to park anyone.
        for (int i = 0; i < 1000; ++i) {
          co_await q.put(i);
          if (co_await q.get() != i) BOOST_ERROR("reactor 0 alone got an item out of order");
        }
        // A getter of reactor 0 parks (the queue is empty), then producers
        // on reactors 1 and 2 start; items encode producer and sequence.
        auto consume = [](troupe::queue<int>& qq, int total) -> troupe::task<std::vector<int>> {
          std::vector<int> last{-1, -1};
          std::vector<int> count{0, 0};
          for (int n = 0; n < total; ++n) {
            const int v = co_await qq.get();
            const auto p = static_cast<std::size_t>(v / per_producer);
            if (p > 1 || v % per_producer != last[p] + 1)
              BOOST_ERROR("item " << v << " after " << last[p < 2 ? p : 0] << " from its producer");
            if (p <= 1) {
              last[p] = v % per_producer;
              ++count[p];
            }
          }
          co_return count;
        };
        auto consumer_task = troupe::create_task(consume(q, 2 * per_producer));
        co_await troupe::yield();  // it parks in get()
        remote_tasks producers(2);
        for (int p = 0; p < 2; ++p)
          producers.start_on(static_cast<std::size_t>(p + 1), [&q, p]() -> troupe::task<void> {
            return [](troupe::queue<int>& qq, int first) -> troupe::task<void> {
              for (int i = first; i < first + per_producer; ++i) {
                co_await qq.put(i);
                if (i % 97 == 0) co_await troupe::yield();
              }
            }(q, p * per_producer);
          });
        const std::vector<int> count = co_await consumer_task;
        co_await producers.wait();
        BOOST_TEST(count[0] == per_producer);
        BOOST_TEST(count[1] == per_producer);
        BOOST_TEST(q.empty());
        // Shared for good: a plain thread's put_nowait reaches reactor 0.
        std::thread feeder([&q] { q.put_nowait(7); });
        feeder.join();
        const int fed = co_await q.get();
        BOOST_TEST(fed == 7);
      },
      troupe::options{.reactors = 3}, 120s);
}

// The owner of a queue cancels its own parked getters and putters while
// it does not lock: nothing is lost or duplicated, and a plain thread that
// then takes the queue over sees every item.
BOOST_AUTO_TEST_CASE(cancels_on_the_owning_reactor_lose_nothing_and_a_plain_thread_takes_over) {
  troupe_test::run(
      []() -> troupe::task<void> {
        troupe::queue<int> q(4);
        for (int i = 0; i < 500; ++i) {  // long enough to own it
          q.put_nowait(i);
          BOOST_TEST(q.get_nowait() == i);
        }
        auto getter = troupe::create_task(get_one(q));
        co_await troupe::yield();
        BOOST_TEST(getter.cancel());  // parked: takes nothing
        for (int i = 0; i < 4; ++i) co_await q.put(i);
        auto putter = troupe::create_task(
            [](troupe::queue<int>& qq) -> troupe::task<void> { co_await qq.put(99); }(q));
        co_await troupe::yield();
        BOOST_TEST(putter.cancel());  // parked: puts nothing
        // A granted putter cancelled before it runs passes its slot on.
        auto granted = troupe::create_task(
            [](troupe::queue<int>& qq) -> troupe::task<void> { co_await qq.put(4); }(q));
        auto next = troupe::create_task(
            [](troupe::queue<int>& qq) -> troupe::task<void> { co_await qq.put(5); }(q));
        co_await troupe::yield();         // both park
        BOOST_TEST(q.get_nowait() == 0);  // grants `granted`
        BOOST_TEST(granted.cancel());     // its slot goes to `next`
        co_await next;
        std::vector<int> rest;
        std::thread drainer([&] {
          while (!q.empty()) rest.push_back(q.get_nowait());
        });
        drainer.join();
        BOOST_TEST(rest == (std::vector<int>{1, 2, 3, 5}));
        BOOST_TEST(q.statistics().tasks_waiting_put == 0);
        BOOST_TEST(q.statistics().tasks_waiting_get == 0);
      },
      troupe::options{.reactors = 1}, 60s);
}

BOOST_AUTO_TEST_SUITE_END()
