// Cancellation: with cleanup, swallowed, shielded; and a future's states.
#include <stdexcept>
#include <string>
#include <vector>

#include "tour.hpp"

namespace tour {

// [guide:cancel]
troupe::task<void> long_running(std::vector<std::string>* log) {
  try {
    for (;;) {
      log->push_back("still running");
      co_await troupe::sleep(20ms);
    }
  } catch (const troupe::cancelled_error&) {
    log->push_back("cancelled: cleaning up");
    throw;  // re-raise, as in asyncio
  }
}
// [/guide:cancel]

// [guide:swallow]
troupe::task<void> stubborn(bool* finished) {
  try {
    co_await troupe::sleep(10s);
  } catch (const troupe::cancelled_error&) {
    // swallowed: the asyncio mistake that makes `await task` hang
  }
  co_await troupe::sleep(20ms);
  *finished = true;
}
// [/guide:swallow]

troupe::task<void> save_file(bool* saved) {
  co_await troupe::sleep(60ms);
  *saved = true;
}

troupe::task<int> compute(int n) {
  co_await troupe::sleep(5ms);
  co_return 2 * n;
}

troupe::task<int> fail_soon() {
  co_await troupe::sleep(5ms);
  throw std::runtime_error("oops");
}

troupe::task<void> cancel_scenes(example::checks& check) {
  {
    std::vector<std::string> log;
    bool done = false, cancelled = false;
    // [guide:cancel-caller]
    troupe::future<void> task = troupe::create_task(long_running(&log));
    co_await troupe::sleep(50ms);
    task.cancel();  // completes `task` as cancelled now, and cancels the coroutine
    try {
      co_await task;
    } catch (const troupe::cancelled_error&) {
      done = task.done();            // true
      cancelled = task.cancelled();  // true
    }
    co_await troupe::yield();  // the coroutine's cleanup runs at its pause point
    // [/guide:cancel-caller]
    check.expect(done && cancelled && log.size() >= 2 && log.back() == "cancelled: cleaning up",
                 "cancel(): the awaiter sees cancelled_error, the task cleans up");
  }
  {
    bool finished = false;
    // [guide:swallow-caller]
    troupe::future<void> task = troupe::create_task(stubborn(&finished));
    co_await troupe::sleep(5ms);
    task.cancel();
    const auto start = steady::now();
    try {
      co_await task;  // returns at once: the future was completed as cancelled
    } catch (const troupe::cancelled_error&) {
    }
    const double waited = ms_since(start);
    // [/guide:swallow-caller]
    const bool finished_at_once = finished;
    co_await troupe::sleep(40ms);
    check.expect(waited < 5 && !finished_at_once && finished,
                 "a task that swallows cancelled_error does not hang its awaiter (" +
                     std::to_string(static_cast<int>(waited * 1000)) +
                     " us); it runs on to its end");
  }
  {
    bool saved = false, timed_out = false;
    // [guide:shield]
    troupe::future<void> save = troupe::shield(troupe::create_task(save_file(&saved)));
    try {
      co_await troupe::wait_for(save, 20ms);  // stop waiting after 20 ms...
    } catch (const troupe::timeout_error&) {
      timed_out = true;
    }
    co_await troupe::sleep(80ms);  // ...yet the save itself was not cancelled: saved == true
    // [/guide:shield]
    check.expect(timed_out && saved, "shield: the wait timed out, the shielded save finished");
  }
  {
    // [guide:states]
    troupe::future<int> f = troupe::create_task(compute(21));
    const bool done_at_first = f.done();  // false: it has not even started
    troupe::future<int> g = troupe::create_task(fail_soon());
    co_await troupe::sleep(20ms);
    const int value = f.result();              // 42: done, with a value
    std::exception_ptr error = g.exception();  // looked at, so never logged as lost
    // [/guide:states]
    check.expect(!done_at_first && value == 42 && error != nullptr && g.done() && !g.cancelled(),
                 "done(), result() and exception() read a future's state");
  }
}

}  // namespace tour
