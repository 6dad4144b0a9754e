// gather, gather_settled, as_completed, wait and wait_for.
#include <stdexcept>
#include <string>
#include <vector>

#include "tour.hpp"

namespace tour {

troupe::task<std::string> fail_after(std::chrono::milliseconds d) {
  co_await troupe::sleep(d);
  throw std::runtime_error("something went wrong");
}

troupe::task<void> record(std::string what, std::chrono::milliseconds d,
                          std::vector<std::string>* log) {
  co_await troupe::sleep(d);
  log->push_back(what);
}

// [guide:slow_api]
troupe::task<std::string> slow_api(std::vector<std::string>* log) {
  try {
    co_await troupe::sleep(10s);  // pretend this takes forever
    co_return "data";
  } catch (const troupe::cancelled_error&) {
    log->push_back("slow_api cancelled");
    throw;
  }
}
// [/guide:slow_api]

troupe::task<void> combinator_scenes(example::checks& check) {
  {
    const auto start = steady::now();
    // [guide:gather]
    auto [a, b, c] = co_await troupe::gather(troupe::create_task(fetch("A", 30ms)),
                                             troupe::create_task(fetch("B", 60ms)),
                                             troupe::create_task(fetch("C", 30ms)));
    // a == "A done in 30 ms", b == "B done in 60 ms", c == "C done in 30 ms": input order
    // [/guide:gather]
    const double ms = ms_since(start);
    check.expect(
        a == "A done in 30 ms" && b == "B done in 60 ms" && c == "C done in 30 ms" && ms < 95,
        "gather: three results in input order after " + std::to_string(static_cast<int>(ms)) +
            " ms (the longest, not the sum)");
  }
  {
    std::vector<std::string> log;
    std::string caught;
    // [guide:gather-error]
    try {
      co_await troupe::gather(troupe::create_task(fail_after(10ms)),
                              troupe::create_task(record("the other one finished", 40ms, &log)));
    } catch (const std::runtime_error& e) {
      caught = e.what();  // after 10 ms: the first exception propagates at once...
    }
    co_await troupe::sleep(60ms);  // ...and the other task kept running (as in asyncio)
    // [/guide:gather-error]
    check.expect(caught == "something went wrong" && log.size() == 1,
                 "gather: the first exception propagates, the other task keeps running");
  }
  {
    // [guide:gather_settled]
    auto [failed, slept] = co_await troupe::gather_settled(troupe::create_task(fail_after(10ms)),
                                                           troupe::create_task(fetch("B", 20ms)));
    // failed.has_value() is false and failed.error() holds the runtime_error;
    // slept.value() == "B done in 20 ms"
    // [/guide:gather_settled]
    check.expect(!failed.has_value() && failed.error() && !failed.cancelled() &&
                     slept.value() == "B done in 20 ms",
                 "gather_settled: one outcome per input, exceptions included");
  }
  {
    // [guide:as_completed]
    std::vector<troupe::future<std::string>> fs;
    fs.push_back(troupe::create_task(fetch("A", 50ms)));
    fs.push_back(troupe::create_task(fetch("B", 30ms)));
    fs.push_back(troupe::create_task(fetch("C", 70ms)));
    std::vector<std::string> order;
    for (auto next : troupe::as_completed(std::move(fs))) order.push_back(co_await next);
    // order: B, then A, then C
    // [/guide:as_completed]
    check.expect(order.size() == 3 && order[0].starts_with("B") && order[1].starts_with("A") &&
                     order[2].starts_with("C"),
                 "as_completed: B (30 ms), A (50 ms), C (70 ms), in the order they finished");
  }
  {
    // [guide:wait]
    std::vector<troupe::future<std::string>> fs;
    fs.push_back(troupe::create_task(fetch("quick", 20ms)));
    fs.push_back(troupe::create_task(fetch("slow", 5s)));
    auto [done, pending] = co_await troupe::wait(fs, troupe::return_when::first_completed, 1s);
    // done: "quick"; pending: "slow", still running; cancel what is no longer wanted
    for (auto& f : pending) f.cancel();
    // [/guide:wait]
    check.expect(done.size() == 1 && done[0].result() == "quick done in 20 ms" &&
                     pending.size() == 1 && pending[0].cancelled(),
                 "wait(first_completed): one done, one pending (then cancelled)");
  }
  {
    std::vector<std::string> log;
    const auto start = steady::now();
    std::string result;
    // [guide:wait_for]
    try {
      result = co_await troupe::wait_for(slow_api(&log), 50ms);
    } catch (const troupe::timeout_error& e) {
      result = "timed out";  // and slow_api was cancelled: its cleanup ran
    }
    // [/guide:wait_for]
    co_await troupe::yield();
    const double ms = ms_since(start);
    check.expect(result == "timed out" && log.size() == 1 && ms < 200,
                 "wait_for: timeout_error after " + std::to_string(static_cast<int>(ms)) +
                     " ms, and the slow call was cancelled");
  }
}

}  // namespace tour
