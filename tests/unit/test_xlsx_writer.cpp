// --format xlsx (io/xlsx_writer.h, SPEC §3, §8.61). The cells' values and types are read back
// with openpyxl by tests/xlsx/check_xlsx.py; here: the column kinds, the row limit (with a small
// limit instead of 10^6 rows), and identical bytes (same day twice, another day, a comma locale).
#include <doctest/doctest.h>

#include <clocale>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "io/table_writer.h"
#include "io/xlsx_batches.h"
#include "io/xlsx_writer.h"
#include "model/date.h"
#include "model/errors.h"
#include "temp_file.h"

using namespace kartoteka;

namespace {

using Rows = std::vector<std::vector<std::string>>;

const std::vector<Column> kColumns = {
    {"id", ColumnKind::Id},           {"visits", ColumnKind::Integer},
    {"spent", ColumnKind::Money},     {"share", ColumnKind::Decimal},
    {"last_visit", ColumnKind::Date}, {"has_phone", ColumnKind::Boolean},
    {"note", ColumnKind::Text}};
const Rows kRows = {{"000123", "3", "1234.50", "33.3", "2026-11-17", "true", "=1+2"},
                    {"A-15", "0", "0.00", "", "", "false", "+79161234567"}};

// The process's open file descriptors.
size_t open_files() {
  size_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) n += !e.path().empty();
  return n;
}

std::string workbook(Day created, const Rows& rows = kRows) {
  std::FILE* f = std::tmpfile();
  REQUIRE(f != nullptr);
  {
    Sink sink(f, "tmp");
    TableWriter w(Format::Xlsx, sink, kColumns, WorkbookInfo{"segment", created});
    for (const auto& r : rows) w.row(r);
    w.finish();
  }
  return test::read_back(f);
}

// Enough rows for worker threads to write most of them (io/xlsx_batches.h), with decimals.
Rows long_rows() {
  Rows rows;
  for (size_t i = 0; i < 3 * XlsxBatches::kRows + 3; ++i)
    rows.push_back(
        {std::to_string(i), "3", std::to_string(i) + ".50", "33.3", "2026-11-17", "true", "note"});
  return rows;
}

}  // namespace

TEST_CASE("xlsx: the format's name, and rows are not formatted apart") {
  CHECK(parse_format("xlsx") == Format::Xlsx);
  std::FILE* f = std::tmpfile();
  REQUIRE(f != nullptr);
  Sink sink(f, "tmp");
  TableWriter w(Format::Xlsx, sink, {{"id", ColumnKind::Id}}, WorkbookInfo{"rfm", 0});
  CHECK_FALSE(w.apart());
  std::string out;
  CHECK_THROWS_AS(w.format_row({"1"}, out), std::logic_error);
  std::fclose(f);
}

TEST_CASE("xlsx: how each column is written, by its kind (§3, §8.39, §8.61)") {
  CHECK(xlsx_cell(ColumnKind::Integer) == XlsxCell::Count);
  CHECK(xlsx_cell(ColumnKind::Money) == XlsxCell::Money);
  CHECK(xlsx_cell(ColumnKind::Decimal) == XlsxCell::Decimal);
  CHECK(xlsx_cell(ColumnKind::Date) == XlsxCell::Date);
  CHECK(xlsx_cell(ColumnKind::Boolean) == XlsxCell::Boolean);
  CHECK(xlsx_cell(ColumnKind::Id) == XlsxCell::Text);  // `000123` stays text
  CHECK(xlsx_cell(ColumnKind::Text) == XlsxCell::Text);
}

TEST_CASE("xlsx: a zip; the same rows and day give the same bytes, another day others") {
  const Day day = days_from_ymd(2026, 11, 22);
  const std::string a = workbook(day);
  REQUIRE(a.size() > 4);
  CHECK(a.substr(0, 2) == "PK");
  CHECK(workbook(day) == a);
  CHECK(workbook(day + 1) != a);  // the creation time is the as-of day
}

TEST_CASE("xlsx: a comma LC_NUMERIC does not change the bytes") {
  const Day day = days_from_ymd(2026, 11, 22);
  const std::string c_bytes = workbook(day);
  const std::string c_long = workbook(day, long_rows());  // rows on worker threads too
  // The environment's locale first (check_xlsx.py runs this with a generated ru_RU.UTF-8), then
  // the usual names; a machine with none of them skips the comparison.
  const std::string old = std::setlocale(LC_NUMERIC, nullptr);
  bool comma = false;
  for (const char* name : {"", "ru_RU.UTF-8", "ru_RU.utf8", "de_DE.UTF-8", "fr_FR.UTF-8"}) {
    if (std::setlocale(LC_NUMERIC, name) && std::localeconv()->decimal_point[0] == ',') {
      comma = true;
      break;
    }
  }
  if (!comma) {
    std::setlocale(LC_NUMERIC, old.c_str());
    std::printf("xlsx comma-locale test: no comma locale on this machine, skipped\n");
    return;
  }
  char probe[32];
  std::snprintf(probe, sizeof probe, "%.16G", 1234.5);
  CHECK(std::string(probe) == "1234,5");  // the locale really is in force for printf
  const std::string comma_bytes = workbook(day);
  const std::string comma_long = workbook(day, long_rows());
  std::setlocale(LC_NUMERIC, old.c_str());
  CHECK(comma_bytes == c_bytes);
  CHECK(comma_long == c_long);
}

TEST_CASE("xlsx: more rows than a sheet holds is an input error that says to use csv") {
  XlsxWriter x({"id"}, {ColumnKind::Id}, "segment", 0, /*max_rows=*/3);
  x.row({"1"});
  x.row({"2"});
  x.row({"3"});
  try {
    x.row({"4"});
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()) ==
          "the list has more than 3 rows, more than an xlsx sheet holds: use --format csv");
  }
  CHECK(kXlsxMaxRows == 1048575);  // Excel's 1 048 576 rows, one of them the header
}

TEST_CASE("xlsx: a cell longer than a spreadsheet cell holds is an input error") {
  XlsxWriter x({"id", "note"}, {ColumnKind::Id, ColumnKind::Text}, "segment", 0);
  x.row({"1", std::string(32767, 'x')});  // Excel's limit: exactly fits
  CHECK_THROWS_WITH_AS(x.row({"2", std::string(32768, 'x')}),
                       "xlsx: row 2, column \"note\": a cell holds more than 32 767 characters "
                       "(use csv)",
                       InputError);
}

TEST_CASE("xlsx: a writer dropped without finish() (a failed run) leaves no file open") {
  const size_t before = open_files();
  for (int k = 0; k < 3; ++k) {
    XlsxWriter x({"id", "visits"}, {ColumnKind::Id, ColumnKind::Integer}, "rfm", 0);
    for (int i = 0; i < 100; ++i) x.row({std::to_string(i), "1"});
  }
  CHECK(open_files() == before);
}

// Past its first XlsxBatches::kRows rows a list is written in batches on worker threads
// (io/xlsx_batches.h): an error there still names its row, and the first failing row in row order
// is the one reported, whichever batch a worker finished first.
TEST_CASE("xlsx: a too-long cell in a batch is reported for the first such row") {
  XlsxWriter x({"id", "note"}, {ColumnKind::Id, ColumnKind::Text}, "segment", 0);
  const std::string too_long(32768, 'x');
  auto add_rows = [&] {
    for (size_t i = 1; i <= 5 * XlsxBatches::kRows; ++i)
      x.row({std::to_string(i), i == 6000 || i == 9000 ? too_long : "ok"});
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::tmpfile(), &std::fclose);
    Sink sink(f.get(), "tmp");
    x.finish(sink);
  };
  CHECK_THROWS_WITH_AS(add_rows(),
                       "xlsx: row 6000, column \"note\": a cell holds more than 32 767 characters "
                       "(use csv)",
                       InputError);
}

TEST_CASE("xlsx: a writer with batches out, dropped without finish(), leaves no file open") {
  const size_t before = open_files();
  {
    XlsxWriter x({"id", "visits"}, {ColumnKind::Id, ColumnKind::Integer}, "rfm", 0);
    for (size_t i = 0; i < 4 * XlsxBatches::kRows; ++i) x.row({std::to_string(i), "1"});
  }
  CHECK(open_files() == before);
}
