#include "site.hpp"

#include "../common/read_until.hpp"

#include <asio/ip/tcp.hpp>
#include <asio/write.hpp>

#include <string>
#include <system_error>
#include <utility>
#include <vector>

using asio::ip::tcp;

std::string page_body(int page) {
  std::string body = "<html><title>page " + std::to_string(page) + "</title><body>";
  for (int i = 0; i < 20 + page % 17; ++i) body += "<p>paragraph " + std::to_string(i) + "</p>";
  return body + "</body></html>";
}

// "GET /page/17 HTTP/1.0" -> 17; -1 for anything else.
static int requested_page(const std::string& head) {
  const std::string prefix = "GET /page/";
  if (!head.starts_with(prefix)) return -1;
  int page = 0;
  std::size_t i = prefix.size();
  if (i >= head.size() || head[i] < '0' || head[i] > '9') return -1;
  for (; i < head.size() && head[i] >= '0' && head[i] <= '9'; ++i)
    page = page * 10 + (head[i] - '0');
  return page;
}

static troupe::task<void> serve(tcp::socket socket, troupe::actor_ref<site> owner) {
  try {
    std::string head;
    co_await example::read_until(socket, head, "\r\n\r\n");
    const response r = co_await owner.ask<&site::respond>(requested_page(head));
    co_await troupe::sleep(r.delay);
    const std::string reply =
        "HTTP/1.0 " + std::string(r.status == 200 ? "200 OK" : "503 Service Unavailable") +
        "\r\nContent-Length: " + std::to_string(r.body.size()) + "\r\n\r\n" + r.body;
    co_await asio::async_write(socket, asio::buffer(reply), troupe::use_future);
  } catch (const std::system_error&) {
    // The crawler gave up on this request and closed the connection.
  }
}

static troupe::task<void> accept_loop(tcp::acceptor acceptor, troupe::actor_ref<site> owner) {
  std::vector<troupe::future<void>> sessions;
  for (;;) {
    tcp::socket socket = co_await acceptor.async_accept(troupe::use_future);
    std::erase_if(sessions, [](const troupe::future<void>& f) { return f.done(); });
    sessions.push_back(troupe::create_task(serve(std::move(socket), owner)));
  }
}

void site::on_start() {
  tcp::acceptor acceptor(home().io_context(), tcp::endpoint(asio::ip::address_v4::loopback(), 0));
  port_ = acceptor.local_endpoint().port();
  accepting_ = troupe::create_task(accept_loop(std::move(acceptor), self<site>()));
}

void site::on_stop() { accepting_.cancel(); }

response site::respond(int page) {
  ++requests_;
  if (page < 0) return {503, std::chrono::milliseconds(0), "bad request"};
  const int attempt = ++attempts_[page];
  const auto latency = std::chrono::milliseconds(10 + page * 37 % 31);
  if (page_is_broken(page)) return {503, latency, "broken"};
  if (page_hangs_once(page) && attempt == 1) return {200, hang_, page_body(page)};
  if (page_is_flaky(page) && attempt == 1) return {503, latency, "try again"};
  return {200, latency, page_body(page)};
}
