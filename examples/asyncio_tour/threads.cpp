// Blocking calls on threads, introspection, and managed fire-and-forget.
#include <exception>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tour.hpp"

namespace tour {

// [guide:to_thread]
std::string blocking_db_query() {
  std::this_thread::sleep_for(100ms);  // holds its thread: never call this on a reactor
  return "query results";
}
// [/guide:to_thread]

// [guide:introspection]
troupe::task<std::string> inspect() {
  std::optional<troupe::task_info> me = troupe::current_task();  // asyncio.current_task()
  const std::size_t tasks = troupe::all_tasks().size();          // asyncio.all_tasks()
  const std::size_t loop = troupe::this_reactor().index();       // asyncio.get_running_loop()
  co_return std::string(me->name) + " (task " + std::to_string(me->id) + ") on reactor " +
      std::to_string(loop) + ", " + std::to_string(tasks) + " tasks alive";
}
// [/guide:introspection]

troupe::task<int> job(int n) {
  co_await troupe::sleep(std::chrono::milliseconds(5 * n));
  if (n == 3) throw std::runtime_error("job 3 failed");
  co_return n;
}

troupe::task<void> thread_scenes(example::checks& check) {
  {
    const auto start = steady::now();
    double slept = 0;
    // [guide:to_thread-caller]
    troupe::future<std::string> query = troupe::to_thread(blocking_db_query);
    const auto before = steady::now();
    co_await troupe::sleep(10ms);  // the reactor is free meanwhile: this wakes on time
    slept = ms_since(before);
    std::string rows = co_await query;
    // [/guide:to_thread-caller]
    const double ms = ms_since(start);
    check.expect(rows == "query results" && slept < 50 && ms >= 99,
                 "to_thread: a 100 ms blocking call, and a 10 ms sleep beside it took " +
                     std::to_string(static_cast<int>(slept)) + " ms");
  }
  {
    std::string seen = co_await troupe::create_task(inspect());
    std::printf("  (current_task in inspect(): %s)\n", seen.c_str());
    check.expect(seen.starts_with("tour::inspect (task ") || seen.starts_with("inspect (task "),
                 "current_task(), all_tasks() and this_reactor() describe where code runs");
  }
  {
    std::vector<std::string> outcomes;
    // [guide:callbacks]
    std::set<int> running;  // the fire-and-forget jobs, as asyncio keeps them in a set
    for (int n = 1; n <= 4; ++n) {
      running.insert(n);
      troupe::create_task(job(n)).add_done_callback([&, n](troupe::future<int>& f) {
        if (std::exception_ptr e = f.exception()) {
          try {
            std::rethrow_exception(e);
          } catch (const std::exception& x) {
            outcomes.push_back(x.what());  // seen, so not logged as "never retrieved"
          }
        } else {
          outcomes.push_back(std::to_string(f.result()));
        }
        running.erase(n);
      });
    }
    while (!running.empty()) co_await troupe::sleep(5ms);
    // [/guide:callbacks]
    const std::vector<std::string> expected{"1", "2", "job 3 failed", "4"};
    check.expect(outcomes == expected, "add_done_callback sees each job's result or exception");
  }
}

}  // namespace tour
