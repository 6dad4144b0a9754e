// crawler's web site: an actor serving pages over an HTTP/1.0-like protocol
// on 127.0.0.1, misbehaving in ways a crawler must survive. What each page
// does is fixed by its number, so the crawler's outcome can be checked:
//   - a broken page answers 503 every time;
//   - a hanging page does not answer its first request in time;
//   - a flaky page answers its first request with 503;
//   - every other page answers 200, after 10 to 40 ms.
#pragma once

#include <troupe/troupe.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

inline bool page_is_broken(int page) { return page % 13 == 8; }
inline bool page_hangs_once(int page) { return !page_is_broken(page) && page % 7 == 3; }
inline bool page_is_flaky(int page) {
  return !page_is_broken(page) && !page_hangs_once(page) && page % 11 == 5;
}
/// The body of a page that is served.
std::string page_body(int page);

/// How the site answers one request.
struct response {
  int status = 200;  // 200 or 503
  std::chrono::milliseconds delay{0};
  std::string body;
};

/// The server: on_start listens on an ephemeral port of 127.0.0.1 and
/// accepts connections in a task; each connection is served by a task that
/// asks this actor how to answer (the actor counts the attempts per page).
class site : public troupe::actor {
 public:
  /// `hang`: how long a hanging page keeps its first request waiting.
  explicit site(std::chrono::milliseconds hang) : hang_(hang) {}

  void on_start() override;
  void on_stop() override;

  std::uint16_t port() const { return port_; }
  /// Decides the answer to a request for `page` (-1: a bad request).
  response respond(int page);
  /// Requests received so far.
  int requests() const { return requests_; }

 private:
  std::chrono::milliseconds hang_;
  std::uint16_t port_ = 0;
  int requests_ = 0;
  std::map<int, int> attempts_;
  troupe::future<void> accepting_;
};
