// Event and lock between tasks, and the virtual clock tests use.
#include <string>
#include <vector>

#include "tour.hpp"

namespace tour {

troupe::task<void> wait_then_log(troupe::event* ready, int i, std::vector<int>* log) {
  co_await ready->wait();
  log->push_back(i);
}

// [guide:lock]
troupe::task<void> deposit(troupe::lock* account, int* balance, int amount) {
  auto held = co_await account->hold();  // async with lock: released at the end of scope
  const int before = *balance;
  co_await troupe::sleep(1ms);  // others run here, but none can enter
  *balance = before + amount;
}
// [/guide:lock]

troupe::task<void> sync_scenes(example::checks& check) {
  {
    std::vector<int> log;
    // [guide:event]
    troupe::event ready;
    std::vector<troupe::future<void>> waiters;
    for (int i = 0; i < 3; ++i)
      waiters.push_back(troupe::create_task(wait_then_log(&ready, i, &log)));
    co_await troupe::sleep(10ms);  // all three wait
    ready.set();                   // and all three wake
    co_await troupe::gather(waiters);
    // [/guide:event]
    check.expect(log == std::vector<int>{0, 1, 2}, "event: set() wakes every waiter");
  }
  {
    troupe::lock account;
    int balance = 0;
    std::vector<troupe::future<void>> deposits;
    for (int i = 1; i <= 10; ++i)
      deposits.push_back(troupe::create_task(deposit(&account, &balance, i)));
    co_await troupe::gather(deposits);
    check.expect(balance == 55,
                 "lock: ten deposits, none lost (balance " + std::to_string(balance) + ")");
  }
}

// [guide:virtual-clock]
troupe::task<std::string> slow_reply() {
  co_await troupe::sleep(30s);
  co_return "late";
}

troupe::task<bool> times_out() {
  try {
    co_await troupe::wait_for(slow_reply(), 10s);
  } catch (const troupe::timeout_error&) {
    co_return true;
  }
  co_return false;
}
// [/guide:virtual-clock]

bool virtual_clock_scene(example::checks& check) {
  const auto start = steady::now();
  // [guide:virtual-clock-run]
  const bool timed_out = troupe::run(
      times_out(), troupe::options{.reactors = 1, .clock = troupe::clock_kind::virtual_time});
  // [/guide:virtual-clock-run]
  const double ms = ms_since(start);  // real time: far less than 10 s
  return check.expect(timed_out && ms < 1000, "virtual clock: a 10 s timeout checked in " +
                                                  std::to_string(static_cast<int>(ms)) + " ms");
}

}  // namespace tour
