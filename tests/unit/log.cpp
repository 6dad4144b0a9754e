// Suite for <troupe/log.hpp>: where troupe's log lines go.
#include <troupe/log.hpp>

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <boost/test/unit_test.hpp>

#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "troupe_test.hpp"

using namespace std::chrono_literals;

namespace {

// A sink that keeps what it is given.
class keep_sink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  std::vector<std::string> lines() {
    std::lock_guard lock(mutex_);
    return lines_;
  }
  std::size_t count(const std::string& part) {
    std::size_t n = 0;
    for (const auto& l : lines())
      if (l.find(part) != std::string::npos) ++n;
    return n;
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    lines_.emplace_back(msg.payload.data(), msg.payload.size());
  }
  void flush_() override {}

 private:
  std::vector<std::string> lines_;
};

// Puts back troupe's logger (and spdlog's default) whatever a test did.
struct restore_loggers {
  std::shared_ptr<spdlog::logger> troupe_logger = troupe::logger();
  std::shared_ptr<spdlog::logger> default_logger = spdlog::default_logger();
  ~restore_loggers() {
    troupe::set_logger(troupe_logger);
    spdlog::set_default_logger(default_logger);
  }
};

troupe::task<int> fails() {
  co_await troupe::yield();
  throw std::runtime_error("logged failure");
  co_return 0;
}

// Makes troupe log an error of its own: an exception nobody retrieved.
void make_troupe_log_an_error() {
  troupe_test::run([]() -> troupe::task<void> {
    (void)troupe::create_task(fails());
    for (int i = 0; i < 3; ++i) co_await troupe::yield();
  });
}

}  // namespace

// The suite lives in a namespace of its own: at global scope its name would
// clash with ::log from <cmath>.
namespace suites {
BOOST_AUTO_TEST_SUITE(log)

BOOST_AUTO_TEST_CASE(logger_returns_the_logger_registered_as_troupe) {
  restore_loggers restore;
  auto l = troupe::logger();
  BOOST_TEST_REQUIRE(l != nullptr);
  BOOST_TEST(l->name() == "troupe");
  BOOST_TEST((spdlog::get("troupe") == l));
  BOOST_TEST((troupe::logger() == l));  // the same one every time
}

BOOST_AUTO_TEST_CASE(logger_creates_one_on_first_use_when_none_is_registered) {
  restore_loggers restore;
  spdlog::drop("troupe");
  BOOST_TEST((spdlog::get("troupe") == nullptr));
  auto l = troupe::logger();
  BOOST_TEST_REQUIRE(l != nullptr);
  BOOST_TEST(l->name() == "troupe");
  BOOST_TEST((spdlog::get("troupe") == l));
}

BOOST_AUTO_TEST_CASE(set_logger_replaces_the_logger_troupe_writes_to) {
  restore_loggers restore;
  auto sink = std::make_shared<keep_sink>();
  auto mine = std::make_shared<spdlog::logger>("troupe", sink);
  troupe::set_logger(mine);
  BOOST_TEST((troupe::logger() == mine));
  BOOST_TEST((spdlog::get("troupe") == mine));
  make_troupe_log_an_error();
  BOOST_TEST(sink->count("logged failure") == 1u);
}

BOOST_AUTO_TEST_CASE(a_logger_with_another_name_is_registered_under_troupe) {
  restore_loggers restore;
  auto sink = std::make_shared<keep_sink>();
  auto mine = std::make_shared<spdlog::logger>("my-app", sink);
  troupe::set_logger(mine);
  auto now = troupe::logger();
  BOOST_TEST(now->name() == "troupe");
  BOOST_TEST((spdlog::get("troupe") == now));
  BOOST_TEST(mine->name() == "my-app");  // the application's own logger is untouched
  make_troupe_log_an_error();
  BOOST_TEST(sink->count("logged failure") == 1u);  // same sinks
}

BOOST_AUTO_TEST_CASE(set_logger_with_null_throws_invalid_argument_and_keeps_the_logger) {
  restore_loggers restore;
  auto before = troupe::logger();
  BOOST_CHECK_THROW(troupe::set_logger(nullptr), std::invalid_argument);
  BOOST_TEST((troupe::logger() == before));
}

BOOST_AUTO_TEST_CASE(troupe_never_writes_to_spdlogs_default_logger) {
  restore_loggers restore;
  auto default_sink = std::make_shared<keep_sink>();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("default", default_sink));
  auto troupe_sink = std::make_shared<keep_sink>();
  troupe::set_logger(std::make_shared<spdlog::logger>("troupe", troupe_sink));
  make_troupe_log_an_error();
  BOOST_TEST(troupe_sink->count("logged failure") == 1u);
  BOOST_TEST(default_sink->lines().empty());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace suites
