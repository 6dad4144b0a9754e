#include "service.hpp"

#include "../common/read_until.hpp"

#include <asio/ip/tcp.hpp>
#include <asio/write.hpp>

#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

using asio::ip::tcp;

std::string payload_of(const std::string& service) {
  if (service == "weather") return "Lisbon 21 C, clear";
  if (service == "news") return "3 new headlines";
  if (service == "stock") return "ACME 101.25 (+0.4%)";
  if (service == "traffic") return "A2 northbound: 12 min delay";
  if (service == "health") return "all systems normal";
  return "hello from " + service;
}

// [guide:asio-server]
// One connection: read the request line, take the service's time, ask the
// actor for the answer, write the reply line.
static troupe::task<void> serve(tcp::socket socket, troupe::actor_ref<service> owner,
                                std::chrono::milliseconds latency) {
  try {
    std::string request;
    const std::size_t end = co_await example::read_until(socket, request, "\n");
    request.resize(end - 1);
    co_await troupe::sleep(latency);  // the service's work, without blocking the reactor
    std::string reply;
    try {
      reply = "OK " + co_await owner.ask<&service::answer>(request) + "\n";
    } catch (const service_failure& e) {
      reply = std::string("ERR ") + e.what() + "\n";
    }
    co_await asio::async_write(socket, asio::buffer(reply), troupe::use_future);
  } catch (const std::system_error&) {
    // The client went away (a client that timed out closes its socket).
  }
}

// Accepts connections until cancelled; owns the listening socket.
static troupe::task<void> accept_loop(tcp::acceptor acceptor, troupe::actor_ref<service> owner,
                                      std::chrono::milliseconds latency) {
  std::vector<troupe::future<void>> sessions;
  for (;;) {
    tcp::socket socket = co_await acceptor.async_accept(troupe::use_future);
    std::erase_if(sessions, [](const troupe::future<void>& f) { return f.done(); });
    sessions.push_back(troupe::create_task(serve(std::move(socket), owner, latency)));
  }
}
// [/guide:asio-server]

void service::on_start() {
  // This runs on the actor's reactor: sockets made on its io_context have
  // their completions delivered here.
  tcp::acceptor acceptor(home().io_context(), tcp::endpoint(asio::ip::address_v4::loopback(), 0));
  port_ = acceptor.local_endpoint().port();
  accepting_ =
      troupe::create_task(accept_loop(std::move(acceptor), self<service>(), spec_.latency));
}

void service::on_stop() { accepting_.cancel(); }

std::string service::answer(std::string request) {
  ++served_;
  if (request != "GET " + spec_.name) throw service_failure("unknown request '" + request + "'");
  if (spec_.fails) throw service_failure(failure_reason);
  return payload_of(spec_.name);
}
