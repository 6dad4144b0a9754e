// quickstart — the tour in one program: an actor with a plain and a
// coroutine handler, ask and tell, and a hundred concurrent tasks that each
// sleep 100 ms yet finish together in about 100 ms (asyncio's classic demo).
//
//   quickstart [--tasks N] [--sleep-ms MS]
#include <troupe/troupe.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

using namespace std::chrono_literals;

class counter : public troupe::actor {
 public:
  int add(int n) { return total_ += n; }  // plain handler
  troupe::task<int> slow_add(int n) {     // coroutine handler
    co_await troupe::sleep(5ms);
    co_return total_ += n;
  }
  int total() const { return total_; }

 private:
  int total_ = 0;
};

// A worker that "waits on I/O" and then reports to the counter.
troupe::task<void> worker(troupe::actor_ref<counter> c, std::chrono::milliseconds nap) {
  co_await troupe::sleep(nap);
  c.tell<&counter::add>(1);
}

struct settings {
  int tasks = 100;
  int sleep_ms = 100;
};

troupe::task<int> amain(settings s) {
  troupe::actor_ref<counter> c = troupe::spawn<counter>();

  int a = co_await c.ask<&counter::add>(2);       // a request, awaited
  c.tell<&counter::add>(3);                       // fire and forget
  int b = co_await c.ask<&counter::slow_add>(1);  // the reply comes after a sleep
  std::printf("ask -> %d, tell, slow ask -> %d\n", a, b);

  const auto start = std::chrono::steady_clock::now();
  std::vector<troupe::future<void>> running;
  for (int i = 0; i < s.tasks; ++i)
    running.push_back(troupe::create_task(worker(c, std::chrono::milliseconds(s.sleep_ms))));
  for (auto& f : running) co_await f;
  const auto elapsed = std::chrono::steady_clock::now() - start;

  const int total = co_await c.ask<&counter::total>();
  const double ms = std::chrono::duration<double, std::milli>(elapsed).count();
  std::printf("%d tasks slept %d ms each, concurrently: %.1f ms in all (serially: %d ms)\n",
              s.tasks, s.sleep_ms, ms, s.tasks * s.sleep_ms);
  std::printf("counter total: %d (expected %d)\n", total, 6 + s.tasks);
  co_return total == 6 + s.tasks ? 0 : 1;
}

int main(int argc, char** argv) {
  settings s;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::puts("usage: quickstart [--tasks N] [--sleep-ms MS]\n"
                "Spawns a counter actor, asks and tells it, then runs N tasks that each\n"
                "sleep MS milliseconds concurrently and prints how long they took.");
      return 0;
    }
    if ((arg == "--tasks" || arg == "--sleep-ms") && i + 1 < argc) {
      const int v = std::atoi(argv[++i]);
      (arg == "--tasks" ? s.tasks : s.sleep_ms) = v;
      continue;
    }
    std::fprintf(stderr, "quickstart: unknown argument '%s' (try --help)\n", argv[i]);
    return 2;
  }
  if (s.tasks < 0 || s.sleep_ms < 0) {
    std::fputs("quickstart: --tasks and --sleep-ms must not be negative\n", stderr);
    return 2;
  }
  return troupe::run(amain(s));
}
