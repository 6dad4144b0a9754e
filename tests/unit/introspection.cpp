// Suite for <troupe/introspection.hpp>.
#include <troupe/introspection.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <string>

#include "troupe_test.hpp"

using namespace std::chrono_literals;

namespace {

troupe::task<std::string> my_name() {
  auto info = troupe::current_task();
  co_return info ? std::string(info->name) : std::string("none");
}

troupe::task<void> napping_worker() { co_await troupe::sleep(50ms); }

class inspector : public troupe::actor {
 public:
  troupe::task<std::string> who() {
    co_await troupe::yield();
    auto info = troupe::current_task();
    co_return std::string(info->name) + " on " + std::string(info->actor_type);
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(introspection)

BOOST_AUTO_TEST_CASE(current_task_names_the_running_task_by_its_function) {
  auto name = troupe_test::run([]() -> troupe::task<std::string> {
    co_return co_await troupe::create_task(my_name());
  });
  BOOST_TEST(name == "{anonymous}::my_name");
}

BOOST_AUTO_TEST_CASE(current_task_inside_a_handler_names_the_handler_and_actor) {
  auto who = troupe_test::run([]() -> troupe::task<std::string> {
    auto i = troupe::spawn<inspector>();
    co_return co_await i.ask<&inspector::who>();
  });
  BOOST_TEST(who == "{anonymous}::inspector::who on {anonymous}::inspector");
}

BOOST_AUTO_TEST_CASE(current_task_is_empty_outside_any_task) {
  BOOST_TEST(!troupe::current_task().has_value());
}

BOOST_AUTO_TEST_CASE(all_tasks_lists_live_tasks_and_handlers_in_progress) {
  troupe_test::run([]() -> troupe::task<void> {
    auto a = troupe::create_task(napping_worker());
    auto b = troupe::create_task(napping_worker());
    co_await troupe::yield();
    auto tasks = troupe::all_tasks();
    const auto workers = std::count_if(tasks.begin(), tasks.end(), [](const troupe::task_info& t) {
      return t.name.find("napping_worker") != std::string_view::npos;
    });
    BOOST_TEST(workers == 2);
    co_await a;
    co_await b;
    tasks = troupe::all_tasks();
    BOOST_TEST(std::none_of(tasks.begin(), tasks.end(), [](const troupe::task_info& t) {
      return t.name.find("napping_worker") != std::string_view::npos;
    }));
  });
}

BOOST_AUTO_TEST_CASE(all_tasks_off_a_reactor_throws_logic_error) {
  BOOST_CHECK_THROW(troupe::all_tasks(), std::logic_error);
}

BOOST_AUTO_TEST_SUITE_END()
