// Typed output columns (issue 29 item 2): the writers and --mask read a column's kind and personal
// flag from the column the rule made, not from its title. Expected bytes written out by hand from
// SPEC §8.39 (jsonl: numeric columns bare, text columns quoted).
#include <doctest/doctest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "io/table_writer.h"
#include "model/column.h"
#include "rules/mask.h"
#include "rules/rfm_predict.h"
#include "rules/table.h"
#include "temp_file.h"

using namespace kartoteka;

namespace {

// The columns a sink receives, written as jsonl through a real FILE*.
std::string jsonl(const Table& table) {
  const Table got = collect_table([&](RowSink& out) { send_table(table, out); });
  std::FILE* f = std::tmpfile();
  REQUIRE(f != nullptr);
  {
    Sink sink(f, "tmp");
    const auto columns = got.columns.empty() ? default_columns(got.titles) : got.columns;
    TableWriter w(Format::Jsonl, sink, columns, WorkbookInfo{});
    for (const auto& r : got.rows) w.row(r);
    w.finish();
  }
  return test::read_back(f);
}

}  // namespace

TEST_CASE("default_column: the kinds and personal flags titles have always had") {
  CHECK(default_column("spent").kind == ColumnKind::Money);
  CHECK(default_column("share").kind == ColumnKind::Decimal);
  CHECK(default_column("visits").kind == ColumnKind::Integer);
  CHECK(default_column("last_visit").kind == ColumnKind::Date);
  CHECK(default_column("referrer_id").kind == ColumnKind::Id);
  CHECK(default_column("has_phone").kind == ColumnKind::Boolean);
  CHECK(default_column("note").kind == ColumnKind::Text);
  CHECK(default_column("name").personal == MaskKind::Name);
  CHECK(default_column("Телефон").personal == MaskKind::Phone);
  CHECK(default_column("Пациентка").personal == MaskKind::None);  // unknown title: not personal
}

TEST_CASE("a column the rule types as Text is text in jsonl, whatever its title") {
  Table by_title{{"id", "spent"}, {{"1", "12.50"}}, {}};
  CHECK(jsonl(by_title) == "{\"id\":\"1\",\"spent\":12.50}\n");
  Table typed = by_title;
  typed.columns = {{"id", ColumnKind::Id}, {"spent", ColumnKind::Text}};
  CHECK(jsonl(typed) == "{\"id\":\"1\",\"spent\":\"12.50\"}\n");
}

TEST_CASE("rfm --model states its `r` a decimal, the RFM score's title notwithstanding") {
  const Table t = rfm_model_table(RfmModels{});
  REQUIRE(t.columns.size() == t.titles.size());
  CHECK(t.columns[2].title == "r");
  CHECK(t.columns[2].kind == ColumnKind::Decimal);
  CHECK(default_column("r").kind == ColumnKind::Integer);
}

TEST_CASE("--mask masks a personal column whatever its title, and its value in free text") {
  const MaskKey key = MaskKey::from_secret("test");
  const std::string who = "Орлова Наталья";
  const std::vector<Column> columns = {{"Пациентка", ColumnKind::Text, MaskKind::Name},
                                       {"note", ColumnKind::Text, MaskKind::None}};
  RowMasker m(columns, key, {});
  std::vector<std::string> row = {who, "звонила " + who};
  m.mask(row);
  CHECK(row[0] == mask_name(key, who));
  CHECK(row[1] == "звонила " + mask_name(key, who));
  // By title alone the same column is not personal: the leak typed columns close.
  RowMasker by_title(std::vector<std::string>{"Пациентка", "note"}, key);
  std::vector<std::string> plain = {who, "x"};
  by_title.mask(plain);
  CHECK(plain[0] == who);
}
