#include "troupe_test.hpp"

#include <boost/test/unit_test.hpp>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>

namespace troupe_test {

std::string time_limit::current_test_name() {
  try {
    return boost::unit_test::framework::current_test_case().full_name();
  } catch (...) {
    return "this test";
  }
}

time_limit::time_limit(std::chrono::milliseconds limit, std::string what) {
  watchdog_ = std::thread([this, limit, what = std::move(what)] {
    std::unique_lock lock(mutex_);
    if (!done_cv_.wait_for(lock, limit, [this] { return done_; })) {
      std::fprintf(stderr, "FATAL: %s exceeded its time limit of %lld ms (hung?)\n", what.c_str(),
                   static_cast<long long>(limit.count()));
      std::fflush(stderr);
      std::abort();
    }
  });
}

time_limit::~time_limit() {
  {
    std::lock_guard lock(mutex_);
    done_ = true;
  }
  done_cv_.notify_all();
  watchdog_.join();
}

struct log_capture::state {
  std::mutex mutex;
  std::vector<std::string> lines;
};

namespace {
class recording_sink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit recording_sink(std::shared_ptr<log_capture::state> s) : state_(std::move(s)) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    std::string line(spdlog::level::to_string_view(msg.level).data(),
                     spdlog::level::to_string_view(msg.level).size());
    line += ": ";
    line.append(msg.payload.data(), msg.payload.size());
    std::lock_guard lock(state_->mutex);
    state_->lines.push_back(std::move(line));
  }
  void flush_() override {}

 private:
  std::shared_ptr<log_capture::state> state_;
};
}  // namespace

log_capture::log_capture() : state_(std::make_shared<state>()), previous_(troupe::logger()) {
  auto sink = std::make_shared<recording_sink>(state_);
  auto logger = std::make_shared<spdlog::logger>("troupe", sink);
  logger->set_level(spdlog::level::trace);
  troupe::set_logger(std::move(logger));
}

log_capture::~log_capture() { troupe::set_logger(previous_); }

std::vector<std::string> log_capture::lines() const {
  std::lock_guard lock(state_->mutex);
  return state_->lines;
}

std::size_t log_capture::count(std::initializer_list<std::string_view> parts) const {
  std::size_t n = 0;
  for (const auto& line : lines()) {
    bool all = true;
    for (auto p : parts) all = all && line.find(p) != std::string::npos;
    n += all ? 1 : 0;
  }
  return n;
}

std::string log_capture::dump() const {
  std::string all;
  for (const auto& line : lines()) all += line + "\n";
  return all.empty() ? "(nothing logged)" : all;
}

}  // namespace troupe_test
