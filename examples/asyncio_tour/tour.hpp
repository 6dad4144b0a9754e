// asyncio_tour — every asyncio idea of the articles troupe comes from, one
// short scene each, written with troupe and checked as it runs. The guide
// (docs/guide.md) quotes these scenes.
#pragma once

#include <troupe/troupe.hpp>

#include <chrono>
#include <string>

#include "../common/check.hpp"

namespace tour {

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

inline double ms_since(steady::time_point t) {
  return std::chrono::duration<double, std::milli>(steady::now() - t).count();
}

/// Sleeps `delay`, then returns "<label> done in <delay> ms".
inline troupe::task<std::string> fetch(std::string label, std::chrono::milliseconds delay) {
  co_await troupe::sleep(delay);
  co_return label + " done in " + std::to_string(delay.count()) + " ms";
}

// The scenes, by topic; each prints what it shows and checks it.
troupe::task<void> task_scenes(example::checks& check);        // tasks.cpp
troupe::task<void> combinator_scenes(example::checks& check);  // combinators.cpp
troupe::task<void> cancel_scenes(example::checks& check);      // cancel.cpp
troupe::task<void> thread_scenes(example::checks& check);      // threads.cpp
troupe::task<void> sync_scenes(example::checks& check);        // sync.cpp

/// A test's view: a timeout of 10 s checked on the virtual clock.
bool virtual_clock_scene(example::checks& check);  // sync.cpp

}  // namespace tour
