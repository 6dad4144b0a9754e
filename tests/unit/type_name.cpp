// Suite for <troupe/detail/type_name.hpp>: readable names of types and
// handlers, computed at compile time.
#include <troupe/detail/type_name.hpp>

#include <boost/test/unit_test.hpp>

#include <string_view>

namespace app {
struct widget {
  int poke(int n) { return n; }
  int size() const { return 0; }
  void reset() noexcept {}
};
template <class T, class U>
struct pair_of {
  T get() const { return {}; }
};
namespace inner {
class gadget {};
}  // namespace inner
}  // namespace app

namespace {
struct hidden {
  void run() {}
};
}  // namespace

struct global_type {};

using troupe::detail::handler_name;

// The suite lives in a namespace of its own, so that its name can be the
// header's without hiding the function it tests.
namespace suites {
BOOST_AUTO_TEST_SUITE(type_name)

BOOST_AUTO_TEST_CASE(type_names_are_qualified_and_computed_at_compile_time) {
  static_assert(troupe::detail::type_name<app::widget>() == "app::widget");
  static_assert(troupe::detail::type_name<app::inner::gadget>() == "app::inner::gadget");
  static_assert(troupe::detail::type_name<global_type>() == "global_type");
  static_assert(troupe::detail::type_name<int>() == "int");
  BOOST_TEST(troupe::detail::type_name<app::widget>() == "app::widget");
  BOOST_TEST(troupe::detail::type_name<hidden>() == "{anonymous}::hidden");
}

BOOST_AUTO_TEST_CASE(template_type_names_keep_every_argument) {
  BOOST_TEST(
      (troupe::detail::type_name<app::pair_of<int, long>>() == "app::pair_of<int, long int>"));
  BOOST_TEST((troupe::detail::type_name<app::pair_of<app::widget, global_type>>() ==
              "app::pair_of<app::widget, global_type>"));
}

BOOST_AUTO_TEST_CASE(handler_names_are_class_and_member) {
  static_assert(handler_name<&app::widget::poke>() == "app::widget::poke");
  BOOST_TEST(handler_name<&app::widget::size>() == "app::widget::size");    // const
  BOOST_TEST(handler_name<&app::widget::reset>() == "app::widget::reset");  // noexcept
  BOOST_TEST(handler_name<&hidden::run>() == "{anonymous}::hidden::run");
  BOOST_TEST((handler_name<&app::pair_of<int, long>::get>() == "app::pair_of<int, long int>::get"));
}

BOOST_AUTO_TEST_CASE(names_are_nul_terminated_for_c_apis) {
  const std::string_view t = troupe::detail::type_name<app::widget>();
  BOOST_TEST(t.data()[t.size()] == '\0');
  const std::string_view h = handler_name<&app::widget::poke>();
  BOOST_TEST(h.data()[h.size()] == '\0');
}

BOOST_AUTO_TEST_CASE(the_same_type_always_gets_the_same_storage) {
  // Names are stored once per type: cheap to copy into every message.
  BOOST_TEST(troupe::detail::type_name<app::widget>().data() ==
             troupe::detail::type_name<app::widget>().data());
  BOOST_TEST(handler_name<&app::widget::poke>().data() ==
             handler_name<&app::widget::poke>().data());
}

BOOST_AUTO_TEST_CASE(strip_signature_leaves_text_without_a_binding_alone) {
  static_assert(troupe::detail::strip_signature("no binding here") == "no binding here");
  static_assert(troupe::detail::strip_signature("f() [with T = x::y]") == "x::y");
  static_assert(troupe::detail::strip_signature("f() [with auto M = &x::y::z; S = q]") ==
                "x::y::z");
  static_assert(troupe::detail::strip_signature("f() [T = x::y]") == "x::y");  // Clang's form
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace suites
