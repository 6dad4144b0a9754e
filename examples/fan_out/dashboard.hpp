// fan_out's client side: one client actor per service, speaking the line
// protocol over TCP, and the dashboard actor that asks them all at once.
#pragma once

#include <troupe/troupe.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

/// One successful reply and how long it took.
struct reading {
  std::string text;
  double ms = 0;
};

/// Talks to one service: each fetch is a TCP connection, a request line and
/// a reply line, all on this actor's reactor.
class service_client : public troupe::actor {
 public:
  service_client(std::string service, std::uint16_t port)
      : service_(std::move(service)), port_(port) {}

  /// The service's answer; throws std::runtime_error when it answers with
  /// an error, std::system_error when the connection fails.
  troupe::task<reading> fetch();

 private:
  std::string service_;
  std::uint16_t port_;
};

/// One panel of the dashboard: a service and how its fetch ended.
struct panel {
  enum class status { ok, failed, timed_out };
  std::string service;
  status state = status::ok;
  std::string text;  // the reading, or the error
  double ms = 0;     // for a reading: how long it took
};

/// Fetches every service at once, each with its own timeout, and keeps what
/// came back (asyncio's gather(..., return_exceptions=True) around wait_for).
class dashboard : public troupe::actor {
 public:
  dashboard(std::vector<std::string> services,
            std::vector<troupe::actor_ref<service_client>> clients)
      : services_(std::move(services)), clients_(std::move(clients)) {}

  troupe::task<std::vector<panel>> refresh(std::chrono::milliseconds timeout);

 private:
  std::vector<std::string> services_;
  std::vector<troupe::actor_ref<service_client>> clients_;
};
