// Must not compile: telling through an actor_ref to a class that does not
// derive from troupe::actor (tests/CMakeLists.txt expects the
// static_assert's text).
#include <troupe/actor_ref.hpp>

namespace {

struct not_an_actor {
  void poke(int) {}
};

}  // namespace

void tell_a_plain_struct(const troupe::actor_ref<not_an_actor>& ref) {
  ref.tell<&not_an_actor::poke>(1);
}
