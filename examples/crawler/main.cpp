// crawler — the asyncio articles' web crawler: fetch N pages from a site with
// at most K requests in flight (a semaphore), a timeout on every request, and
// retries with back-off. The site is real: an actor on another reactor
// serving an HTTP/1.0-like protocol over TCP on 127.0.0.1, where some pages
// hang, some fail once, and some are broken for good. The crawler checks
// that the limit held and that every page ended as the site's rules say.
//
//   crawler [--pages N] [--max-in-flight K] [--timeout-ms T] [--retries R] [--reactors R]
#include <troupe/troupe.hpp>

#include <asio/ip/tcp.hpp>
#include <asio/write.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "../common/check.hpp"
#include "../common/cli.hpp"
#include "../common/read_until.hpp"
#include "site.hpp"

using asio::ip::tcp;
using namespace std::chrono_literals;

/// A reply other than 200.
class http_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct page_result {
  int page = 0;
  bool ok = false;
  std::size_t bytes = 0;
  int retries = 0;
  std::string last_error;
};

struct crawl_report {
  std::vector<page_result> pages;
  int max_in_flight = 0;
};

struct crawl_settings {
  int max_in_flight = 5;
  std::chrono::milliseconds timeout{150};
  int retries = 2;
};

class crawler : public troupe::actor {
 public:
  crawler(std::uint16_t port, crawl_settings s)
      : site_{asio::ip::address_v4::loopback(), port}, settings_(s) {}

  troupe::task<crawl_report> crawl(int pages);

 private:
  troupe::task<page_result> fetch_page(troupe::semaphore* slots, int page);
  troupe::task<std::size_t> get(int page);

  tcp::endpoint site_;
  crawl_settings settings_;
  int in_flight_ = 0;
  int max_in_flight_ = 0;
};

// [guide:task_group]
troupe::task<crawl_report> crawler::crawl(int pages) {
  troupe::semaphore slots(static_cast<std::size_t>(settings_.max_in_flight));
  troupe::task_group group;  // join() waits for every child, even when cancelled
  std::vector<troupe::future<page_result>> fetches;
  for (int page = 0; page < pages; ++page)
    fetches.push_back(group.create_task(fetch_page(&slots, page)));
  co_await group.join();

  crawl_report report{{}, max_in_flight_};
  for (auto& f : fetches) report.pages.push_back(co_await f);
  co_return report;
}
// [/guide:task_group]

// [guide:semaphore]
troupe::task<page_result> crawler::fetch_page(troupe::semaphore* slots, int page) {
  page_result r{page};
  for (int attempt = 0;; ++attempt) {
    {
      auto permit = co_await slots->hold();  // at most max_in_flight requests at once
      max_in_flight_ = std::max(max_in_flight_, ++in_flight_);
      try {
        r.bytes = co_await troupe::wait_for(get(page), settings_.timeout);
        r.ok = true;
      } catch (const troupe::timeout_error&) {
        r.last_error = "timed out";
      } catch (const http_error& e) {
        r.last_error = e.what();
      } catch (const std::system_error& e) {
        r.last_error = e.what();
      }
      --in_flight_;
    }  // the permit is released here, before the back-off
    if (r.ok || attempt == settings_.retries) co_return r;
    ++r.retries;
    co_await troupe::sleep(10ms * (1 << attempt));
  }
}
// [/guide:semaphore]

// One request: connect, send, read the head, then the body by its length.
troupe::task<std::size_t> crawler::get(int page) {
  tcp::socket socket(home().io_context());
  co_await socket.async_connect(site_, troupe::use_future);
  const std::string request = "GET /page/" + std::to_string(page) + " HTTP/1.0\r\n\r\n";
  co_await asio::async_write(socket, asio::buffer(request), troupe::use_future);
  std::string data;
  const std::size_t head_size = co_await example::read_until(socket, data, "\r\n\r\n");
  const std::string status = data.substr(0, data.find("\r\n"));
  if (status != "HTTP/1.0 200 OK") throw http_error(status.substr(status.find(' ') + 1));
  const std::string length_field = "Content-Length: ";
  const std::size_t at = data.find(length_field);
  if (at == std::string::npos || at > head_size) throw http_error("no Content-Length");
  const std::size_t length = std::stoul(data.substr(at + length_field.size()));
  co_await example::read_at_least(socket, data, head_size + length);
  const std::string body = data.substr(head_size, length);
  if (body != page_body(page)) throw http_error("wrong body for page " + std::to_string(page));
  co_return body.size();
}

struct settings {
  int pages = 60;
  int max_in_flight = 5;
  int timeout_ms = 150;
  int retries = 2;
  int reactors = 0;  // 0: one per hardware thread, at least 2
};

troupe::task<int> amain(settings s, std::size_t reactors) {
  const auto timeout = std::chrono::milliseconds(s.timeout_ms);
  auto server = troupe::spawn_on<site>(troupe::on_reactor(reactors - 1), 10 * timeout);
  const std::uint16_t port = co_await server.ask<&site::port>();
  auto c = troupe::spawn<crawler>(port, crawl_settings{s.max_in_flight, timeout, s.retries});

  const auto start = std::chrono::steady_clock::now();
  crawl_report report = co_await c.ask<&crawler::crawl>(s.pages);
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  const int requests = co_await server.ask<&site::requests>();

  int fetched = 0, failed = 0, retries = 0;
  std::size_t bytes = 0;
  int expected_failed = 0, expected_retries = 0;
  for (const page_result& r : report.pages) {
    r.ok ? ++fetched : ++failed;
    retries += r.retries;
    bytes += r.bytes;
    if (page_is_broken(r.page)) {
      ++expected_failed;
      expected_retries += s.retries;
    } else if ((page_hangs_once(r.page) || page_is_flaky(r.page)) && s.retries > 0) {
      ++expected_retries;
    } else if (page_hangs_once(r.page) || page_is_flaky(r.page)) {
      ++expected_failed;
    }
  }
  std::printf(
      "crawler: %d pages from 127.0.0.1:%u (a site actor on reactor %zu), at most %d in "
      "flight, timeout %d ms, %d retries\n",
      s.pages, port, reactors - 1, s.max_in_flight, s.timeout_ms, s.retries);
  for (const page_result& r : report.pages)
    if (!r.ok) std::printf("  page %d failed: %s\n", r.page, r.last_error.c_str());
  std::printf(
      "  %d pages fetched (%zu bytes), %d failed, %d retries, %d requests, in %.0f ms; "
      "at most %d requests were in flight\n",
      fetched, bytes, failed, retries, requests, ms, report.max_in_flight);

  example::checks check;
  check.expect(report.max_in_flight <= s.max_in_flight,
               "never more than " + std::to_string(s.max_in_flight) + " requests in flight");
  check.expect(failed == expected_failed && fetched == s.pages - expected_failed,
               std::to_string(s.pages - expected_failed) + " pages fetched, " +
                   std::to_string(expected_failed) + " broken for good");
  check.expect(retries == expected_retries,
               std::to_string(expected_retries) + " retries (hanging, flaky and broken pages)");
  check.expect(requests == s.pages + retries, "the site saw one request per attempt");
  co_return check.exit_code();
}

int main(int argc, char** argv) {
  settings s;
  example::cli cli("crawler",
                   "Crawls pages from a local TCP site with a semaphore limiting the requests in\n"
                   "flight, a timeout on each request and retries with back-off.");
  cli.option("pages", s.pages, "pages to fetch")
      .option("max-in-flight", s.max_in_flight, "requests in flight at most (the semaphore)")
      .option("timeout-ms", s.timeout_ms, "timeout of each request")
      .option("retries", s.retries, "retries after a failed request")
      .option("reactors", s.reactors, "reactor threads (0: one per hardware thread, at least 2)");
  if (auto code = cli.parse(argc, argv)) return *code;
  if (s.pages < 1 || s.max_in_flight < 1 || s.timeout_ms < 1 || s.retries < 0 || s.reactors < 0) {
    std::fputs("crawler: --pages, --max-in-flight and --timeout-ms must be positive\n", stderr);
    return 2;
  }
  std::size_t reactors = static_cast<std::size_t>(s.reactors);
  if (reactors == 0) reactors = std::max(2u, std::thread::hardware_concurrency());
  return troupe::run(amain(s, reactors), troupe::options{.reactors = reactors});
}
