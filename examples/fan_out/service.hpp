// fan_out's services: each one an actor that serves a tiny line protocol
// over TCP on 127.0.0.1, from its own reactor's io_context.
//
//   request:  "GET <service>\n"
//   reply:    "OK <text>\n" or "ERR <reason>\n", after the service's latency
#pragma once

#include <troupe/troupe.hpp>

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>

/// What a service is: its name, how long it takes to answer, and whether it
/// answers with an error.
struct service_spec {
  std::string name;
  std::chrono::milliseconds latency{0};
  bool fails = false;
};

/// The text a working service answers with.
std::string payload_of(const std::string& service);

/// The reason a failing service gives.
inline const std::string failure_reason = "database unreachable";

/// What a service's handler throws when it cannot answer; it reaches the
/// asker with its type and message.
class service_failure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A TCP server actor. on_start listens on an ephemeral port of 127.0.0.1 on
/// this actor's reactor and starts a task that accepts connections; each
/// connection is served by a task of its own, which asks the actor for the
/// answer once the latency has passed.
class service : public troupe::actor {
 public:
  explicit service(service_spec spec) : spec_(std::move(spec)) {}

  void on_start() override;
  void on_stop() override;

  /// The port it listens on.
  std::uint16_t port() const { return port_; }
  /// The answer to one request (a reply line without its "OK "), or throws
  /// when the service is configured to fail.
  std::string answer(std::string request);
  /// Requests answered so far, failures included.
  int served() const { return served_; }

 private:
  service_spec spec_;
  std::uint16_t port_ = 0;
  int served_ = 0;
  troupe::future<void> accepting_;
};
