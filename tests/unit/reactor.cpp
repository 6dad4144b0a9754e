// Suite for <troupe/reactor.hpp>: this_reactor(), its Asio context, and the
// slow-handler warning.
#include <troupe/reactor.hpp>

#include <boost/test/unit_test.hpp>

#include <asio.hpp>

#include <array>
#include <chrono>
#include <coroutine>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>

#include "troupe_test.hpp"

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

namespace {

// ---- Bridging an Asio completion to a troupe task ----------------------

/// What an Asio operation completed with, and where its handler ran.
struct io_result {
  std::error_code ec;
  std::size_t bytes = 0;
  std::thread::id thread;
  std::size_t reactor_index = 99;
};

/// Suspends the task until the Asio operation that `start(handler)` begins
/// completes; the handler runs on the reactor thread and resumes the task
/// there, in the task's own troupe context.
template <class Start>
struct io_awaiter {
  Start start_;
  io_result result_{};

  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    troupe::detail::context* ctx = troupe::detail::current_context;
    start_([this, h, ctx](std::error_code ec, std::size_t bytes = 0) {
      result_ = {ec, bytes, std::this_thread::get_id(), troupe::this_reactor().index()};
      troupe::detail::context* outer = std::exchange(troupe::detail::current_context, ctx);
      h.resume();
      troupe::detail::current_context = outer;
    });
  }
  io_result await_resume() const noexcept { return result_; }
};

template <class Start>
io_awaiter<Start> asio_op(Start start) {
  return io_awaiter<Start>{std::move(start)};
}

troupe::task<io_result> wait_on_timer(std::chrono::milliseconds d) {
  asio::steady_timer timer(troupe::this_reactor().io_context(), d);
  co_return co_await asio_op([&](auto handler) { timer.async_wait(std::move(handler)); });
}

troupe::task<std::string> serve_one(asio::ip::tcp::acceptor* acceptor, io_result* seen) {
  asio::ip::tcp::socket peer(troupe::this_reactor().io_context());
  io_result accepted =
      co_await asio_op([&](auto h) { acceptor->async_accept(peer, std::move(h)); });
  BOOST_TEST_REQUIRE(!accepted.ec, accepted.ec.message());
  std::array<char, 4> buf{};
  io_result read =
      co_await asio_op([&](auto h) { asio::async_read(peer, asio::buffer(buf), std::move(h)); });
  BOOST_TEST_REQUIRE(!read.ec, read.ec.message());
  *seen = read;
  std::string reply = "pong";
  io_result wrote =
      co_await asio_op([&](auto h) { asio::async_write(peer, asio::buffer(reply), std::move(h)); });
  BOOST_TEST(!wrote.ec);
  co_return std::string(buf.data(), read.bytes);
}

troupe::task<std::string> call_once(asio::ip::tcp::endpoint server) {
  asio::ip::tcp::socket socket(troupe::this_reactor().io_context());
  io_result connected =
      co_await asio_op([&](auto h) { socket.async_connect(server, std::move(h)); });
  BOOST_TEST_REQUIRE(!connected.ec, connected.ec.message());
  std::string request = "ping";
  io_result wrote = co_await asio_op(
      [&](auto h) { asio::async_write(socket, asio::buffer(request), std::move(h)); });
  BOOST_TEST_REQUIRE(!wrote.ec, wrote.ec.message());
  std::array<char, 4> buf{};
  io_result read =
      co_await asio_op([&](auto h) { asio::async_read(socket, asio::buffer(buf), std::move(h)); });
  BOOST_TEST_REQUIRE(!read.ec, read.ec.message());
  co_return std::string(buf.data(), read.bytes);
}

troupe::task<int> sleep_briefly() {
  co_await troupe::sleep(5ms);
  co_return 1;
}

// ---- Slow handlers -----------------------------------------------------

/// Holds the thread without yielding, as blocking code would.
void spin_for(std::chrono::milliseconds d) {
  const auto until = steady::now() + d;
  while (steady::now() < until) {
  }
}

class spinner : public troupe::actor {
 public:
  void spin(int ms) { spin_for(std::chrono::milliseconds(ms)); }
  int quick(int n) { return n + 1; }
  troupe::task<void> spin_after_sleep(int ms) {
    co_await troupe::sleep(1ms);
    spin_for(std::chrono::milliseconds(ms));
  }
};

troupe::task<void> spin_task(int ms) {
  co_await troupe::yield();
  spin_for(std::chrono::milliseconds(ms));
  co_await troupe::yield();
}

/// The number of milliseconds a slow-step line reports ("held ... for X ms").
double reported_ms(const std::string& line) {
  const auto at = line.find(" for ");
  if (at == std::string::npos) return -1;
  return std::strtod(line.c_str() + at + 5, nullptr);
}

const std::string* find_line(const std::vector<std::string>& lines, std::string_view part) {
  for (const auto& l : lines)
    if (l.find(part) != std::string::npos) return &l;
  return nullptr;
}

troupe::options slow_50ms() { return troupe::options{.reactors = 1, .slow_handler = 50ms}; }

}  // namespace

BOOST_AUTO_TEST_SUITE(reactor)

BOOST_AUTO_TEST_CASE(this_reactor_inside_run_is_the_reactor_running_the_task) {
  troupe_test::run([]() -> troupe::task<void> {
    troupe::reactor& r = troupe::this_reactor();
    BOOST_TEST(r.index() == 0u);
    co_await troupe::sleep(1ms);
    BOOST_TEST(&troupe::this_reactor() == &r);  // the same after a suspension
    co_await troupe::create_task([](troupe::reactor* expected) -> troupe::task<void> {
      BOOST_TEST(&troupe::this_reactor() == expected);  // created tasks run there too
      co_return;
    }(&r));
  });
}

BOOST_AUTO_TEST_CASE(this_reactor_outside_run_throws_logic_error) {
  try {
    (void)troupe::this_reactor();
    BOOST_FAIL("expected logic_error");
  } catch (const std::logic_error& e) {
    const std::string what = e.what();
    BOOST_TEST(what.find("this_reactor") != std::string::npos, what);
    BOOST_TEST(what.find("outside a reactor thread") != std::string::npos, what);
  }
  // Nor on a thread of its own.
  bool threw = false;
  std::thread([&] {
    try {
      (void)troupe::this_reactor();
    } catch (const std::logic_error&) {
      threw = true;
    }
  }).join();
  BOOST_TEST(threw);
}

BOOST_AUTO_TEST_CASE(this_reactor_is_unset_again_after_run_returns) {
  troupe_test::run([]() -> troupe::task<void> { co_return; });
  BOOST_CHECK_THROW((void)troupe::this_reactor(), std::logic_error);
}

BOOST_AUTO_TEST_CASE(an_asio_timer_on_the_io_context_resumes_the_task_on_the_reactor_thread) {
  troupe_test::run([]() -> troupe::task<void> {
    const auto start = steady::now();
    // Through a created task, so the Asio handler ends by completing a troupe future.
    troupe::future<io_result> f = troupe::create_task(wait_on_timer(20ms));
    troupe::future<int> other = troupe::create_task(sleep_briefly());
    io_result r = co_await f;
    BOOST_TEST(!r.ec, r.ec.message());
    BOOST_TEST((r.thread == std::this_thread::get_id()));
    BOOST_TEST(r.reactor_index == 0u);
    BOOST_TEST((steady::now() - start >= 20ms));
    BOOST_TEST(other.done());  // troupe timers kept running while Asio waited
    BOOST_TEST(co_await other == 1);
  });
}

BOOST_AUTO_TEST_CASE(a_tcp_exchange_on_the_io_context_runs_its_handlers_on_the_reactor_thread) {
  troupe_test::run([]() -> troupe::task<void> {
    asio::io_context& context = troupe::this_reactor().io_context();
    asio::ip::tcp::acceptor acceptor(context, {asio::ip::make_address("127.0.0.1"), 0});
    const asio::ip::tcp::endpoint server = acceptor.local_endpoint();
    BOOST_TEST(server.port() != 0);
    io_result server_read;
    troupe::future<std::string> served = troupe::create_task(serve_one(&acceptor, &server_read));
    troupe::future<std::string> answered = troupe::create_task(call_once(server));
    BOOST_TEST(co_await answered == "pong");
    BOOST_TEST(co_await served == "ping");
    BOOST_TEST((server_read.thread == std::this_thread::get_id()));
    BOOST_TEST(server_read.bytes == 4u);
  });
}

BOOST_AUTO_TEST_CASE(asio_post_from_another_thread_runs_on_the_reactor_thread) {
  troupe_test::run([]() -> troupe::task<void> {
    asio::io_context& context = troupe::this_reactor().io_context();  // any thread may use it
    std::thread poster;
    io_result r = co_await asio_op([&](auto handler) {
      poster = std::thread([&context, handler = std::move(handler)]() mutable {
        asio::post(context, [h = std::move(handler)]() mutable { h(std::error_code{}); });
      });
    });
    poster.join();
    BOOST_TEST((r.thread == std::this_thread::get_id()));
    BOOST_TEST(r.reactor_index == 0u);
  });
}

BOOST_AUTO_TEST_CASE(a_slow_actor_handler_is_logged_with_actor_handler_and_duration) {
  troupe_test::log_capture log;
  std::uint64_t id = 0;
  troupe_test::run(
      [&]() -> troupe::task<void> {
        auto s = troupe::spawn<spinner>();
        id = s.id();
        co_await s.ask<&spinner::spin>(120);
      },
      slow_50ms());
  const auto lines = log.lines();
  const std::string* line = find_line(lines, "slow handler");
  BOOST_TEST_REQUIRE(line != nullptr, log.dump());
  BOOST_TEST(line->find("spinner::spin") != std::string::npos, *line);
  BOOST_TEST(line->find("spinner#" + std::to_string(id)) != std::string::npos, *line);
  BOOST_TEST(line->find(" ms") != std::string::npos, *line);
  BOOST_TEST(reported_ms(*line) >= 100.0, *line);
  BOOST_TEST(reported_ms(*line) < 10000.0, *line);
  BOOST_TEST(log.count({"slow"}) == 1u, log.dump());  // once, and only the slow one
}

BOOST_AUTO_TEST_CASE(a_slow_tell_handler_is_logged_too) {
  troupe_test::log_capture log;
  troupe_test::run(
      [&]() -> troupe::task<void> {
        auto s = troupe::spawn<spinner>();
        s.tell<&spinner::spin>(120);
        co_await s.ask<&spinner::quick>(1);
      },
      slow_50ms());
  BOOST_TEST(log.count({"slow handler", "spinner::spin", "spinner#"}) == 1u, log.dump());
}

BOOST_AUTO_TEST_CASE(a_slow_step_of_a_coroutine_handler_after_a_suspension_is_logged) {
  troupe_test::log_capture log;
  troupe_test::run(
      [&]() -> troupe::task<void> {
        auto s = troupe::spawn<spinner>();
        co_await s.ask<&spinner::spin_after_sleep>(120);
      },
      slow_50ms());
  BOOST_TEST(log.count({"slow handler", "spinner::spin_after_sleep", "spinner#"}) == 1u,
             log.dump());
}

BOOST_AUTO_TEST_CASE(a_slow_task_step_is_logged_with_the_task_name_and_duration) {
  troupe_test::log_capture log;
  troupe_test::run([&]() -> troupe::task<void> { co_await troupe::create_task(spin_task(120)); },
                   slow_50ms());
  const auto lines = log.lines();
  const std::string* line = find_line(lines, "slow task step");
  BOOST_TEST_REQUIRE(line != nullptr, log.dump());
  BOOST_TEST(line->find("spin_task") != std::string::npos, *line);
  BOOST_TEST(reported_ms(*line) >= 100.0, *line);
  BOOST_TEST(log.count({"slow"}) == 1u, log.dump());
}

BOOST_AUTO_TEST_CASE(fast_handlers_and_task_steps_are_not_logged) {
  troupe_test::log_capture log;
  troupe_test::run(
      [&]() -> troupe::task<void> {
        auto s = troupe::spawn<spinner>();
        int n = 0;
        for (int i = 0; i < 1000; ++i) n = co_await s.ask<&spinner::quick>(n);
        BOOST_TEST(n == 1000);
        co_await troupe::create_task(spin_task(1));
        co_await troupe::sleep(60ms);  // waiting is not holding the reactor
      },
      slow_50ms());
  BOOST_TEST(log.count({"slow"}) == 0u, log.dump());
}

BOOST_AUTO_TEST_CASE(a_zero_slow_handler_turns_the_check_off) {
  troupe_test::log_capture log;
  troupe_test::run(
      [&]() -> troupe::task<void> {
        auto s = troupe::spawn<spinner>();
        co_await s.ask<&spinner::spin>(120);  // would be reported by the default 100 ms
      },
      troupe::options{.reactors = 1, .slow_handler = 0ms});
  BOOST_TEST(log.count({"slow"}) == 0u, log.dump());
}

BOOST_AUTO_TEST_SUITE_END()
