// Suite for tools/trace/reader.hpp: events from lines, and malformed lines
// named by file and line number, fatal or (lenient) skipped and counted.
#include "reader.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "trace_test.hpp"

using troupe_trace::event;
using troupe_trace::event_kind;
using troupe_trace::trace_error;
using troupe_trace::trace_reader;

namespace {

std::vector<event_kind> kinds(const std::string& text, bool lenient = false) {
  trace_test::text_trace trace(text, lenient);
  trace_reader reader(trace.source().in, trace.source().name, lenient);
  std::vector<event_kind> out;
  event e;
  while (reader.next(e)) out.push_back(e.kind);
  return out;
}

// The message of the trace_error reading `text` throws ("" if none).
std::string error_of(const std::string& text) {
  try {
    kinds(text);
  } catch (const trace_error& e) {
    return e.what();
  }
  return "";
}

const std::string good = R"({"t":1,"ev":"stop","r":0,"actor":3,"type":"a"})";

}  // namespace

BOOST_AUTO_TEST_SUITE(reader)

BOOST_AUTO_TEST_CASE(a_send_line_fills_every_field_it_carries) {
  trace_test::text_trace trace(
      R"({"t":9,"ev":"send","r":1,"kind":"ask","req":42,"actor":17,"type":"counter",)"
      R"("handler":"counter::add","from":12,"from_type":"dashboard","parent":5,"deadline":99})");
  trace_reader reader(trace.source().in, "mem.jsonl", false);
  event e;
  BOOST_TEST_REQUIRE(reader.next(e));
  BOOST_TEST((e.kind == event_kind::send));
  BOOST_TEST(e.t == 9u);
  BOOST_TEST(e.r == 1u);
  BOOST_TEST(e.ask);
  BOOST_TEST(e.req == 42u);
  BOOST_TEST(e.subject() == 42u);
  BOOST_TEST(e.actor == 17u);
  BOOST_TEST(e.type == "counter");
  BOOST_TEST(e.handler == "counter::add");
  BOOST_TEST(e.from == 12u);
  BOOST_TEST(e.from_type == "dashboard");
  BOOST_TEST(e.parent == 5u);
  BOOST_TEST(e.has_deadline);
  BOOST_TEST(e.deadline == 99u);
  BOOST_TEST(!reader.next(e));
}

BOOST_AUTO_TEST_CASE(absent_and_null_optional_fields_read_as_zero_and_empty) {
  trace_test::text_trace trace(
      R"({"t":1,"ev":"send","kind":"tell","req":2,"actor":3,"from":null,"from_type":null})");
  trace_reader reader(trace.source().in, "mem.jsonl", false);
  event e;
  BOOST_TEST_REQUIRE(reader.next(e));
  BOOST_TEST(!e.ask);
  BOOST_TEST(e.r == 0u);
  BOOST_TEST(e.from == 0u);
  BOOST_TEST(e.from_type.empty());
  BOOST_TEST(!e.has_deadline);
}

BOOST_AUTO_TEST_CASE(unknown_fields_are_ignored_and_unknown_events_skipped_and_counted) {
  trace_test::text_trace trace(
      R"({"t":1,"ev":"stop","actor":3,"new_field":{"x":[1,2]},"other":"y"})"
      "\n"
      R"({"t":2,"ev":"gc_pause","r":0,"pause_ns":5})"
      "\n\n   \n" +
      good + "\n");
  trace_reader reader(trace.source().in, "mem.jsonl", false);
  event e;
  BOOST_TEST_REQUIRE(reader.next(e));
  BOOST_TEST((e.kind == event_kind::stop));
  BOOST_TEST_REQUIRE(reader.next(e));
  BOOST_TEST(reader.line_number() == 5u);
  BOOST_TEST(!reader.next(e));
  BOOST_TEST(reader.unknown() == 1u);
  BOOST_TEST(reader.events() == 2u);
}

BOOST_AUTO_TEST_CASE(a_malformed_line_stops_reading_with_the_file_and_line_number) {
  BOOST_TEST(error_of(good + "\n" + good + "\n\n{\"t\":1,\"ev\":\"stop\"\n") ==
             "mem.jsonl:4: bad JSON: expected ',' or '}' at column 19, found end of line");
  BOOST_TEST(error_of("\"just a string\"") == "mem.jsonl:1: not a JSON object (starts with '\"')");
  BOOST_TEST(error_of(good + "\n" + R"({"t":1,"actor":3})") == "mem.jsonl:2: missing \"ev\"");
  BOOST_TEST(error_of(R"({"ev":"stop","actor":3})") == "mem.jsonl:1: missing \"t\"");
}

BOOST_AUTO_TEST_CASE(a_field_of_the_wrong_type_is_malformed) {
  BOOST_TEST(error_of(R"({"t":"12","ev":"stop","actor":3})") ==
             "mem.jsonl:1: \"t\" must be an integer, not a string");
  BOOST_TEST(error_of(R"({"t":1.5,"ev":"stop","actor":3})") ==
             "mem.jsonl:1: \"t\" must be an integer, not a number");
  BOOST_TEST(error_of(R"({"t":-1,"ev":"stop","actor":3})") ==
             "mem.jsonl:1: \"t\" must be an unsigned 64-bit integer, not -1");
  BOOST_TEST(error_of(R"({"t":1,"ev":7,"actor":3})") ==
             "mem.jsonl:1: \"ev\" must be a string, not an integer");
  BOOST_TEST(error_of(R"({"t":1,"ev":"stop","actor":3,"type":5})") ==
             "mem.jsonl:1: \"type\" must be a string, not an integer");
  BOOST_TEST(error_of(R"({"t":1,"ev":"stop","actor":[3]})") ==
             "mem.jsonl:1: \"actor\" must be an integer, not an object or array");
  BOOST_TEST(error_of(R"({"t":1,"ev":"send","req":2,"actor":3,"kind":"call"})") ==
             "mem.jsonl:1: \"kind\" must be \"ask\" or \"tell\", not \"call\"");
}

BOOST_AUTO_TEST_CASE(an_event_without_the_id_it_is_about_is_malformed) {
  BOOST_TEST(error_of(R"({"t":1,"ev":"send","kind":"ask","actor":3})") ==
             "mem.jsonl:1: \"send\" event without \"req\"");
  BOOST_TEST(error_of(R"({"t":1,"ev":"send","req":2,"actor":3})") ==
             "mem.jsonl:1: \"send\" event without \"kind\"");
  BOOST_TEST(error_of(R"({"t":1,"ev":"task","name":"x"})") ==
             "mem.jsonl:1: \"task\" event without \"task\"");
  BOOST_TEST(error_of(R"({"t":1,"ev":"spawn","actor":null})") ==
             "mem.jsonl:1: \"spawn\" event without \"actor\"");
  BOOST_TEST(error_of(R"({"t":1,"ev":"reply","outcome":"value"})") ==
             "mem.jsonl:1: \"reply\" event without \"req\"");
}

BOOST_AUTO_TEST_CASE(lenient_reading_skips_malformed_lines_and_counts_them) {
  trace_test::text_trace trace(good + "\nnot json\n" + good + "\n{\"t\":1}\n[]\n" + good + "\n",
                               true);
  trace_reader reader(trace.source().in, "mem.jsonl", true);
  event e;
  int read = 0;
  while (reader.next(e)) ++read;
  BOOST_TEST(read == 3);
  BOOST_TEST(reader.skipped() == 3u);
}

BOOST_AUTO_TEST_CASE(rewinding_reads_the_same_events_again_with_fresh_counts) {
  trace_test::file_trace trace("dashboard.jsonl");
  trace_reader reader(trace.source().in, trace.source().name, false);
  event e;
  while (reader.next(e)) {
  }
  const auto events = reader.events();
  BOOST_TEST(events == 35u);
  BOOST_TEST(reader.unknown() == 1u);
  reader.rewind();
  BOOST_TEST(reader.events() == 0u);
  while (reader.next(e)) {
  }
  BOOST_TEST(reader.events() == events);
  BOOST_TEST(reader.line_number() == 37u);
}

BOOST_AUTO_TEST_SUITE_END()
