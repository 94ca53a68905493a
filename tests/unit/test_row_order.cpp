// --sort / --limit (rules/row_order.h). Expected orders are worked out by hand from SPEC §8.50 and
// §8.54: numbers as numbers, ids in byte order, other text folded (lower-case, ё = е), empty
// cells last in either direction, ties by the next key, then by the rows' own order.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "model/errors.h"
#include "rules/row_order.h"

using namespace kartoteka;

namespace {

using Rows = std::vector<std::vector<std::string>>;

const std::vector<std::string> kTitles = {"id", "district", "spent", "last_visit", "Age"};

bool numeric(std::string_view t) {
  return t == "spent";  // as the writer's §8.39 kinds would say (`Age` is text)
}

// The first cells (ids) of the rows in the order RowOrder gives.
std::vector<std::string> ids(const Rows& rows, const std::vector<std::string>& keys,
                             size_t limit = SIZE_MAX) {
  RowBuffer buf(kTitles.size());
  for (const auto& r : rows) buf.add(r);
  std::vector<SortKey> parsed;
  for (const auto& k : keys) parsed.push_back(parse_sort_key(k));
  RowOrder order(kTitles, parsed, numeric);
  std::vector<std::string> out;
  for (size_t i : order.order(buf, limit)) out.emplace_back(buf.cell(i, 0));
  return out;
}

// id, district, spent, last_visit, Age
const Rows kRows = {
    {"101", "Орёл", "9.50", "2026-03-01", "9"},         //
    {"77", "", "100.00", "", "10"},                     //
    {"000123", "орел", "10.00", "2025-12-31", ""},      //
    {"A-15", "Басманный", "", "2026-03-01", "100"},     //
    {"1001", "ОРЁЛ", "-5.00", "2026-11-01", "2"},       //
    {"B", "басманный", "100.00", "2024-01-01", "abc"},  //
};

}  // namespace

TEST_CASE("parse_sort_key: :asc and :desc suffixes, anything else is the title") {
  CHECK(parse_sort_key("spent").column == "spent");
  CHECK_FALSE(parse_sort_key("spent").descending);
  CHECK(parse_sort_key("spent:desc").column == "spent");
  CHECK(parse_sort_key("spent:desc").descending);
  CHECK(parse_sort_key("spent:asc").column == "spent");
  CHECK_FALSE(parse_sort_key("spent:asc").descending);
  CHECK(parse_sort_key("spent:up").column == "spent:up");
  CHECK(parse_sort_key(":desc").column == ":desc");  // no title before the suffix
}

TEST_CASE("RowBuffer keeps cells, empty ones included") {
  RowBuffer b(3);
  b.add({"a", "", "ccc"});
  b.add({"", "", ""});
  b.add({"Ёж", "x", ""});
  REQUIRE(b.size() == 3);
  CHECK(b.cell(0, 0) == "a");
  CHECK(b.cell(0, 1) == "");
  CHECK(b.cell(0, 2) == "ccc");
  CHECK(b.cell(1, 2) == "");
  CHECK(b.cell(2, 0) == "Ёж");
  std::vector<std::string> cells;
  b.get(2, cells);
  CHECK(cells == std::vector<std::string>{"Ёж", "x", ""});
}

TEST_CASE("numbers compare as numbers, empty last in both directions") {
  // spent: 9.50 < 10.00 < 100.00 (as text "10.00" < "100.00" < "9.50"); -5.00 first; A-15 empty.
  CHECK(ids(kRows, {"spent"}) ==
        std::vector<std::string>{"1001", "101", "000123", "77", "B", "A-15"});
  // desc: 100.00 twice keeps the rows' order (77 before B); the empty cell stays last.
  CHECK(ids(kRows, {"spent:desc"}) ==
        std::vector<std::string>{"77", "B", "000123", "101", "1001", "A-15"});
}

TEST_CASE("ids sort in plain byte order") {
  CHECK(ids(kRows, {"id"}) == std::vector<std::string>{"000123", "1001", "101", "77", "A-15", "B"});
  CHECK(ids(kRows, {"id:desc"}) ==
        std::vector<std::string>{"B", "A-15", "77", "101", "1001", "000123"});
}

TEST_CASE("text folds case and ё; ties keep the rows' order; empty last") {
  // Folded: "басманный" ×2 (A-15, B in row order), "орел" ×3 (101, 000123, 1001), then empty (77).
  CHECK(ids(kRows, {"district"}) ==
        std::vector<std::string>{"A-15", "B", "101", "000123", "1001", "77"});
  // desc reverses the groups, not the ties inside them; the empty cell is still last.
  CHECK(ids(kRows, {"district:desc"}) ==
        std::vector<std::string>{"101", "000123", "1001", "A-15", "B", "77"});
}

TEST_CASE("a second key breaks the first one's ties") {
  // district groups as above; inside орел by spent desc: 10.00 (000123), 9.50 (101), -5.00 (1001).
  CHECK(ids(kRows, {"district", "spent:desc"}) ==
        std::vector<std::string>{"B", "A-15", "000123", "101", "1001", "77"});
}

TEST_CASE("dates are ISO text: they sort as dates") {
  // 2024-01-01 (B), 2025-12-31 (000123), 2026-03-01 ×2 (101, A-15 in row order), 2026-11-01, empty.
  CHECK(ids(kRows, {"last_visit"}) ==
        std::vector<std::string>{"B", "000123", "101", "A-15", "1001", "77"});
}

TEST_CASE("a column that is not numeric by title sorts as text (Age)") {
  // Folded text: "10" < "100" < "2" < "9" < "abc"; empty last.
  CHECK(ids(kRows, {"Age"}) ==
        std::vector<std::string>{"77", "A-15", "1001", "101", "B", "000123"});
}

TEST_CASE("a non-number in a numeric column sorts after the numbers, before empty cells") {
  const Rows rows = {{"1", "", "n/a", "", ""}, {"2", "", "", "", ""}, {"3", "", "7.00", "", ""}};
  CHECK(ids(rows, {"spent"}) == std::vector<std::string>{"3", "1", "2"});
  CHECK(ids(rows, {"spent:desc"}) == std::vector<std::string>{"3", "1", "2"});
}

TEST_CASE("limit: the first N after sorting; 0 = none; no keys = the rows' own order") {
  CHECK(ids(kRows, {"spent:desc"}, 2) == std::vector<std::string>{"77", "B"});
  CHECK(ids(kRows, {"spent"}, 0).empty());
  CHECK(ids(kRows, {}, 3) == std::vector<std::string>{"101", "77", "000123"});
  CHECK(ids(kRows, {"district"}, 100).size() == 6);
}

TEST_CASE("partial sort with a limit agrees with the full sort on many ties") {
  Rows rows;
  for (int i = 0; i < 500; ++i)
    rows.push_back({std::to_string(i), i % 3 ? "x" : "", std::to_string(i % 7) + ".00", "", ""});
  const auto full = ids(rows, {"district:desc", "spent"});
  for (size_t limit : {1, 17, 250, 499}) {
    const auto part = ids(rows, {"district:desc", "spent"}, limit);
    CHECK(part == std::vector<std::string>(full.begin(), full.begin() + limit));
  }
}

TEST_CASE("an unknown column is a usage error listing the output's columns") {
  try {
    RowOrder({"id", "name", "visits"}, {parse_sort_key("nope:desc")}, numeric);
    FAIL("no error");
  } catch (const UsageError& e) {
    CHECK(std::string(e.what()) ==
          "--sort nope: no such column; the output's columns are: id, name, visits");
  }
  // Titles are exact: `Spent` is not `spent`.
  CHECK_THROWS_AS(RowOrder(kTitles, {parse_sort_key("Spent")}, numeric), UsageError);
}
