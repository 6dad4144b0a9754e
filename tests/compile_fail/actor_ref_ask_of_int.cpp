// Must not compile: asking through an actor_ref whose type is not an actor
// (tests/CMakeLists.txt expects the static_assert's text).
#include <troupe/actor.hpp>
#include <troupe/actor_ref.hpp>

namespace {

class echo : public troupe::actor {
 public:
  int twice(int n) { return 2 * n; }
};

}  // namespace

troupe::future<int> ask_an_int(const troupe::actor_ref<int>& ref) {
  return ref.ask<&echo::twice>(21);
}
