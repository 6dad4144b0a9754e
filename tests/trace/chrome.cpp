// Suite for tools/trace/chrome.hpp: the trace-event JSON is parsed back and
// checked for the fields Perfetto needs: thread names, complete slices that
// nest, flow arrows that bind to slices, counters, task slices.
#include "chrome.hpp"

#include <boost/test/unit_test.hpp>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "json_value.hpp"
#include "trace_test.hpp"

using trace_test::json_value;
using kind = json_value::kind;

namespace {

json_value convert(const troupe_trace::source& src) {
  std::ostringstream out;
  const auto result = troupe_trace::write_chrome(src, out);
  BOOST_TEST_REQUIRE(result.matched);
  return trace_test::parse_json(out.str());
}

json_value convert_fixture(std::string_view name) {
  trace_test::file_trace trace(name);
  return convert(trace.source());
}

std::vector<const json_value*> events(const json_value& doc, std::string_view ph) {
  std::vector<const json_value*> out;
  for (const auto& e : doc.at("traceEvents").items)
    if (e.at("ph").text == ph) out.push_back(&e);
  return out;
}

const json_value* slice_named(const json_value& doc, std::string_view name) {
  for (const auto* e : events(doc, "X"))
    if (e->at("name").text == name) return e;
  return nullptr;
}

// Whether some X slice on `tid` encloses time `ts` (inclusive).
bool enclosed(const json_value& doc, double tid, double ts) {
  for (const auto* x : events(doc, "X")) {
    const double start = x->at("ts").number;
    if (x->at("tid").number == tid && start <= ts && ts <= start + x->at("dur").number) return true;
  }
  return false;
}

// Slices on one thread must nest or be disjoint: Perfetto drops the rest.
void check_nesting(const json_value& doc) {
  const auto xs = events(doc, "X");
  for (const auto* a : xs) {
    for (const auto* b : xs) {
      if (a == b || a->at("tid").number != b->at("tid").number) continue;
      const double a0 = a->at("ts").number, a1 = a0 + a->at("dur").number;
      const double b0 = b->at("ts").number, b1 = b0 + b->at("dur").number;
      const bool partial = a0 < b0 && b0 < a1 && a1 < b1;
      BOOST_TEST(!partial, a->at("name").text << " and " << b->at("name").text
                                              << " overlap on one thread without nesting");
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(chrome)

BOOST_AUTO_TEST_CASE(the_output_is_a_trace_event_object_whose_events_all_carry_the_common_fields) {
  const json_value doc = convert_fixture("dashboard.jsonl");
  BOOST_TEST((doc.k == kind::object));
  BOOST_TEST(doc.at("displayTimeUnit").text == "ns");
  BOOST_TEST_REQUIRE((doc.at("traceEvents").k == kind::array));
  BOOST_TEST(doc.at("traceEvents").items.size() > 40u);
  for (const auto& e : doc.at("traceEvents").items) {
    BOOST_TEST_REQUIRE((e.at("name").k == kind::string));
    BOOST_TEST_REQUIRE((e.at("ph").k == kind::string));
    BOOST_TEST_REQUIRE((e.at("ts").k == kind::number));
    BOOST_TEST_REQUIRE((e.at("pid").k == kind::number));
    BOOST_TEST_REQUIRE((e.at("tid").k == kind::number));
    BOOST_TEST_REQUIRE((e.at("cat").k == kind::string));
  }
}

BOOST_AUTO_TEST_CASE(each_reactor_is_a_named_thread) {
  const json_value doc = convert_fixture("dashboard.jsonl");
  std::map<double, std::string> names;
  for (const auto* m : events(doc, "M"))
    if (m->at("name").text == "thread_name")
      names[m->at("tid").number] = m->at("args").at("name").text;
  BOOST_TEST(names[1] == "reactor 0");
  BOOST_TEST(names[2] == "reactor 1");
  // reviews::latest ran while dashboard::refresh was suspended on reactor 0.
  BOOST_TEST(names[1001] == "reactor 0 (2)");
  BOOST_TEST(names.size() == 3u);
}

BOOST_AUTO_TEST_CASE(each_handler_run_is_a_complete_slice_in_microseconds) {
  const json_value doc = convert_fixture("dashboard.jsonl");
  int runs = 0;
  for (const auto* x : events(doc, "X"))
    if (x->at("name").text.rfind("send ", 0) != 0) ++runs;
  BOOST_TEST(runs == 6);  // req 25 was a dead letter
  const json_value* quote = slice_named(doc, "pricing::quote");
  BOOST_TEST_REQUIRE(quote);
  BOOST_TEST(quote->at("ts").number == 7.6);
  BOOST_TEST(quote->at("dur").number == 2.0);
  BOOST_TEST(quote->at("tid").number == 2);
  BOOST_TEST(quote->at("args").at("req").number == 21);
  BOOST_TEST(quote->at("args").at("actor").text == "pricing#11");
  BOOST_TEST(quote->at("args").at("outcome").text == "ok");
  const json_value* reviews = slice_named(doc, "reviews::latest");
  BOOST_TEST_REQUIRE(reviews);
  BOOST_TEST(reviews->at("dur").number == 1999.6);
  BOOST_TEST(reviews->at("tid").number == 1001);
  check_nesting(doc);
}

BOOST_AUTO_TEST_CASE(every_request_is_an_arrow_from_its_send_to_the_slice_of_its_handler) {
  const json_value doc = convert_fixture("dashboard.jsonl");
  std::map<std::string, const json_value*> starts, finishes;
  for (const auto* s : events(doc, "s")) starts[s->at("id").text] = s;
  for (const auto* f : events(doc, "f")) finishes[f->at("id").text] = f;
  BOOST_TEST(starts.size() == 7u);    // every send, 19 to 25
  BOOST_TEST(finishes.size() == 6u);  // every handler run
  for (const auto& [id, f] : finishes) {
    BOOST_TEST_CONTEXT("flow " << id) {
      BOOST_TEST_REQUIRE(starts.count(id) == 1u);
      const json_value* s = starts[id];
      BOOST_TEST(f->at("bp").text == "e");
      BOOST_TEST(f->at("cat").text == s->at("cat").text);
      BOOST_TEST(f->at("name").text == s->at("name").text);
      BOOST_TEST(enclosed(doc, s->at("tid").number, s->at("ts").number));
      BOOST_TEST(enclosed(doc, f->at("tid").number, f->at("ts").number));
    }
  }
  // req 21 (0x15): sent by dashboard#10 inside its handler on reactor 0, run on reactor 1.
  BOOST_TEST(starts["0x15"]->at("tid").number == 1);
  BOOST_TEST(starts["0x15"]->at("ts").number == 6.0);
  BOOST_TEST(finishes["0x15"]->at("tid").number == 2);
  BOOST_TEST(finishes["0x15"]->at("ts").number == 7.6);
}

BOOST_AUTO_TEST_CASE(mailbox_depth_is_a_counter_per_actor) {
  const json_value doc = convert_fixture("dashboard.jsonl");
  std::vector<double> pricing;
  for (const auto* c : events(doc, "C"))
    if (c->at("name").text == "mailbox pricing#11")
      pricing.push_back(c->at("args").at("depth").number);
  BOOST_TEST(pricing == (std::vector<double>{1, 0}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(tasks_are_async_slices_and_events_are_instants) {
  const json_value doc = convert_fixture("dashboard.jsonl");
  const auto begins = events(doc, "b");
  const auto ends = events(doc, "e");
  BOOST_TEST_REQUIRE(begins.size() == 1u);
  BOOST_TEST_REQUIRE(ends.size() == 1u);
  BOOST_TEST(begins[0]->at("name").text == "amain");
  BOOST_TEST(ends[0]->at("name").text == "amain");
  BOOST_TEST(begins[0]->at("id").text == ends[0]->at("id").text);
  BOOST_TEST(ends[0]->at("args").at("outcome").text == "ok");
  std::map<std::string, int> instants;
  for (const auto* i : events(doc, "i")) {
    BOOST_TEST(i->at("s").text == "t");
    ++instants[i->at("name").text];
  }
  BOOST_TEST(instants["failure inventory::count"] == 1);
  BOOST_TEST(instants["timeout"] == 1);
  BOOST_TEST(instants["cancel"] == 1);
  BOOST_TEST(instants["dead letter audit::record"] == 1);
  BOOST_TEST(instants["stop audit#14"] == 1);
  BOOST_TEST(instants["reply value"] == 2);
}

BOOST_AUTO_TEST_CASE(handlers_still_running_at_the_end_are_drawn_up_to_the_last_event) {
  trace_test::text_trace trace(
      R"({"t":1000,"ev":"start","r":0,"req":5,"actor":2,"type":"db","handler":"db::get","depth":0})"
      "\n"
      R"({"t":4000,"ev":"stop","r":1,"actor":3,"type":"x"})"
      "\n");
  const json_value doc = convert(trace.source());
  const json_value* get = slice_named(doc, "db::get");
  BOOST_TEST_REQUIRE(get);
  BOOST_TEST(get->at("ts").number == 1.0);
  BOOST_TEST(get->at("dur").number == 3.0);
  BOOST_TEST(get->at("args").at("outcome").text == "unfinished");
}

BOOST_AUTO_TEST_CASE(handlers_that_overlap_without_nesting_get_a_lane_each) {
  // Two coroutine handlers on reactor 0: a runs 10..30, b runs 20..40.
  trace_test::text_trace trace(
      R"({"t":10000,"ev":"start","r":0,"req":5,"actor":2,"type":"a","handler":"a::f"})"
      "\n"
      R"({"t":20000,"ev":"start","r":0,"req":6,"actor":3,"type":"b","handler":"b::g"})"
      "\n"
      R"({"t":25000,"ev":"send","r":0,"kind":"tell","req":7,"actor":4,"type":"c","handler":"c::h","from":3,"from_type":"b"})"
      "\n"
      R"({"t":30000,"ev":"end","r":0,"req":5,"actor":2,"type":"a","handler":"a::f","outcome":"ok"})"
      "\n"
      R"({"t":35000,"ev":"start","r":0,"req":8,"actor":2,"type":"a","handler":"a::f"})"
      "\n"
      R"({"t":36000,"ev":"end","r":0,"req":8,"actor":2,"type":"a","handler":"a::f","outcome":"ok"})"
      "\n"
      R"({"t":40000,"ev":"end","r":0,"req":6,"actor":3,"type":"b","handler":"b::g","outcome":"ok"})"
      "\n");
  const json_value doc = convert(trace.source());
  check_nesting(doc);
  std::map<double, double> lane_of;  // req -> tid
  for (const auto* x : events(doc, "X"))
    if (x->find("args")->find("actor"))
      lane_of[x->at("args").at("req").number] = x->at("tid").number;
  BOOST_TEST(lane_of[5] == 1);
  BOOST_TEST(lane_of[6] == 1001);
  BOOST_TEST(lane_of[8] == 1);  // lane 0 was free again
  // b's send is drawn inside b's slice.
  const auto sends = events(doc, "s");
  BOOST_TEST_REQUIRE(sends.size() == 1u);
  BOOST_TEST(sends[0]->at("tid").number == 1001);
}

BOOST_AUTO_TEST_SUITE_END()
