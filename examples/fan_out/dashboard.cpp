#include "dashboard.hpp"

#include "../common/read_until.hpp"

#include <asio/connect.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/write.hpp>

#include <exception>
#include <stdexcept>
#include <string>
#include <utility>

using asio::ip::tcp;

// [guide:asio-client]
troupe::task<reading> service_client::fetch() {
  const auto start = std::chrono::steady_clock::now();
  tcp::socket socket(home().io_context());  // I/O on this actor's reactor
  co_await socket.async_connect({asio::ip::address_v4::loopback(), port_}, troupe::use_future);
  const std::string request = "GET " + service_ + "\n";
  co_await asio::async_write(socket, asio::buffer(request), troupe::use_future);
  std::string line;
  const std::size_t end = co_await example::read_until(socket, line, "\n");
  line.resize(end - 1);  // without the '\n'
  if (!line.starts_with("OK ")) throw std::runtime_error(line.substr(line.find(' ') + 1));
  const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
  co_return reading{line.substr(3), took.count()};
}
// [/guide:asio-client]

troupe::task<std::vector<panel>> dashboard::refresh(std::chrono::milliseconds timeout) {
  // [guide:fan-out]
  std::vector<troupe::future<reading>> fetches;
  for (auto& client : clients_)  // every request is sent now; none waits for another
    fetches.push_back(
        troupe::create_task(troupe::wait_for(client.ask<&service_client::fetch>(), timeout)));
  std::vector<troupe::outcome<reading>> outcomes = co_await troupe::gather_settled(fetches);
  // [/guide:fan-out]

  std::vector<panel> panels;
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    panel p{services_[i]};
    if (outcomes[i].has_value()) {
      p.text = outcomes[i].value().text;
      p.ms = outcomes[i].value().ms;
    } else {
      try {
        std::rethrow_exception(outcomes[i].error());
      } catch (const troupe::timeout_error&) {
        p.state = panel::status::timed_out;
        p.text =
            "no answer within " + std::to_string(timeout.count()) + " ms; the fetch was cancelled";
      } catch (const std::exception& e) {
        p.state = panel::status::failed;
        p.text = e.what();
      }
    }
    panels.push_back(std::move(p));
  }
  co_return panels;
}
