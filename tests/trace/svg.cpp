// Suite for tools/trace/svg.hpp (and xml_escape of text.hpp): the SVG of the fixtures is
// well-formed XML with a column per participant and an arrow per message, labels are escaped and
// read back as the trace wrote them, and the output is deterministic.
#include "svg.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "flow.hpp"
#include "text.hpp"
#include "trace_test.hpp"
#include "xml_check.hpp"

using trace_test::xml_element;
using troupe_trace::flow_filter;
using troupe_trace::row_kind;

namespace {

struct drawn {
  troupe_trace::command_result result;
  std::string text;
};

drawn draw(std::string_view fixture, const flow_filter& filter = {}) {
  trace_test::file_trace trace(fixture);
  std::ostringstream out;
  drawn d;
  d.result = troupe_trace::write_svg(trace.source(), filter, out);
  d.text = out.str();
  return d;
}

std::string draw_sequence(const troupe_trace::sequence& seq) {
  std::ostringstream out;
  troupe_trace::draw_svg(seq, "test", out);
  return out.str();
}

// The parsed document, with lookups by class.
struct document {
  std::vector<xml_element> all;

  explicit document(const std::string& text) : all(trace_test::xml_checker::parse(text)) {}

  const xml_element& root() const { return all.front(); }

  std::vector<std::size_t> of_class(std::string_view cls) const {
    std::vector<std::size_t> found;
    for (std::size_t i = 0; i < all.size(); ++i) {
      auto it = all[i].attributes.find("class");
      if (it == all[i].attributes.end()) continue;
      std::istringstream words(it->second);
      std::string w;
      while (words >> w)
        if (w == cls) found.push_back(i);
    }
    return found;
  }

  // The children of element `i` named `name`.
  std::vector<const xml_element*> children(std::size_t i, std::string_view name) const {
    std::vector<const xml_element*> found;
    for (const xml_element& e : all)
      if (e.parent == i && e.name == name) found.push_back(&e);
    return found;
  }

  // The lines of text inside element `i`, joined by newlines.
  std::string text_of(std::size_t i) const {
    std::string text;
    for (const xml_element* t : children(i, "text")) text += (text.empty() ? "" : "\n") + t->text;
    return text;
  }

  int number(const xml_element& e, const std::string& attribute) const {
    return std::stoi(e.attributes.at(attribute));
  }
};

troupe_trace::sequence two_columns(std::string label, std::size_t rows) {
  troupe_trace::sequence seq;
  seq.participants = {"a", "b"};
  for (std::size_t i = 0; i < rows; ++i) seq.rows.push_back({row_kind::tell, 0, 1, i, label});
  return seq;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(svg)

BOOST_AUTO_TEST_CASE(the_fixture_is_a_well_formed_svg_1_1_document_on_a_white_background) {
  const drawn d = draw("dashboard.jsonl");
  BOOST_TEST(d.result.matched);
  BOOST_TEST(d.text.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n", 0) ==
             0u);
  const document doc(d.text);
  const xml_element& svg = doc.root();
  BOOST_TEST(svg.name == "svg");
  BOOST_TEST(svg.attributes.at("xmlns") == "http://www.w3.org/2000/svg");
  BOOST_TEST(svg.attributes.at("version") == "1.1");
  BOOST_TEST(svg.attributes.at("font-family").find("sans-serif") != std::string::npos);
  const int width = doc.number(svg, "width");
  const int height = doc.number(svg, "height");
  BOOST_TEST(svg.attributes.at("viewBox") ==
             "0 0 " + std::to_string(width) + " " + std::to_string(height));
  BOOST_TEST(doc.children(0, "title").front()->text == "Messages in dashboard.jsonl");
  const auto rects = doc.children(0, "rect");
  BOOST_REQUIRE(!rects.empty());
  BOOST_TEST(rects.front()->attributes.at("fill") == "#ffffff");
  BOOST_TEST(doc.number(*rects.front(), "width") == width);
  BOOST_TEST(doc.number(*rects.front(), "height") == height);
}

BOOST_AUTO_TEST_CASE(there_is_one_column_per_participant_in_order_of_first_appearance) {
  const document doc(draw("dashboard.jsonl").text);
  const auto columns = doc.of_class("participant");
  std::vector<std::string> labels;
  int last_x = 0;
  for (const std::size_t c : columns) {
    labels.push_back(doc.text_of(c));
    const auto lifeline = doc.children(c, "line");
    BOOST_REQUIRE(lifeline.size() == 1u);
    const int x = doc.number(*lifeline.front(), "x1");
    BOOST_TEST(x > last_x, "columns go left to right");
    last_x = x;
  }
  const std::vector<std::string> expected{"amain",        "pricing#11", "dashboard#10",
                                          "inventory#12", "reviews#13", "audit#14"};
  BOOST_TEST(labels == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(there_is_one_arrow_per_message_with_the_head_of_its_kind) {
  const document doc(draw("dashboard.jsonl").text);
  BOOST_TEST(doc.of_class("message").size() == 12u);
  BOOST_TEST(doc.of_class("ask").size() == 4u);
  BOOST_TEST(doc.of_class("tell").size() == 3u);
  BOOST_TEST(doc.of_class("reply").size() == 4u);
  BOOST_TEST(doc.of_class("cancel").size() == 1u);
  BOOST_TEST(doc.of_class("note").size() == 4u);
  const std::vector<std::pair<std::string, std::string>> heads{{"ask", "url(#filled)"},
                                                               {"tell", "url(#open)"},
                                                               {"reply", "url(#filled)"},
                                                               {"cancel", "url(#cross)"}};
  for (const auto& [kind, head] : heads) {
    for (const std::size_t m : doc.of_class(kind)) {
      const auto line = doc.children(m, "line");
      BOOST_REQUIRE(line.size() == 1u);
      BOOST_TEST(line.front()->attributes.at("marker-end") == head, kind);
      BOOST_TEST(line.front()->attributes.count("stroke-dasharray") == (kind == "reply" ? 1u : 0u),
                 kind);
      BOOST_TEST(!doc.text_of(m).empty(), kind << " has a label");
    }
  }
  // The reply to request 20 goes back from dashboard#10 (third column) to amain (first).
  std::vector<int> column_x;
  for (const std::size_t c : doc.of_class("participant"))
    column_x.push_back(doc.number(*doc.children(c, "line").front(), "x1"));
  for (const std::size_t m : doc.of_class("reply")) {
    if (doc.text_of(m) != "value (req 20)") continue;
    const xml_element& line = *doc.children(m, "line").front();
    BOOST_TEST(doc.number(line, "x1") == column_x[2]);
    BOOST_TEST(doc.number(line, "x2") == column_x[0]);
  }
}

BOOST_AUTO_TEST_CASE(rows_go_down_in_event_order_with_times_in_ms_at_the_left) {
  const document doc(draw("dashboard.jsonl").text);
  std::vector<std::string> labels;
  int last_y = 0;
  for (std::size_t i = 0; i < doc.all.size(); ++i) {
    const auto cls = doc.all[i].attributes.find("class");
    if (cls == doc.all[i].attributes.end() ||
        (cls->second.rfind("message", 0) != 0 && cls->second != "note"))
      continue;
    labels.push_back(doc.text_of(i));
    const int y = doc.number(*doc.children(i, "text").front(), "y");
    BOOST_TEST(y > last_y);
    last_y = y;
  }
  BOOST_REQUIRE(labels.size() == 16u);
  BOOST_TEST(labels[0] == "pricing::warm (req 19)");
  BOOST_TEST(labels[8] == "timeout (req 23) at dashboard.cpp:42");
  BOOST_TEST(labels[15] == "dropped audit::record (req 25, stopped)");
  const auto times = doc.of_class("time");
  BOOST_REQUIRE(times.size() >= 2u);
  BOOST_TEST(doc.all[times.front()].text == "0.000");
  BOOST_TEST(doc.all[times.back()].text == "2.011");  // 2,013,500 - 3,000 ns
}

BOOST_AUTO_TEST_CASE(labels_are_escaped_and_read_back_as_the_trace_wrote_them) {
  const drawn d = draw("odd_names.jsonl");
  BOOST_TEST(d.text.find("cache&lt;int; 8&gt;#4") != std::string::npos);
  BOOST_TEST(d.text.find("{&quot;x&quot;: #1}") != std::string::npos);
  BOOST_TEST(d.text.find("second &amp; last") != std::string::npos);
  BOOST_TEST(d.text.find("<int") == std::string::npos);
  const document doc(d.text);
  const auto columns = doc.of_class("participant");
  BOOST_REQUIRE(columns.size() == 4u);
  BOOST_TEST(doc.text_of(columns[0]) == "worker (task 2)");
  BOOST_TEST(doc.text_of(columns[1]) == "cache<int; 8>#4");
  const auto messages = doc.of_class("message");
  BOOST_REQUIRE(messages.size() == 4u);
  BOOST_TEST(doc.text_of(messages[0]) == "cache<int; 8>::get (req 5)");
  // A newline in an error message starts a second line of text.
  BOOST_TEST(doc.text_of(messages[3]) == "error: 50% full {\"x\": #1}\nsecond & last (req 5)");
  const auto notes = doc.of_class("note");
  BOOST_REQUIRE(notes.size() == 3u);
  BOOST_TEST(doc.text_of(notes[0]) ==
             "cache<int; 8>::get failed: 50% full {\"x\": #1}\nsecond & last (req 5)");
}

BOOST_AUTO_TEST_CASE(equal_input_gives_byte_identical_images_and_diagrams) {
  const std::string first = draw("dashboard.jsonl").text;
  BOOST_TEST(draw("dashboard.jsonl").text == first);
  BOOST_TEST(draw("odd_names.jsonl", {}).text == draw("odd_names.jsonl", {}).text);
  auto mermaid = [] {
    trace_test::file_trace trace("dashboard.jsonl");
    std::ostringstream out;
    troupe_trace::write_flow(trace.source(), {}, out);
    return out.str();
  };
  BOOST_TEST(mermaid() == mermaid());
}

BOOST_AUTO_TEST_CASE(the_image_in_the_docs_is_what_the_fixture_draws) {
  // docs/tracing.md shows this file; regenerate it with
  // troupe-trace svg tests/trace/fixtures/dashboard.jsonl -o tests/trace/fixtures/dashboard.svg
  std::ifstream in(trace_test::fixture("dashboard.svg"), std::ios::binary);
  std::ostringstream golden;
  golden << in.rdbuf();
  BOOST_TEST(draw("dashboard.jsonl").text == golden.str());
}

BOOST_AUTO_TEST_CASE(filters_select_what_flow_selects) {
  flow_filter f;
  f.request = 23;
  const document doc(draw("dashboard.jsonl", f).text);
  BOOST_TEST(doc.of_class("participant").size() == 2u);
  BOOST_TEST(doc.of_class("message").size() == 3u);
  BOOST_TEST(doc.of_class("note").size() == 1u);

  f.request = 999;
  const drawn none = draw("dashboard.jsonl", f);
  BOOST_TEST(!none.result.matched);
  BOOST_TEST(none.result.why_unmatched == "no request or task 999 in dashboard.jsonl");
  BOOST_TEST(none.text.empty());
  trace_test::text_trace empty("\n");
  std::ostringstream out;
  BOOST_TEST(!troupe_trace::write_svg(empty.source(), {}, out).matched);
  BOOST_TEST(out.str().empty());
}

BOOST_AUTO_TEST_CASE(the_size_follows_participants_labels_and_rows) {
  auto size = [](const troupe_trace::sequence& seq) {
    const document doc(draw_sequence(seq));
    return std::pair{doc.number(doc.root(), "width"), doc.number(doc.root(), "height")};
  };
  const auto base = size(two_columns("x", 1));
  const auto long_label = size(two_columns(std::string(80, 'x'), 1));
  BOOST_TEST(long_label.first > base.first + 400);
  BOOST_TEST(long_label.second == base.second);
  const auto more_rows = size(two_columns("x", 5));
  BOOST_TEST(more_rows.first == base.first);
  BOOST_TEST(more_rows.second > base.second + 4 * 20);
  troupe_trace::sequence three = two_columns("x", 1);
  three.participants.push_back("c");
  BOOST_TEST(size(three).first > base.first + 90);
}

BOOST_AUTO_TEST_CASE(a_message_to_oneself_is_a_loop_and_notes_may_widen_the_image) {
  troupe_trace::sequence seq;
  seq.participants = {"solo"};
  seq.rows.push_back({row_kind::tell, 0, 0, 5, "tick"});
  seq.rows.push_back({row_kind::note, 0, 0, 6, std::string(60, 'n')});
  const document doc(draw_sequence(seq));
  const auto loop = doc.of_class("tell");
  BOOST_REQUIRE(loop.size() == 1u);
  BOOST_TEST(doc.children(loop.front(), "path").size() == 1u);
  const xml_element& note = *doc.children(doc.of_class("note").front(), "rect").front();
  BOOST_TEST(doc.number(note, "x") > 0);
  BOOST_TEST(doc.number(note, "x") + doc.number(note, "width") < doc.number(doc.root(), "width"));
}

BOOST_AUTO_TEST_CASE(escaping_leaves_only_characters_xml_allows) {
  using troupe_trace::xml_escape;
  BOOST_TEST(xml_escape("plain (req 1)") == "plain (req 1)");
  BOOST_TEST(xml_escape("<a href=\"x\">&'") == "&lt;a href=&quot;x&quot;&gt;&amp;&apos;");
  BOOST_TEST(xml_escape("]]>") == "]]&gt;");
  BOOST_TEST(xml_escape("a\tb\x01"
                        "c\x7f") == "a b c ");
  BOOST_TEST(xml_escape("caf\xC3\xA9 \xE4\xB8\xAD \xF0\x9F\x98\x80") ==
             "caf\xC3\xA9 \xE4\xB8\xAD \xF0\x9F\x98\x80");
  const std::string replacement = "\xEF\xBF\xBD";
  BOOST_TEST(xml_escape("\xFF") == replacement);
  BOOST_TEST(xml_escape("\xC3") == replacement);          // cut short
  BOOST_TEST(xml_escape("\xC3x") == replacement + "x");   // the x is kept
  BOOST_TEST(xml_escape("\xC0\xBC") == replacement);      // an overlong '<'
  BOOST_TEST(xml_escape("\xED\xA0\x80") == replacement);  // a surrogate
  BOOST_TEST(xml_escape("\xEF\xBF\xBE") == replacement);  // U+FFFE
  BOOST_TEST(xml_escape("\xC2\x85") == " ");              // a C1 control
  // Everything escaped parses back to itself.
  const std::string odd = "<x y=\"&\">]]> 'q'";
  const auto doc = trace_test::xml_checker::parse("<t a=\"" + xml_escape(odd) + "\">" +
                                                  xml_escape(odd) + "</t>");
  BOOST_TEST(doc.front().text == odd);
  BOOST_TEST(doc.front().attributes.at("a") == odd);
}

BOOST_AUTO_TEST_CASE(the_checker_rejects_malformed_xml) {
  for (const char* bad :
       {"<a>", "<a></b>", "<a>&nbsp;</a>", "<a>x<y</a>", "<a b=c/>", "<a b=\"1\" b=\"2\"/>",
        "<a/><b/>", "<a>\x01</a>", "<a>]]></a>", "<a>\xC3</a>", "<a>&#0;</a>"}) {
    BOOST_CHECK_THROW(trace_test::xml_checker::parse(bad), std::runtime_error);
  }
  BOOST_CHECK_NO_THROW(
      trace_test::xml_checker::parse("<?xml version=\"1.0\"?>\n<a b='1'>&#233;</a>"));
}

BOOST_AUTO_TEST_SUITE_END()
