// jsonl lists (SPEC §6.9, §8.40): one JSON object per line, keys as columns; scalar values only.
// Expected cells are worked out by hand from JSON's grammar (RFC 8259) and §8.40's writer rules.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "fixtures.h"
#include "io/from_list.h"
#include "io/jsonl_list.h"
#include "io/list_reader.h"
#include "memory_input.h"
#include "model/errors.h"

using namespace kartoteka;
using kartoteka::test::MemoryInput;

namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;
using Strings = std::vector<std::string>;

Pairs obj(std::string_view line) {
  return parse_jsonl_object(line, "l.jsonl", 7);
}

std::string error_of(std::string_view line) {
  try {
    obj(line);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("jsonl: looks_like_jsonl — the first non-blank byte is '{'") {
  CHECK(looks_like_jsonl("{\"id\":\"1\"}"));
  CHECK(looks_like_jsonl("\n\r\n \t{"));
  CHECK(looks_like_jsonl("\xEF\xBB\xBF{"));  // after a BOM
  CHECK_FALSE(looks_like_jsonl("id,name\n"));
  CHECK_FALSE(looks_like_jsonl("  id\n{"));
  CHECK_FALSE(looks_like_jsonl(""));
  CHECK_FALSE(looks_like_jsonl("\n\n"));
  CHECK_FALSE(looks_like_jsonl("[{\"id\":1}]"));  // a JSON array is not jsonl
}

TEST_CASE("jsonl: scalar values as cells, in the order written") {
  // As kartoteka writes it (§8.40): strings, numbers unquoted as csv prints them, booleans, null.
  CHECK(obj(R"({"id":"101","visits":9,"spent":7800.00,"has_phone":true,"upcoming":false,)"
            R"("note":null})") == Pairs{{"id", "101"},
                                        {"visits", "9"},
                                        {"spent", "7800.00"},
                                        {"has_phone", "true"},
                                        {"upcoming", "false"},
                                        {"note", ""}});
  // Spaces anywhere JSON allows them; numbers keep their text (sign, fraction, exponent).
  CHECK(obj(R"(  { "a" : -500.00 , "b":0, "c":1e3, "d":2.5E-1 }  )") ==
        Pairs{{"a", "-500.00"}, {"b", "0"}, {"c", "1e3"}, {"d", "2.5E-1"}});
  CHECK(obj("{}").empty());
  // UTF-8 as is; escapes: \" \\ \/ \n \r \t \b \f, \u00XX, a surrogate pair → U+1F600.
  CHECK(obj(R"({"name":"Орлова \"Ната\" \\ a\/b\n\r\t\b\f\u0041\u00e9\ud83d\ude00"})") ==
        Pairs{{"name", "Орлова \"Ната\" \\ a/b\n\r\t\b\fAé\xF0\x9F\x98\x80"}});
  // Cyrillic written as \u escapes (another writer may do that): "Ая".
  CHECK(obj(R"({"\u0438\u0434":"\u0410\u044f"})") == Pairs{{"ид", "Ая"}});
}

TEST_CASE("jsonl: what is not a list line is an input error naming file and line") {
  // A value that is not a string, number, boolean or null (§6.9).
  CHECK(error_of(R"({"id":"1","tags":["a","b"]})") ==
        "l.jsonl:7: not a jsonl list line: the value of \"tags\" is an array: a list's values are "
        "strings, numbers, booleans or null");
  CHECK(error_of(R"({"id":{"n":1}})").find("the value of \"id\" is an object") !=
        std::string::npos);
  for (std::string_view bad : {
           R"(["id"])",                 // not an object
           R"({"id":"1"} {"id":"2"})",  // two objects on one line
           R"({"id":"1",})",            // trailing comma
           R"({id:"1"})",               // unquoted key
           R"({"id":'1'})",             // single quotes
           R"({"id":"1")",              // unterminated object
           R"({"id":"1)",               // unterminated string
           R"({"n":01})",               // leading zero
           R"({"n":1.})",               // no fraction digits
           R"({"n":-})",                // a sign alone
           R"({"n":+1})",               // JSON has no '+'
           R"({"b":True})",             // keywords are lower-case
           R"({"s":"\x41"})",           // no such escape
           R"({"s":"\u12"})",           // short \u
           R"({"s":"\ud83d"})",         // a high surrogate alone
           R"({"s":"\ude00"})",         // a low surrogate alone
           "{\"s\":\"a\tb\"}",          // a raw control character in a string
           R"({"id":"1","id":"2"})",    // a repeated key
           "{\"s\":\"\xFF\"}",          // not UTF-8
       }) {
    CAPTURE(bad);
    std::string msg = error_of(bad);
    CHECK(msg.rfind("l.jsonl:7: ", 0) == 0);
  }
}

TEST_CASE("jsonl: parse_jsonl — keys as columns, first seen order, physical lines") {
  // A BOM, a blank line (line 2), CRLF ends, a key only some objects have, another key order.
  JsonlTable t = parse_jsonl(
      "\xEF\xBB\xBF{\"id\":\"101\",\"visits\":9}\r\n\r\n{\"visits\":3,\"id\":\"77\",\"note\":\"x\"}"
      "\n"
      "{\"id\":\"A-15\"}",
      "l.jsonl");
  CHECK(t.header == Strings{"id", "visits", "note"});
  REQUIRE(t.rows.size() == 3);
  CHECK(t.rows[0].line == 1);
  CHECK(t.rows[0].values == Strings{"101", "9", ""});
  CHECK(t.rows[1].line == 3);
  CHECK(t.rows[1].values == Strings{"77", "3", "x"});
  CHECK(t.rows[2].line == 4);
  CHECK(t.rows[2].values == Strings{"A-15", "", ""});
  // A bad line names its physical line.
  try {
    parse_jsonl("{\"id\":\"1\"}\n\n{\"id\":[1]}\n", "--from -");
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).rfind("--from -:3: ", 0) == 0);
  }
  // Only empty objects: no columns at all.
  CHECK_THROWS_AS(parse_jsonl("{}\n", "l.jsonl"), InputError);
}

TEST_CASE("jsonl: ListReader picks jsonl or csv by the first non-blank byte") {
  MemoryInput j("\n{\"id\":\"101\",\"name\":\"Орлова\",\"visits\":9}\n{\"id\":\"77\"}\n");
  ListReader a(j, "j");
  CHECK(a.jsonl());
  CHECK(a.header() == Strings{"id", "name", "visits"});
  Record r;
  REQUIRE(a.next(r));
  CHECK(r.error.empty());
  CHECK(r.line == 2);
  CHECK(std::vector<std::string>(r.fields.begin(), r.fields.end()) ==
        Strings{"101", "Орлова", "9"});
  REQUIRE(a.next(r));
  CHECK(r.fields.size() == 3);
  CHECK(r.fields[0] == "77");
  CHECK(r.fields[2] == "");
  CHECK_FALSE(a.next(r));
  // A csv list (cp1251, ';') is read by the csv reader as before.
  MemoryInput c("\xCD\xEE\xEC\xE5\xF0 \xEA\xE0\xF0\xF2\xFB;x\n101;1\n");  // "Номер карты;x"
  ListReader b(c, "c");
  CHECK_FALSE(b.jsonl());
  CHECK(b.header() == Strings{"Номер карты", "x"});
  REQUIRE(b.next(r));
  CHECK(r.fields[0] == "101");
}

TEST_CASE("jsonl: a jsonl --from list (§6.9): keys travel like csv columns") {
  PatientTable pt;
  for (const char* id : {"000123", "101"}) test::add_patient(pt, {{PText::id, id}});
  MemoryInput j(
      "{\"id\":\"101\",\"visits\":9,\"spent\":7800.00}\n{\"id\":\"000123\",\"visits\":1}\n"
      "{\"id\":\"999\",\"visits\":2}\n");
  Diagnostics diag(true, false);
  FromList l = read_from_list(j, pt, diag);
  CHECK(l.titles == Strings{"visits", "spent"});
  CHECK(l.order == std::vector<uint32_t>{1, 0});  // 999 is unknown: dropped
  CHECK(l.value(1, 1) == "7800.00");
  CHECK(l.value(0, 1) == "");
}
