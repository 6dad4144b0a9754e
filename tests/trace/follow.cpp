// Suite for tools/trace/follow.hpp: the causal tree of a request or task.
#include "follow.hpp"

#include <boost/test/unit_test.hpp>

#include <sstream>
#include <string>

#include "trace_test.hpp"

namespace {

struct followed {
  troupe_trace::command_result result;
  std::string text;
};

followed follow_in(const troupe_trace::source& src, std::uint64_t id) {
  std::ostringstream out;
  followed f;
  f.result = troupe_trace::write_follow(src, id, out);
  f.text = out.str();
  return f;
}

followed follow_fixture(std::string_view fixture, std::uint64_t id) {
  trace_test::file_trace trace(fixture);
  return follow_in(trace.source(), id);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(follow)

BOOST_AUTO_TEST_CASE(a_request_shows_what_it_caused_one_level_deep) {
  const followed f = follow_fixture("dashboard.jsonl", 20);
  BOOST_TEST(f.result.matched);
  BOOST_TEST(
      f.text ==
      "+0.000 ms  ask 20  amain → dashboard#10 dashboard::refresh  wait 1.00us  ran 2.01ms  "
      "value\n"
      "├─ +0.002 ms  ask 21  dashboard#10 → pricing#11 pricing::quote  wait 1.60us  ran "
      "2.00us  value\n"
      "├─ +0.003 ms  ask 22  dashboard#10 → inventory#12 inventory::count  wait 2.80us  ran "
      "1.00us  error: warehouse \"east\" offline\n"
      "├─ +0.004 ms  ask 23  dashboard#10 → reviews#13 reviews::latest  wait 500ns  ran "
      "2.00ms  cancelled; timed out at dashboard.cpp:42; cancel sent (timeout)\n"
      "└─ +2.005 ms  tell 24  dashboard#10 → audit#14 audit::record  wait 1.00us  ran 500ns  "
      "ok\n");
}

BOOST_AUTO_TEST_CASE(a_task_shows_its_whole_tree_with_nested_branches) {
  const followed f = follow_fixture("dashboard.jsonl", 1);
  BOOST_TEST(f.text ==
             "+0.000 ms  task 1  outside → amain  lived 2.01ms  ok\n"
             "├─ +0.002 ms  tell 19  amain → pricing#11 pricing::warm  wait 3.50us  ran 1.00us  "
             "ok\n"
             "├─ +0.003 ms  ask 20  amain → dashboard#10 dashboard::refresh  wait 1.00us  ran "
             "2.01ms  value\n"
             "│  ├─ +0.005 ms  ask 21  dashboard#10 → pricing#11 pricing::quote  wait 1.60us  ran "
             "2.00us  value\n"
             "│  ├─ +0.006 ms  ask 22  dashboard#10 → inventory#12 inventory::count  wait 2.80us  "
             "ran 1.00us  error: warehouse \"east\" offline\n"
             "│  ├─ +0.007 ms  ask 23  dashboard#10 → reviews#13 reviews::latest  wait 500ns  ran "
             "2.00ms  cancelled; timed out at dashboard.cpp:42; cancel sent (timeout)\n"
             "│  └─ +2.008 ms  tell 24  dashboard#10 → audit#14 audit::record  wait 1.00us  ran "
             "500ns  ok\n"
             "└─ +2.012 ms  tell 25  amain → audit#14 audit::record  not run  dropped (stopped)\n");
}

BOOST_AUTO_TEST_CASE(a_leaf_is_a_tree_of_one_line) {
  const followed f = follow_fixture("dashboard.jsonl", 22);
  BOOST_TEST(f.text ==
             "+0.000 ms  ask 22  dashboard#10 → inventory#12 inventory::count  wait 2.80us  ran "
             "1.00us  error: warehouse \"east\" offline\n");
}

BOOST_AUTO_TEST_CASE(a_newline_in_an_error_does_not_break_the_line) {
  const followed f = follow_fixture("odd_names.jsonl", 2);
  BOOST_TEST(f.text ==
             "+0.000 ms  task 2  outside → worker  still running\n"
             "└─ +0.000 ms  ask 5  worker → cache<int; 8>#4 cache<int; 8>::get  wait 10ns  ran "
             "1ns  error: 50% full {\"x\": #1}\\nsecond & last\n");
}

BOOST_AUTO_TEST_CASE(a_task_started_by_a_handler_is_credited_to_that_handlers_actor) {
  trace_test::text_trace trace(
      R"({"t":100,"ev":"send","r":0,"kind":"tell","req":5,"actor":2,"type":"svc","handler":"svc::go","parent":0})"
      "\n"
      R"({"t":1100,"ev":"task","r":0,"task":9,"name":"child","parent":5})"
      "\n"
      R"({"t":3100,"ev":"task_end","r":0,"task":9,"outcome":"failed"})"
      "\n");
  const followed f = follow_in(trace.source(), 9);
  BOOST_TEST(f.text == "+0.000 ms  task 9  svc#2 → child  lived 2.00us  failed\n");
}

BOOST_AUTO_TEST_CASE(an_unknown_id_or_an_actor_id_matches_nothing) {
  const followed unknown = follow_fixture("dashboard.jsonl", 77);
  BOOST_TEST(!unknown.result.matched);
  BOOST_TEST(unknown.result.why_unmatched == "no request or task 77 in dashboard.jsonl");
  BOOST_TEST(unknown.text.empty());
  const followed actor = follow_fixture("dashboard.jsonl", 13);
  BOOST_TEST(!actor.result.matched);
  BOOST_TEST(actor.result.why_unmatched ==
             "13 is an actor in dashboard.jsonl, not a request or task");
}

BOOST_AUTO_TEST_SUITE_END()
