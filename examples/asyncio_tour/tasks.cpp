// Coroutines, tasks, sleep and yield, actors: the basics.
#include <stdexcept>
#include <string>
#include <vector>

#include "tour.hpp"

namespace tour {

// [guide:coroutine]
troupe::task<std::string> greet(std::string name, bool* ran) {
  *ran = true;
  co_await troupe::sleep(10ms);  // a pause point: the reactor runs others meanwhile
  co_return "Hello, " + name;
}
// [/guide:coroutine]

troupe::task<std::string> brew_tea() {
  co_await troupe::sleep(60ms);
  co_return "chai";
}

troupe::task<std::string> toast_bread() {
  co_await troupe::sleep(40ms);
  co_return "toast";
}

troupe::task<void> nap(std::chrono::milliseconds d) { co_await troupe::sleep(d); }

// [guide:yield]
troupe::task<void> demo(std::string name, std::vector<std::string>* log) {
  log->push_back(name + " start");
  co_await troupe::yield();  // asyncio.sleep(0): let the others run once
  log->push_back(name + " middle");
  co_await troupe::yield();
  log->push_back(name + " end");
}
// [/guide:yield]

// [guide:counter]
class counter : public troupe::actor {
 public:
  int add(int n) { return total_ += n; }  // a plain handler
  troupe::task<int> slow_add(int n) {     // a coroutine handler
    co_await troupe::sleep(5ms);
    co_return total_ += n;
  }

 private:
  int total_ = 0;
};
// [/guide:counter]

troupe::task<void> task_scenes(example::checks& check) {
  {
    // [guide:lazy]
    bool ran = false;
    troupe::task<std::string> t = greet("world", &ran);  // nothing has run yet
    const bool ran_before_await = ran;
    std::string text = co_await t;  // runs it now, to the end
    // [/guide:lazy]
    check.expect(!ran_before_await && ran && text == "Hello, world",
                 "a task runs only once awaited: \"" + text + "\"");
  }
  {
    const auto start = steady::now();
    // [guide:create_task]
    troupe::future<std::string> tea = troupe::create_task(brew_tea());  // both start now
    troupe::future<std::string> toast = troupe::create_task(toast_bread());
    std::string meal = co_await tea;
    meal += " + " + co_await toast;  // done already: 60 ms in all, not 100
    // [/guide:create_task]
    const double ms = ms_since(start);
    check.expect(meal == "chai + toast" && ms >= 59 && ms < 95,
                 "create_task: tea (60 ms) and toast (40 ms) together in " +
                     std::to_string(static_cast<int>(ms)) + " ms");
  }
  {
    const auto start = steady::now();
    // [guide:gather-vector]
    std::vector<troupe::future<void>> naps;
    for (int i = 0; i < 100; ++i) naps.push_back(troupe::create_task(nap(100ms)));
    co_await troupe::gather(naps);  // about 100 ms in all, not 10 s
    // [/guide:gather-vector]
    const double ms = ms_since(start);
    check.expect(ms >= 99 && ms < 600, "100 tasks that sleep 100 ms each took " +
                                           std::to_string(static_cast<int>(ms)) + " ms");
  }
  {
    std::vector<std::string> log;
    co_await troupe::gather(troupe::create_task(demo("1", &log)),
                            troupe::create_task(demo("2", &log)));
    const std::vector<std::string> expected{"1 start",  "2 start", "1 middle",
                                            "2 middle", "1 end",   "2 end"};
    check.expect(log == expected, "yield() interleaves two tasks step by step");
  }
  {
    // [guide:ask-tell]
    troupe::actor_ref<counter> c = troupe::spawn<counter>();
    int a = co_await c.ask<&counter::add>(2);       // a request; the reply is awaited
    c.tell<&counter::add>(3);                       // no reply
    int b = co_await c.ask<&counter::slow_add>(1);  // 6: the tell came first
    // [/guide:ask-tell]
    check.expect(a == 2 && b == 6,
                 "ask and tell: " + std::to_string(a) + ", then " + std::to_string(b));
  }
  {
    std::string refused;
    // [guide:nested-run]
    try {
      bool ran = false;
      (void)troupe::run(greet("again", &ran));  // asyncio.run inside asyncio.run
    } catch (const std::logic_error& e) {
      refused = e.what();  // "troupe::run called on a reactor thread (reactor 0): ..."
    }
    // [/guide:nested-run]
    check.expect(refused.find("troupe::run called on a reactor thread") != std::string::npos,
                 "troupe::run inside a task is refused with std::logic_error");
  }
}

}  // namespace tour
