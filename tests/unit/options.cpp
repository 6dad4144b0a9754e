// Suite for <troupe/options.hpp>: the settings troupe::run accepts.
#include <troupe/options.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "troupe_test.hpp"

using namespace std::chrono_literals;

namespace {

troupe::task<void> set_flag(bool* flag) {
  *flag = true;
  co_return;
}

// The message of the invalid_argument that run throws for `opts`, and
// whether the task ran anyway.
std::string rejection_of(const troupe::options& opts, bool* ran) {
  try {
    troupe::run(set_flag(ran), opts);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(no exception)";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(options)

BOOST_AUTO_TEST_CASE(options_is_an_aggregate_with_documented_defaults) {
  static_assert(std::is_aggregate_v<troupe::options>);
  const troupe::options o;
  BOOST_TEST(o.reactors == 0u);
  BOOST_TEST((o.slow_handler == 100ms));
  BOOST_TEST(o.trace.empty());
  BOOST_TEST((o.clock == troupe::clock_kind::real_time));
}

BOOST_AUTO_TEST_CASE(designated_initialisers_set_the_named_fields) {
  const troupe::options o{.reactors = 2, .slow_handler = 50ms, .trace = "f.jsonl"};
  BOOST_TEST(o.reactors == 2u);
  BOOST_TEST((o.slow_handler == 50ms));
  BOOST_TEST(o.trace == "f.jsonl");
  BOOST_TEST((o.clock == troupe::clock_kind::real_time));
}

BOOST_AUTO_TEST_CASE(a_trace_file_that_cannot_be_written_stops_run_with_an_error_naming_it) {
  // A path under a regular file: no directory can be made there.
  const auto file = std::filesystem::temp_directory_path() / "troupe-options-not-a-dir";
  std::ofstream(file) << "x";
  const std::string path = (file / "flow.jsonl").string();
  bool ran = false;
  std::string what = "(no exception)";
  try {
    troupe::run(set_flag(&ran), troupe::options{.reactors = 1, .trace = path});
  } catch (const std::runtime_error& e) {
    what = e.what();
  }
  std::filesystem::remove(file);
  BOOST_TEST(what.find(path) != std::string::npos, what);
  BOOST_TEST(!ran);
}

BOOST_AUTO_TEST_CASE(a_negative_slow_handler_is_rejected_with_invalid_argument) {
  bool ran = false;
  const std::string what = rejection_of(troupe::options{.reactors = 1, .slow_handler = -1ms}, &ran);
  BOOST_TEST(what.find("slow_handler") != std::string::npos, what);
  BOOST_TEST(!ran);
}

BOOST_AUTO_TEST_CASE(a_rejected_run_leaves_the_thread_free_for_the_next_run) {
  bool ran = false;
  (void)rejection_of(troupe::options{.reactors = 2, .slow_handler = -1ms}, &ran);
  troupe_test::run([&]() -> troupe::task<void> {
    ran = true;
    co_return;
  });
  BOOST_TEST(ran);
}

BOOST_AUTO_TEST_SUITE_END()
