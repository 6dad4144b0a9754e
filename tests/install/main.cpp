// Built against an installed troupe by .ci/run (CMake package and
// pkg-config); exits 0 only if the actors it uses answer correctly.
#include <troupe/actors/ticker.hpp>
#include <troupe/troupe.hpp>

#include <cstdio>

using namespace std::chrono_literals;

class greeter : public troupe::actor {
 public:
  int twice(int n) { return 2 * n; }
};

troupe::task<int> amain() {
  auto g = troupe::spawn<greeter>();
  int ticks = 0;
  auto t = troupe::spawn<troupe::actors::ticker>(1ms, [&](std::uint64_t) { ++ticks; });
  co_await troupe::sleep(20ms);
  co_await t.ask<&troupe::actors::ticker::halt>();
  co_return co_await g.ask<&greeter::twice>(21) + (ticks > 0 ? 0 : 1000);
}

int main() {
  const int r = troupe::run(amain(), troupe::options{.reactors = 1});
  std::printf("consumer: %d\n", r);
  return r == 42 ? 0 : 1;
}
