// asyncio_tour — the asyncio articles' scenes, one after another, in troupe:
// coroutines and tasks, gather and friends, timeouts and cancellation,
// threads, events and locks, and a test's virtual clock. Each scene checks
// what it shows; the program exits non-zero if one did not hold.
//
//   asyncio_tour [--only TOPIC]
#include <algorithm>
#include <cstdio>
#include <iterator>
#include <string>

#include "../common/cli.hpp"
#include "tour.hpp"

struct settings {
  std::string only;  // one of the topics below, or all of them
};

troupe::task<int> amain(settings s) {
  example::checks check;
  struct topic {
    const char* name;
    troupe::task<void> (*scenes)(example::checks&);
  };
  const topic topics[] = {{"tasks", tour::task_scenes},
                          {"combinators", tour::combinator_scenes},
                          {"cancellation", tour::cancel_scenes},
                          {"threads", tour::thread_scenes},
                          {"sync", tour::sync_scenes}};
  for (const topic& t : topics) {
    if (!s.only.empty() && s.only != t.name) continue;
    std::printf("%s:\n", t.name);
    co_await t.scenes(check);
  }
  co_return check.exit_code();
}

int main(int argc, char** argv) {
  settings s;
  example::cli cli(
      "asyncio_tour",
      "Runs the asyncio articles' scenes in troupe, each checked: tasks, combinators,\n"
      "cancellation, threads, sync (and the virtual clock).");
  cli.option("only", s.only, "run one topic: tasks, combinators, cancellation, threads or sync");
  if (auto code = cli.parse(argc, argv)) return *code;
  const std::string topics[] = {"", "tasks", "combinators", "cancellation", "threads", "sync"};
  if (std::find(std::begin(topics), std::end(topics), s.only) == std::end(topics)) {
    std::fprintf(stderr, "asyncio_tour: no topic '%s' (try --help)\n", s.only.c_str());
    return 2;
  }
  // [guide:run]
  int code = troupe::run(amain(s), troupe::options{.reactors = 2});
  // [/guide:run]
  if (s.only.empty() || s.only == "sync") {
    std::printf("virtual clock:\n");
    example::checks check;
    tour::virtual_clock_scene(check);
    if (check.exit_code() != 0) code = 1;
  }
  return code;
}
