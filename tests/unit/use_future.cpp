// Suite for <troupe/use_future.hpp>: Asio operations awaited as futures.
#include <troupe/use_future.hpp>

#include <boost/test/unit_test.hpp>

#include <asio/ip/tcp.hpp>
#include <asio/read.hpp>
#include <asio/read_until.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>

#include <array>
#include <chrono>
#include <string>
#include <system_error>

#include "troupe_test.hpp"

using namespace std::chrono_literals;
using asio::ip::tcp;

namespace {

tcp::acceptor local_acceptor() {
  return tcp::acceptor(troupe::this_reactor().io_context(),
                       tcp::endpoint(asio::ip::address_v4::loopback(), 0));
}

// A connected pair of sockets on this reactor.
troupe::task<std::pair<tcp::socket, tcp::socket>> socket_pair() {
  auto acceptor = local_acceptor();
  tcp::socket client(troupe::this_reactor().io_context());
  auto accepted = acceptor.async_accept(troupe::use_future);
  co_await client.async_connect(acceptor.local_endpoint(), troupe::use_future);
  tcp::socket server = co_await accepted;
  co_return std::pair{std::move(client), std::move(server)};
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_timer_wait_completes_the_future_when_the_timer_expires) {
  auto waited = troupe_test::run([]() -> troupe::task<std::chrono::nanoseconds> {
    asio::steady_timer timer(troupe::this_reactor().io_context(), 20ms);
    const auto start = std::chrono::steady_clock::now();
    co_await timer.async_wait(troupe::use_future);
    co_return std::chrono::steady_clock::now() - start;
  });
  BOOST_TEST(waited >= std::chrono::nanoseconds(20ms));
}

BOOST_AUTO_TEST_CASE(bytes_written_on_one_socket_are_read_on_the_other) {
  auto [written, received] = troupe_test::run([]() -> troupe::task<std::pair<std::size_t, std::string>> {
    auto [client, server] = co_await socket_pair();
    const std::string msg = "GET /weather\n";
    const std::size_t n = co_await asio::async_write(client, asio::buffer(msg), troupe::use_future);
    std::string got(msg.size(), '\0');
    co_await asio::async_read(server, asio::buffer(got), troupe::use_future);
    co_return std::pair{n, got};
  });
  BOOST_TEST(written == 13u);
  BOOST_TEST(received == "GET /weather\n");
}

BOOST_AUTO_TEST_CASE(an_error_code_is_thrown_as_system_error_when_awaited) {
  auto code = troupe_test::run([]() -> troupe::task<std::error_code> {
    tcp::endpoint closed;
    {
      auto a = local_acceptor();  // a port nobody listens on once it is closed
      closed = a.local_endpoint();
    }
    tcp::socket s(troupe::this_reactor().io_context());
    try {
      co_await s.async_connect(closed, troupe::use_future);
    } catch (const std::system_error& e) {
      co_return e.code();
    }
    co_return std::error_code();
  });
  BOOST_TEST(code == asio::error::connection_refused);
}

BOOST_AUTO_TEST_CASE(cancelling_the_future_cancels_the_pending_read) {
  auto [outcome, socket_still_usable] = troupe_test::run([]() -> troupe::task<std::pair<std::string, bool>> {
    auto [client, server] = co_await socket_pair();
    std::array<char, 16> buf{};
    auto read = server.async_read_some(asio::buffer(buf), troupe::use_future);
    co_await troupe::sleep(5ms);
    BOOST_TEST(read.cancel());
    std::string out;
    try {
      (void)co_await read;
      out = "value";
    } catch (const troupe::cancelled_error&) {
      out = "cancelled";
    }
    // The operation itself was cancelled: a new read gets the next bytes.
    co_await asio::async_write(client, asio::buffer(std::string("x")), troupe::use_future);
    const std::size_t n = co_await server.async_read_some(asio::buffer(buf), troupe::use_future);
    co_return std::pair{out, n == 1 && buf[0] == 'x'};
  });
  BOOST_TEST(outcome == "cancelled");
  BOOST_TEST(socket_still_usable);
}

BOOST_AUTO_TEST_CASE(wait_for_times_out_a_read_that_gets_no_data_and_cancels_it) {
  auto timed_out = troupe_test::run([]() -> troupe::task<bool> {
    auto [client, server] = co_await socket_pair();
    std::array<char, 16> buf{};
    try {
      (void)co_await troupe::wait_for(server.async_read_some(asio::buffer(buf), troupe::use_future),
                                      30ms);
    } catch (const troupe::timeout_error&) {
      co_return true;
    }
    co_return false;
  });
  BOOST_TEST(timed_out);
}

BOOST_AUTO_TEST_CASE(an_io_object_of_another_reactor_is_refused_with_logic_error) {
  std::string what = troupe_test::run(
      []() -> troupe::task<std::string> {
        class owner : public troupe::actor {
         public:
          asio::io_context* context() { return &troupe::this_reactor().io_context(); }
        };
        auto other = troupe::spawn_on<owner>(troupe::on_reactor(1));
        asio::io_context* foreign = co_await other.ask<&owner::context>();
        asio::steady_timer timer(*foreign, 1ms);
        try {
          co_await timer.async_wait(troupe::use_future);
        } catch (const std::logic_error& e) {
          co_return e.what();
        }
        co_return "accepted";
      },
      troupe::options{.reactors = 2});
  BOOST_TEST(what.find("another io_context") != std::string::npos, what);
}

BOOST_AUTO_TEST_CASE(a_cancelled_read_into_a_coroutines_buffer_ends_before_the_coroutine_resumes) {
  // The buffer lives in read_line's frame: the frame may only unwind once
  // Asio has finished with it (under AddressSanitizer a use after free here
  // is an error, not luck).
  auto outcome = troupe_test::run([]() -> troupe::task<std::string> {
    auto [client, server] = co_await socket_pair();
    auto read_line = [](tcp::socket& s) -> troupe::task<std::string> {
      std::string line;
      co_await asio::async_read_until(s, asio::dynamic_buffer(line), '\n', troupe::use_future);
      co_return line;
    };
    std::string out;
    try {
      out = co_await troupe::wait_for(read_line(server), 10ms);
    } catch (const troupe::timeout_error&) {
      out = "timed out";
    }
    co_await troupe::sleep(10ms);
    // The socket is still usable afterwards.
    co_await asio::async_write(client, asio::buffer(std::string("late\n")), troupe::use_future);
    co_return out + ", then " + co_await read_line(server);
  });
  BOOST_TEST(outcome == "timed out, then late\n");
}
