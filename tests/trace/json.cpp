// Suite for tools/trace/json.hpp: the flat-object parser and the writers.
#include "json.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "json_value.hpp"

using troupe_trace::json_field;
using troupe_trace::json_type;

namespace {

struct parsed {
  std::string line;  // owns the text the fields view
  std::vector<json_field> fields;
  std::string error;

  explicit parsed(std::string text) : line(std::move(text)) {
    error = troupe_trace::parse_object(line, fields);
  }
  const json_field& field(std::string_view key) const {
    for (const auto& f : fields)
      if (f.key == key) return f;
    throw std::runtime_error("no field " + std::string(key));
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(json)

BOOST_AUTO_TEST_CASE(a_flat_object_yields_its_fields_in_order_with_their_types) {
  parsed p(R"( {"t":12,"ev":"send","ok":true,"no":false,"x":null,"f":-1.5e3,"n":-3} )");
  BOOST_TEST_REQUIRE(p.error == "");
  BOOST_TEST_REQUIRE(p.fields.size() == 7u);
  BOOST_TEST(p.fields[0].key == "t");
  BOOST_TEST((p.field("t").type == json_type::integer));
  BOOST_TEST(p.field("t").fits);
  BOOST_TEST(p.field("t").value == 12u);
  BOOST_TEST((p.field("ev").type == json_type::string));
  BOOST_TEST(p.field("ev").text == "send");
  BOOST_TEST(p.field("ok").truth);
  BOOST_TEST(!p.field("no").truth);
  BOOST_TEST((p.field("x").type == json_type::null));
  BOOST_TEST((p.field("f").type == json_type::number));
  BOOST_TEST(p.field("f").text == "-1.5e3");
  BOOST_TEST((p.field("n").type == json_type::integer));
  BOOST_TEST(!p.field("n").fits);
}

BOOST_AUTO_TEST_CASE(the_largest_unsigned_64_bit_integer_fits_and_one_more_does_not) {
  parsed max(R"({"req":18446744073709551615})");
  BOOST_TEST(max.field("req").fits);
  BOOST_TEST(max.field("req").value == 18446744073709551615ull);
  parsed over(R"({"req":18446744073709551616})");
  BOOST_TEST(!over.field("req").fits);
}

BOOST_AUTO_TEST_CASE(string_escapes_are_decoded_in_place_including_surrogate_pairs) {
  parsed p(R"({"e":"a\"b\\c\/d\n\t\u00e9\u20ac\ud83d\ude00","k\u0065y":"v"})");
  BOOST_TEST_REQUIRE(p.error == "");
  BOOST_TEST(p.field("e").text == "a\"b\\c/d\n\t\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
  BOOST_TEST(p.field("key").text == "v");
}

BOOST_AUTO_TEST_CASE(a_lone_surrogate_becomes_the_replacement_character) {
  parsed p(R"({"e":"x\ud800y"})");
  BOOST_TEST_REQUIRE(p.error == "");
  BOOST_TEST(p.field("e").text == "x\xEF\xBF\xBDy");
}

BOOST_AUTO_TEST_CASE(nested_values_are_kept_as_nested_for_the_reader_to_judge) {
  parsed p(R"({"a":{"b":[1,{"c":"]"}]},"t":1})");
  BOOST_TEST_REQUIRE(p.error == "");
  BOOST_TEST((p.field("a").type == json_type::nested));
  BOOST_TEST(p.field("a").text == R"({"b":[1,{"c":"]"}]})");
  BOOST_TEST(p.field("t").value == 1u);
}

BOOST_AUTO_TEST_CASE(bad_json_is_reported_with_what_was_expected_and_the_column) {
  BOOST_TEST(parsed(R"([1,2])").error == "not a JSON object (starts with '[')");
  BOOST_TEST(parsed(R"({"t" 1})").error ==
             "bad JSON: expected ':' after a key at column 6, found '1'");
  BOOST_TEST(parsed(R"({"t":1,})").error ==
             "bad JSON: expected a string key at column 8, found '}'");
  BOOST_TEST(parsed(R"({"t":1)").error ==
             "bad JSON: expected ',' or '}' at column 7, found end of line");
  BOOST_TEST(parsed(R"({"t":1} x)").error ==
             "bad JSON: unexpected 'x' at column 9 after the object");
  BOOST_TEST(parsed(R"({"t":01})").error ==
             "bad JSON: expected no leading zero at column 7, found '1'");
  BOOST_TEST(parsed(R"({"t":tru})").error == "bad JSON: expected a value at column 6, found 't'");
  BOOST_TEST(parsed(R"({"s":"abc)").error == "bad JSON: unterminated string");
  BOOST_TEST(parsed(R"({"s":"\q"})").error == "bad JSON: unknown escape '\\q' at column 7");
  BOOST_TEST(parsed("{\"s\":\"a\tb\"}").error ==
             "bad JSON: raw control character (byte 0x09) in a string at column 8");
}

BOOST_AUTO_TEST_CASE(written_strings_read_back_unchanged) {
  const std::string original = "quote \" backslash \\ newline \n tab \t bell \x07 utf8 \xC3\xA9";
  std::string doc = "{\"s\":";
  troupe_trace::append_json_string(doc, original);
  doc += "}";
  BOOST_TEST(doc.find('\x07') == std::string::npos);
  BOOST_TEST(doc.find("\\u0007") != std::string::npos);
  parsed back(doc);
  BOOST_TEST_REQUIRE(back.error == "");
  BOOST_TEST(back.field("s").text == original);
}

BOOST_AUTO_TEST_CASE(microseconds_are_written_exactly_with_three_decimals) {
  std::string s;
  troupe_trace::append_micros(s, 0);
  s += ' ';
  troupe_trace::append_micros(s, 1);
  s += ' ';
  troupe_trace::append_micros(s, 1234567);
  s += ' ';
  troupe_trace::append_micros(s, 18446744073709551615ull);
  BOOST_TEST(s == "0.000 0.001 1234.567 18446744073709551.615");
}

BOOST_AUTO_TEST_SUITE_END()
