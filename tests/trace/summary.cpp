// Suite for tools/trace/summary.hpp: counts and percentiles per actor type
// and handler, on the fixture, on hand-made traces and on a synthetic one.
#include "summary.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <sstream>
#include <string>

#include "synthetic.hpp"
#include "trace_test.hpp"

using troupe_trace::handler_summary;
using troupe_trace::summarize;
using troupe_trace::summary_report;

namespace {

const handler_summary& row(const summary_report& r, std::string_view type,
                           std::string_view handler) {
  for (const auto& h : r.rows)
    if (h.type == type && h.handler == handler) return h;
  throw std::runtime_error("no row " + std::string(type) + " " + std::string(handler));
}

std::string ask(std::uint64_t req, std::uint64_t send_t, std::uint64_t start_t,
                std::uint64_t end_t) {
  const std::string who =
      R"("req":)" + std::to_string(req) + R"(,"actor":7,"type":"db","handler":"db::get")";
  return R"({"t":)" + std::to_string(send_t) + R"(,"ev":"send","kind":"ask",)" + who + "}\n" +
         R"({"t":)" + std::to_string(start_t) + R"(,"ev":"start","r":1,)" + who + "}\n" +
         R"({"t":)" + std::to_string(end_t) + R"(,"ev":"end","r":1,)" + who + "}\n" + R"({"t":)" +
         std::to_string(end_t) + R"(,"ev":"reply","r":1,"req":)" + std::to_string(req) +
         R"(,"outcome":"value"})" + "\n";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(summary)

BOOST_AUTO_TEST_CASE(the_fixture_counts_every_message_by_type_and_handler) {
  trace_test::file_trace trace("dashboard.jsonl");
  const summary_report r = summarize(trace.source());
  BOOST_TEST_REQUIRE(r.rows.size() == 6u);
  BOOST_TEST(r.rows[0].type == "audit");  // sorted by type, then handler
  BOOST_TEST(r.rows[3].handler == "pricing::quote");
  BOOST_TEST(r.rows[4].handler == "pricing::warm");

  const auto& audit = row(r, "audit", "audit::record");
  BOOST_TEST(audit.messages == 2u);
  BOOST_TEST(audit.handled == 1u);
  BOOST_TEST(audit.dropped == 1u);
  BOOST_TEST(audit.failed == 0u);

  const auto& inventory = row(r, "inventory", "inventory::count");
  BOOST_TEST(inventory.failed == 1u);
  BOOST_TEST(inventory.cancelled == 0u);

  const auto& reviews = row(r, "reviews", "reviews::latest");
  BOOST_TEST(reviews.cancelled == 1u);
  BOOST_TEST(reviews.timed_out == 1u);
  BOOST_TEST(reviews.handled == 1u);

  BOOST_TEST(r.asks == 4u);
  BOOST_TEST(r.tells == 3u);
  BOOST_TEST(r.unfinished == 0u);
  BOOST_TEST(r.tasks == 1u);
  BOOST_TEST(r.tasks_ok == 1u);
  BOOST_TEST(r.spawned == 5u);
  BOOST_TEST(r.stopped == 1u);
  BOOST_TEST(r.events == 35u);
  BOOST_TEST(r.unknown_events == 1u);
}

BOOST_AUTO_TEST_CASE(
    the_fixture_times_handling_and_mailbox_wait_even_when_lines_come_out_of_order) {
  trace_test::file_trace trace("dashboard.jsonl");
  const summary_report r = summarize(trace.source());
  // req 21's start, end and reply (reactor 1) come before its send (reactor 0).
  const auto& quote = row(r, "pricing", "pricing::quote");
  BOOST_TEST(quote.wait.max() == 1600u);
  BOOST_TEST(quote.handling.max() == 2000u);
  const auto& refresh = row(r, "dashboard", "dashboard::refresh");
  BOOST_TEST(refresh.handling.quantile(0.5) == 2006000u);
  BOOST_TEST(refresh.wait.quantile(0.99) == 1000u);
  const auto& reviews = row(r, "reviews", "reviews::latest");
  BOOST_TEST(reviews.handling.max() == 1999600u);
  BOOST_TEST(reviews.wait.max() == 500u);
  // pricing::warm started with pricing::quote still waiting behind it.
  BOOST_TEST(row(r, "pricing", "pricing::warm").peak_depth == 2u);
  BOOST_TEST(quote.peak_depth == 1u);
}

BOOST_AUTO_TEST_CASE(the_printed_summary_is_a_table_then_totals) {
  trace_test::file_trace trace("dashboard.jsonl");
  std::ostringstream out;
  troupe_trace::print_summary(summarize(trace.source()), out);
  BOOST_TEST(out.str() ==
             "type       handler             messages  handled  failed  cancelled  timed out  "
             "dropped  handling p50/p99/max      wait p50/p99/max  peak depth\n"
             "audit      audit::record              2        1       0          0          0   "
             "     1     500ns/500ns/500ns  1.00us/1.00us/1.00us           1\n"
             "dashboard  dashboard::refresh         1        1       0          0          0   "
             "     0  2.01ms/2.01ms/2.01ms  1.00us/1.00us/1.00us           1\n"
             "inventory  inventory::count           1        1       1          0          0   "
             "     0  1.00us/1.00us/1.00us  2.80us/2.80us/2.80us           1\n"
             "pricing    pricing::quote             1        1       0          0          0   "
             "     0  2.00us/2.00us/2.00us  1.60us/1.60us/1.60us           1\n"
             "pricing    pricing::warm              1        1       0          0          0   "
             "     0  1.00us/1.00us/1.00us  3.50us/3.50us/3.50us           2\n"
             "reviews    reviews::latest            1        1       0          1          1   "
             "     0  2.00ms/2.00ms/2.00ms     500ns/500ns/500ns           1\n"
             "\n"
             "requests: 7 (4 asks, 3 tells), 0 unfinished at the end of the trace\n"
             "tasks: 1 (1 ok, 0 failed, 0 cancelled), 0 timeouts on tasks\n"
             "actors: 5 spawned, 1 stopped\n"
             "events: 35\n"
             "unknown events: 1\n");
}

BOOST_AUTO_TEST_CASE(percentiles_come_from_all_samples_to_within_one_percent) {
  std::string text;
  // Handling times 1, 2, ..., 200 us; waits 10 us each.
  for (std::uint64_t i = 1; i <= 200; ++i) {
    const std::uint64_t send = i * 1'000'000;
    text += ask(100 + i, send, send + 10'000, send + 10'000 + i * 1000);
  }
  trace_test::text_trace trace(text);
  const summary_report r = summarize(trace.source());
  const auto& get = row(r, "db", "db::get");
  BOOST_TEST(get.messages == 200u);
  BOOST_TEST(get.handled == 200u);
  BOOST_TEST(get.handling.count() == 200u);
  BOOST_TEST(std::abs(static_cast<double>(get.handling.quantile(0.5)) - 100'000.0) <= 1000.0);
  BOOST_TEST(std::abs(static_cast<double>(get.handling.quantile(0.99)) - 198'000.0) <= 1980.0);
  BOOST_TEST(get.handling.max() == 200'000u);
  BOOST_TEST(get.wait.quantile(0.5) == 10'000u);
  BOOST_TEST(r.peak_in_flight <= 2u);  // each request is forgotten once it finished
}

BOOST_AUTO_TEST_CASE(a_cancel_arriving_after_the_reply_is_counted_once) {
  const std::string text = ask(5, 100, 200, 300) +
                           R"({"t":250,"ev":"cancel","r":0,"req":5,"cause":"caller"})" + "\n" +
                           R"({"t":260,"ev":"cancel","r":0,"req":5,"cause":"shutdown"})" + "\n";
  trace_test::text_trace trace(text);
  const summary_report r = summarize(trace.source());
  BOOST_TEST(row(r, "db", "db::get").cancelled == 1u);
}

BOOST_AUTO_TEST_CASE(a_cancel_before_anything_names_the_handler_is_counted_when_one_does) {
  const std::string text =
      std::string(R"({"t":50,"ev":"timeout","r":0,"req":5,"where":"x.cpp:1"})") + "\n" +
      R"({"t":50,"ev":"cancel","r":0,"req":5,"cause":"timeout"})" + "\n" + ask(5, 10, 20, 60);
  trace_test::text_trace trace(text);
  const summary_report r = summarize(trace.source());
  BOOST_TEST(row(r, "db", "db::get").cancelled == 1u);
  BOOST_TEST(row(r, "db", "db::get").timed_out == 1u);
}

BOOST_AUTO_TEST_CASE(timeouts_on_tasks_are_counted_apart_from_requests) {
  const std::string text = R"({"t":1,"ev":"task","r":0,"task":3,"name":"poll","parent":0})"
                           "\n"
                           R"({"t":9,"ev":"timeout","r":0,"req":3,"where":"main.cpp:7"})"
                           "\n"
                           R"({"t":9,"ev":"cancel","r":0,"req":3,"cause":"timeout"})"
                           "\n"
                           R"({"t":10,"ev":"task_end","r":0,"task":3,"outcome":"cancelled"})"
                           "\n";
  trace_test::text_trace trace(text);
  const summary_report r = summarize(trace.source());
  BOOST_TEST(r.rows.empty());
  BOOST_TEST(r.task_timeouts == 1u);
  BOOST_TEST(r.tasks_cancelled == 1u);
  BOOST_TEST(r.peak_in_flight == 0u);
}

BOOST_AUTO_TEST_CASE(requests_that_never_finish_are_reported_as_unfinished) {
  const std::string text =
      R"({"t":1,"ev":"send","r":0,"kind":"ask","req":8,"actor":7,"type":"db","handler":"db::get"})"
      "\n"
      R"({"t":2,"ev":"start","r":0,"req":8,"actor":7,"type":"db","handler":"db::get","depth":0})"
      "\n";
  trace_test::text_trace trace(text);
  const summary_report r = summarize(trace.source());
  BOOST_TEST(r.unfinished == 1u);
  BOOST_TEST(row(r, "db", "db::get").handled == 1u);
  BOOST_TEST(row(r, "db", "db::get").handling.count() == 0u);
}

BOOST_AUTO_TEST_CASE(lenient_summaries_skip_malformed_lines_and_say_how_many) {
  trace_test::text_trace trace(ask(1, 1, 2, 3) + "garbage\n{\"ev\":\"send\"}\n" + ask(2, 4, 5, 6),
                               true);
  const summary_report r = summarize(trace.source());
  BOOST_TEST(r.skipped_lines == 2u);
  BOOST_TEST(row(r, "db", "db::get").messages == 2u);
}

BOOST_AUTO_TEST_CASE(a_large_synthetic_trace_is_counted_exactly_in_bounded_memory) {
  std::stringstream text;
  trace_test::synthetic_options o;
  o.lines = 60'000;
  const auto want = trace_test::write_synthetic(text, o);
  const summary_report r = summarize(troupe_trace::source{text, "synthetic.jsonl", false});
  std::uint64_t messages = 0, handled = 0, failed = 0, timed_out = 0, dropped = 0, cancelled = 0;
  for (const auto& h : r.rows) {
    messages += h.messages;
    handled += h.handled;
    failed += h.failed;
    timed_out += h.timed_out;
    dropped += h.dropped;
    cancelled += h.cancelled;
  }
  BOOST_TEST(r.asks == want.asks);
  BOOST_TEST(r.tells == want.tells);
  BOOST_TEST(messages == want.asks + want.tells);
  BOOST_TEST(handled == want.handled);
  BOOST_TEST(failed == want.failed);
  BOOST_TEST(timed_out == want.timed_out);
  BOOST_TEST(cancelled == want.timed_out);
  BOOST_TEST(dropped == want.dropped);
  BOOST_TEST(r.unfinished == 0u);
  BOOST_TEST(r.unknown_events > 0u);
  // Thousands of requests, but only those whose lines are still arriving are held.
  BOOST_TEST(r.asks + r.tells > 10'000u);
  BOOST_TEST(r.peak_in_flight < 1'000u);
}

BOOST_AUTO_TEST_SUITE_END()
