// Suite for tools/trace/flow.hpp: the exact Mermaid text for the fixtures,
// with and without filters, and the escaping of Mermaid's special characters.
#include "flow.hpp"

#include <boost/test/unit_test.hpp>

#include <sstream>
#include <string>

#include "trace_test.hpp"

using troupe_trace::flow_filter;
using troupe_trace::mermaid_escape;

namespace {

struct drawn {
  troupe_trace::command_result result;
  std::string text;
};

drawn draw(std::string_view fixture, const flow_filter& filter = {}) {
  trace_test::file_trace trace(fixture);
  std::ostringstream out;
  drawn d;
  d.result = troupe_trace::write_flow(trace.source(), filter, out);
  d.text = out.str();
  return d;
}

flow_filter request(std::uint64_t id) {
  flow_filter f;
  f.request = id;
  return f;
}

flow_filter actor(std::string name) {
  flow_filter f;
  f.actor = std::move(name);
  return f;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(flow)

BOOST_AUTO_TEST_CASE(the_whole_fixture_is_one_diagram_in_time_order_with_aliased_participants) {
  const drawn d = draw("dashboard.jsonl");
  BOOST_TEST(d.result.matched);
  BOOST_TEST(d.text ==
             "sequenceDiagram\n"
             "  participant P1 as amain\n"
             "  participant P2 as pricing#35;11\n"
             "  participant P3 as dashboard#35;10\n"
             "  participant P4 as inventory#35;12\n"
             "  participant P5 as reviews#35;13\n"
             "  participant P6 as audit#35;14\n"
             "  P1-)P2: pricing#58;#58;warm (req 19)\n"
             "  P1->>P3: dashboard#58;#58;refresh (req 20)\n"
             "  P3->>P2: pricing#58;#58;quote (req 21)\n"
             "  P3->>P4: inventory#58;#58;count (req 22)\n"
             "  P3->>P5: reviews#58;#58;latest (req 23)\n"
             "  P2-->>P3: value (req 21)\n"
             "  Note over P4: inventory#58;#58;count failed#58; warehouse #34;east#34; offline "
             "(req 22)\n"
             "  P4-->>P3: error#58; warehouse #34;east#34; offline (req 22)\n"
             "  Note over P3: timeout (req 23) at dashboard.cpp#58;42\n"
             "  P3-xP5: cancel (req 23, timeout)\n"
             "  P5-->>P3: cancelled (req 23)\n"
             "  P3-)P6: audit#58;#58;record (req 24)\n"
             "  P3-->>P1: value (req 20)\n"
             "  Note over P6: stopped\n"
             "  P1-)P6: audit#58;#58;record (req 25)\n"
             "  Note over P6: dropped audit#58;#58;record (req 25, stopped)\n");
}

BOOST_AUTO_TEST_CASE(a_request_is_drawn_with_everything_it_caused_and_nothing_else) {
  const drawn d = draw("dashboard.jsonl", request(20));
  BOOST_TEST(d.result.matched);
  BOOST_TEST(d.text ==
             "sequenceDiagram\n"
             "  participant P1 as amain\n"
             "  participant P2 as dashboard#35;10\n"
             "  participant P3 as pricing#35;11\n"
             "  participant P4 as inventory#35;12\n"
             "  participant P5 as reviews#35;13\n"
             "  participant P6 as audit#35;14\n"
             "  P1->>P2: dashboard#58;#58;refresh (req 20)\n"
             "  P2->>P3: pricing#58;#58;quote (req 21)\n"
             "  P2->>P4: inventory#58;#58;count (req 22)\n"
             "  P2->>P5: reviews#58;#58;latest (req 23)\n"
             "  P3-->>P2: value (req 21)\n"
             "  Note over P4: inventory#58;#58;count failed#58; warehouse #34;east#34; offline "
             "(req 22)\n"
             "  P4-->>P2: error#58; warehouse #34;east#34; offline (req 22)\n"
             "  Note over P2: timeout (req 23) at dashboard.cpp#58;42\n"
             "  P2-xP5: cancel (req 23, timeout)\n"
             "  P5-->>P2: cancelled (req 23)\n"
             "  P2-)P6: audit#58;#58;record (req 24)\n"
             "  P2-->>P1: value (req 20)\n");
}

BOOST_AUTO_TEST_CASE(a_leaf_request_is_drawn_alone) {
  const drawn d = draw("dashboard.jsonl", request(23));
  BOOST_TEST(d.text ==
             "sequenceDiagram\n"
             "  participant P1 as dashboard#35;10\n"
             "  participant P2 as reviews#35;13\n"
             "  P1->>P2: reviews#58;#58;latest (req 23)\n"
             "  Note over P1: timeout (req 23) at dashboard.cpp#58;42\n"
             "  P1-xP2: cancel (req 23, timeout)\n"
             "  P2-->>P1: cancelled (req 23)\n");
}

BOOST_AUTO_TEST_CASE(an_actor_type_selects_the_messages_to_and_from_its_actors) {
  const drawn d = draw("dashboard.jsonl", actor("pricing"));
  BOOST_TEST(d.text ==
             "sequenceDiagram\n"
             "  participant P1 as amain\n"
             "  participant P2 as pricing#35;11\n"
             "  participant P3 as dashboard#35;10\n"
             "  P1-)P2: pricing#58;#58;warm (req 19)\n"
             "  P3->>P2: pricing#58;#58;quote (req 21)\n"
             "  P2-->>P3: value (req 21)\n");
}

BOOST_AUTO_TEST_CASE(one_actor_and_a_request_together_select_their_intersection) {
  flow_filter f = actor("audit#14");
  f.request = 1;  // the main task: everything
  const drawn d = draw("dashboard.jsonl", f);
  BOOST_TEST(d.text ==
             "sequenceDiagram\n"
             "  participant P1 as dashboard#35;10\n"
             "  participant P2 as audit#35;14\n"
             "  participant P3 as amain\n"
             "  P1-)P2: audit#58;#58;record (req 24)\n"
             "  Note over P2: stopped\n"
             "  P3-)P2: audit#58;#58;record (req 25)\n"
             "  Note over P2: dropped audit#58;#58;record (req 25, stopped)\n");
}

BOOST_AUTO_TEST_CASE(unknown_requests_and_actors_match_nothing) {
  const drawn r = draw("dashboard.jsonl", request(999));
  BOOST_TEST(!r.result.matched);
  BOOST_TEST(r.result.why_unmatched == "no request or task 999 in dashboard.jsonl");
  BOOST_TEST(r.text.empty());
  const drawn a = draw("dashboard.jsonl", actor("pricing#12"));
  BOOST_TEST(!a.result.matched);
  BOOST_TEST(a.result.why_unmatched == "no actor pricing#12 in dashboard.jsonl");
  // Actor 14 exists, but request 21 and what it caused never touch it.
  flow_filter both = actor("audit");
  both.request = 21;
  const drawn b = draw("dashboard.jsonl", both);
  BOOST_TEST(!b.result.matched);
  BOOST_TEST(b.result.why_unmatched == "no messages match in dashboard.jsonl");
}

BOOST_AUTO_TEST_CASE(special_characters_in_names_and_errors_become_entity_codes) {
  const drawn d = draw("odd_names.jsonl");
  BOOST_TEST(d.text ==
             "sequenceDiagram\n"
             "  participant P1 as worker (task 2)\n"
             "  participant P2 as cache#60;int#59; 8#62;#35;4\n"
             "  participant P3 as worker (task 3)\n"
             "  participant P4 as outside\n"
             "  P1->>P2: cache#60;int#59; 8#62;#58;#58;get (req 5)\n"
             "  P3-)P2: cache#60;int#59; 8#62;#58;#58;put (req 6)\n"
             "  P4-)P2: cache#60;int#59; 8#62;#58;#58;clear (req 7)\n"
             "  Note over P2: cache#60;int#59; 8#62;#58;#58;get failed#58; 50#37; full "
             "#123;#34;x#34;#58; #35;1#125;<br/>second #38; last (req 5)\n"
             "  P2-->>P1: error#58; 50#37; full #123;#34;x#34;#58; #35;1#125;<br/>second #38; "
             "last (req 5)\n"
             "  Note over P3: timeout (task 3) at main.cpp#58;9\n"
             "  Note over P3: cancel (task 3, timeout)\n");
}

BOOST_AUTO_TEST_CASE(escaping_leaves_no_character_mermaid_reads_as_syntax) {
  BOOST_TEST(mermaid_escape("plain text (req 1), ok") == "plain text (req 1), ok");
  BOOST_TEST(mermaid_escape("#;:%{}<>&\"") == "#35;#59;#58;#37;#123;#125;#60;#62;#38;#34;");
  BOOST_TEST(mermaid_escape("a\r\nb\tc\x01") == "a<br/>b c ");
  BOOST_TEST(mermaid_escape("") == "#160;");
  BOOST_TEST(mermaid_escape("\xC3\xA9t\xC3\xA9") == "\xC3\xA9t\xC3\xA9");
  // An entity written in the input is shown, not decoded.
  BOOST_TEST(mermaid_escape("#9829;") == "#35;9829#59;");
}

BOOST_AUTO_TEST_CASE(an_empty_trace_has_nothing_to_draw) {
  trace_test::text_trace trace("\n\n");
  std::ostringstream out;
  const auto result = troupe_trace::write_flow(trace.source(), {}, out);
  BOOST_TEST(!result.matched);
  BOOST_TEST(result.why_unmatched == "no messages in mem.jsonl");
  BOOST_TEST(out.str().empty());
}

BOOST_AUTO_TEST_SUITE_END()
