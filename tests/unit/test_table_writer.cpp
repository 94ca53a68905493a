// Output formats: expected bytes are written out by hand from SPEC §3, §8.17, §8.19, §8.39–§8.41.
#include <doctest/doctest.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "io/table_writer.h"
#include "model/errors.h"
#include "temp_file.h"

using namespace kartoteka;

namespace {

using Rows = std::vector<std::vector<std::string>>;

// Columns of these titles with the kinds §8.39 gives them (default_column, checked by hand
// below): the formats' tests are written with SPEC's titles.
std::vector<Column> cols(const std::vector<std::string>& titles) {
  std::vector<Column> out;
  for (const auto& t : titles) out.push_back(default_column(t));
  return out;
}

// Renders through a real FILE* so the Sink's descriptor path is what gets tested.
std::string render(Format format, const std::vector<std::string>& titles, const Rows& rows) {
  std::FILE* f = std::tmpfile();
  REQUIRE(f != nullptr);
  {
    Sink sink(f, "tmp");
    TableWriter w(format, sink, cols(titles), {});
    for (const auto& r : rows) w.row(r);
    w.finish();
  }
  return test::read_back(f);
}

}  // namespace

TEST_CASE("parse_format") {
  CHECK(parse_format("csv") == Format::Csv);
  CHECK(parse_format("tsv") == Format::Tsv);
  CHECK(parse_format("jsonl") == Format::Jsonl);
  CHECK(parse_format("table") == Format::Table);
  CHECK(parse_format("excel") == Format::Excel);
  CHECK_FALSE(parse_format("CSV").has_value());
  CHECK_FALSE(parse_format("json").has_value());
  CHECK_FALSE(parse_format("").has_value());
}

TEST_CASE("default_column: an input file's title by exact title (§8.39, §8.61, §3)") {
  for (const char* t :
       {"visits", "age", "birth_month", "birth_day", "days_to_birthday", "days_since_first_visit",
        "days_since_last_visit", "recency_days", "frequency", "r", "f", "m", "days_since",
        "days_overdue", "patients", "referrals", "segments"}) {
    CAPTURE(t);
    CHECK(default_column(t).kind == ColumnKind::Integer);
  }
  for (const char* t : {"spent",         "avg_check",    "monetary",
                        "typical_gap",   "share",        "recency_days_avg",
                        "frequency_avg", "monetary_sum", "monetary_avg",
                        "topup",         "credit",       "welcome",
                        "topup_total",   "credit_total", "referred_revenue",
                        "balance",       "expiring",     "earned",
                        "redeemed",      "expired",      "discount_pct",
                        "next_tier_gap", "amount",       "issued",
                        "outstanding"}) {
    CAPTURE(t);
    CHECK(is_numeric(default_column(t).kind));
    CHECK(default_column(t).kind != ColumnKind::Integer);
  }
  for (const char* t : {"has_phone", "upcoming", "sms_consent", "purchased"}) {
    CAPTURE(t);
    CHECK(default_column(t).kind == ColumnKind::Boolean);
  }
  for (const char* t : {"name", "phone", "rfm", "Age", "visits ", "days_foo", "r f"}) {
    CAPTURE(t);
    CHECK(default_column(t).kind == ColumnKind::Text);
  }
  // Money (§8.61) among the decimals; §3's dates; the columns that name a patient.
  for (const char* t : {"spent", "monetary_avg", "balance", "expected_revenue", "revenue"})
    CHECK(default_column(t).kind == ColumnKind::Money);
  for (const char* t : {"share", "typical_gap", "discount_pct", "cost_pct", "p_alive"})
    CHECK(default_column(t).kind == ColumnKind::Decimal);
  for (const char* t : {"last_visit", "due_date", "next_expiry", "birth_date", "as_of"})
    CHECK(default_column(t).kind == ColumnKind::Date);
  for (const char* t : {"id", "new_id", "referrer_id"})
    CHECK(default_column(t).kind == ColumnKind::Id);
}

TEST_CASE("csv: header, quoting only where needed, LF") {
  const std::string out = render(Format::Csv, {"id", "name", "note"},
                                 {{"000123", "Иванов, Пётр", "say \"hi\""},
                                  {"7", "a\r\nb", "line\nbreak"},
                                  {"8", " spaced ", "semi;colon"},
                                  {"9", "", "cr\ronly"}});
  CHECK(out ==
        "id,name,note\n"
        "000123,\"Иванов, Пётр\",\"say \"\"hi\"\"\"\n"
        "7,\"a\r\nb\",\"line\nbreak\"\n"
        "8, spaced ,semi;colon\n"
        "9,,\"cr\ronly\"\n");
}

TEST_CASE("csv: zero rows still has the header") {
  CHECK(render(Format::Csv, {"id", "name", "phone"}, {}) == "id,name,phone\n");
  CHECK(render(Format::Csv, {"a,b"}, {}) == "\"a,b\"\n");
}

TEST_CASE("tsv: no quoting, TAB CR LF become spaces, CRLF one space") {
  const std::string out =
      render(Format::Tsv, {"id", "name", "note"},
             {{"1", "a\tb", "x\r\ny"}, {"2", "say \"hi\", ok", "p\nq\rr"}, {"3", "", "\r\n\r\n"}});
  CHECK(out ==
        "id\tname\tnote\n"
        "1\ta b\tx y\n"
        "2\tsay \"hi\", ok\tp q r\n"
        "3\t\t  \n");
  CHECK(render(Format::Tsv, {"id"}, {}) == "id\n");
}

TEST_CASE("jsonl: types, nulls, escapes") {
  const std::string out = render(
      Format::Jsonl, {"id", "name", "visits", "spent", "has_phone", "upcoming", "categories"},
      {{"000123", "Иванов \"Пётр\"", "9", "7800.00", "true", "false", "VIP;Дети"},
       {"101", "", "0", "-500.00", "", "", ""}});
  CHECK(out ==
        "{\"id\":\"000123\",\"name\":\"Иванов \\\"Пётр\\\"\",\"visits\":9,\"spent\":7800.00,"
        "\"has_phone\":true,\"upcoming\":false,\"categories\":\"VIP;Дети\"}\n"
        "{\"id\":\"101\",\"name\":null,\"visits\":0,\"spent\":-500.00,\"has_phone\":null,"
        "\"upcoming\":null,\"categories\":null}\n");
}

TEST_CASE("jsonl: control characters and backslash") {
  const std::string out = render(Format::Jsonl, {"note"},
                                 {{std::string("a\x1f"
                                               "b\\c\n\r\t\b\f\x01\x7f") +
                                   "€"}});
  CHECK(out == "{\"note\":\"a\\u001fb\\\\c\\n\\r\\t\\b\\f\\u0001\x7f€\"}\n");
}

TEST_CASE("jsonl: decimal value as printed; odd values in typed columns stay strings") {
  CHECK(render(Format::Jsonl, {"typical_gap", "discount_pct"}, {{"32.5", "0"}}) ==
        "{\"typical_gap\":32.5,\"discount_pct\":0}\n");
  // Not valid JSON numbers/booleans: written as strings so the line stays valid JSON.
  CHECK(render(Format::Jsonl, {"visits", "spent", "has_phone", "Age"},
               {{"007", "1.", "yes", "42"}}) ==
        "{\"visits\":\"007\",\"spent\":\"1.\",\"has_phone\":\"yes\",\"Age\":\"42\"}\n");
}

TEST_CASE("jsonl: no header, zero rows is empty output") {
  CHECK(render(Format::Jsonl, {"id", "name"}, {}).empty());
}

TEST_CASE("table: code-point widths, numbers right-aligned, trailing spaces trimmed") {
  const std::string out =
      render(Format::Table, {"id", "name", "visits", "spent"},
             {{"000001", "Иванов", "3", "100.00"}, {"12", "Ли", "12", "7800.00"}});
  CHECK(out ==
        "id      name    visits  spent\n"
        "000001  Иванов       3   100.00\n"
        "12      Ли          12  7800.00\n");
}

TEST_CASE("table: text last column trimmed, CR/LF/TAB as spaces, empty cells") {
  const std::string out =
      render(Format::Table, {"id", "note"}, {{"1", "a\r\nb"}, {"22", "x\ty\nz"}, {"333", ""}});
  CHECK(out ==
        "id   note\n"
        "1    a b\n"
        "22   x y z\n"
        "333\n");
}

TEST_CASE("table: zero rows prints the header only") {
  CHECK(render(Format::Table, {"id", "name", "visits"}, {}) == "id  name  visits\n");
}

TEST_CASE("excel: BOM, ;, CRLF, decimal comma, identifiers and formula guard") {
  const std::string out =
      render(Format::Excel, {"id", "phone", "name", "visits", "spent", "note", "sms_consent"},
             {{"000123", "+79123456789", "Иванов; Пётр", "0", "-500.00", "-abc", "true"},
              {"12345", "", "=SUM(A1)", "12", "1234.50", "@x", "false"},
              {"0", "1234567890123456", "123456789012345", "3", "0.00", "+", "true"},
              {"A-15", "\tx", "say \"hi\"", "1", "=1+1", "a\r\nb", ""},
              {"5", "\rx", "+7 912", "2", "7.5", "-", "x"}});
  CHECK(out ==
        "\xEF\xBB\xBF"
        "id;phone;name;visits;spent;note;sms_consent\r\n"
        "\"=\"\"000123\"\"\";\"=\"\"+79123456789\"\"\";\"Иванов; Пётр\";0;-500,00;'-abc;true\r\n"
        "12345;;'=SUM(A1);12;1234,50;'@x;false\r\n"
        "\"=\"\"0\"\"\";\"=\"\"1234567890123456\"\"\";123456789012345;3;0,00;'+;true\r\n"
        "A-15;'\tx;\"say \"\"hi\"\"\";1;'=1+1;\"a\r\nb\";\r\n"
        "5;\"'\rx\";'+7 912;2;7,5;'-;x\r\n");
}

TEST_CASE("excel: zero rows is BOM and header") {
  CHECK(render(Format::Excel, {"id", "name"}, {}) == "\xEF\xBB\xBFid;name\r\n");
}

TEST_CASE("row with the wrong number of cells is a programming error") {
  std::FILE* f = std::tmpfile();
  REQUIRE(f != nullptr);
  {
    Sink sink(f, "tmp");
    TableWriter w(Format::Csv, sink, cols({"a", "b"}), {});
    CHECK_THROWS_AS(w.row({"1"}), std::logic_error);
  }
  std::fclose(f);
}

TEST_CASE("Sink: output larger than the 64 KiB chunk arrives whole and in order") {
  Rows rows;
  std::string expected = "n,text\n";
  for (int i = 0; i < 20000; ++i) {
    rows.push_back({std::to_string(i), "строка"});
    expected += std::to_string(i) + ",строка\n";
  }
  REQUIRE(expected.size() > 3 * 64 * 1024);
  CHECK(render(Format::Csv, {"n", "text"}, rows) == expected);
}

TEST_CASE("Sink: a pipe whose reader is gone gives OutputClosed") {
  // main() ignores SIGPIPE; do the same here so EPIPE arrives as an errno.
  auto old = std::signal(SIGPIPE, SIG_IGN);
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  ::close(fds[0]);
  std::FILE* f = ::fdopen(fds[1], "w");
  REQUIRE(f != nullptr);
  {
    Sink sink(f, "stdout");
    sink.write("id\n");  // buffered: nothing reaches the pipe yet
    CHECK_THROWS_AS(sink.flush(), OutputClosed);
    // A chunk-sized write drains on its own and fails the same way.
    CHECK_THROWS_AS(sink.write(std::string(70 * 1024, 'x')), OutputClosed);
  }
  std::fclose(f);
  std::signal(SIGPIPE, old);
}

TEST_CASE("Sink: other write errors are InputError naming the output") {
  std::FILE* f = std::fopen("/dev/full", "w");
  if (!f) return;  // no /dev/full in this environment
  Sink sink(f, "list.csv");
  sink.write("id\n");
  try {
    sink.flush();
    FAIL("expected InputError");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()) == "cannot write list.csv: No space left on device");
  }
  std::fclose(f);
}

namespace {

// Writes n rows {i, "a<i>"} through write_rows_on_two_threads; `fail_at` (if < n) throws there.
// Returns what reached the file, and whether the call threw.
std::pair<std::string, bool> render_two_threads(Format format, size_t n, size_t fail_at,
                                                std::atomic<int>* fills_made = nullptr) {
  std::FILE* f = std::tmpfile();
  REQUIRE(f != nullptr);
  bool threw = false;
  {
    Sink sink(f, "tmp");
    TableWriter w(format, sink, cols({"visits", "name"}), {});
    try {
      write_rows_on_two_threads(w, n, 2, [&]() -> RowFiller {
        if (fills_made) ++*fills_made;
        return [fail_at](size_t i, std::vector<std::string>& cells) {
          if (i == fail_at) throw std::runtime_error("fill failed");
          cells[0] = std::to_string(i);
          cells[1] = "a" + std::to_string(i);
        };
      });
      w.finish();
    } catch (const std::runtime_error&) {
      threw = true;
      sink.flush();
    }
  }
  return {test::read_back(f), threw};
}

std::string csv_rows(size_t from, size_t to) {
  std::string s;
  for (size_t i = from; i < to; ++i) s += std::to_string(i) + ",a" + std::to_string(i) + "\n";
  return s;
}

}  // namespace

TEST_CASE("two threads: rows in order, the bytes row() would write, a fill per thread") {
  // 5000 rows: chunks of 1024 rows alternate between the threads, the last one short.
  std::atomic<int> fills{0};
  auto [csv, threw] = render_two_threads(Format::Csv, 5000, SIZE_MAX, &fills);
  CHECK_FALSE(threw);
  CHECK(csv == "visits,name\n" + csv_rows(0, 5000));
  CHECK(fills == 2);
  // jsonl: visits is an integer column (§8.39), name text.
  std::string jsonl = render_two_threads(Format::Jsonl, 3000, SIZE_MAX).first;
  std::string expected;
  for (size_t i = 0; i < 3000; ++i)
    expected += "{\"visits\":" + std::to_string(i) + ",\"name\":\"a" + std::to_string(i) + "\"}\n";
  CHECK(jsonl == expected);
  // Fewer rows than a chunk: this thread alone.
  CHECK(render_two_threads(Format::Csv, 3, SIZE_MAX).first == "visits,name\n0,a0\n1,a1\n2,a2\n");
}

TEST_CASE("two threads: a failing fill stops both, rows of earlier chunks stay written") {
  // Row 1500 is in chunk 1 (rows 1024–2047, the second thread's): chunk 0 is written.
  auto [second, threw2] = render_two_threads(Format::Csv, 5000, 1500);
  CHECK(threw2);
  CHECK(second == "visits,name\n" + csv_rows(0, 1024));
  // Row 2500 is in chunk 2 (2048–3071, this thread's): chunks 0 and 1 are written.
  auto [first, threw1] = render_two_threads(Format::Csv, 5000, 2500);
  CHECK(threw1);
  CHECK(first == "visits,name\n" + csv_rows(0, 2048));
}

TEST_CASE("table format aligns all rows: it cannot format rows apart") {
  std::FILE* f = std::tmpfile();
  REQUIRE(f != nullptr);
  {
    Sink sink(f, "tmp");
    TableWriter table(Format::Table, sink, cols({"a"}), {});
    CHECK_FALSE(table.apart());
    std::string out;
    CHECK_THROWS_AS(table.format_row({"1"}, out), std::logic_error);
    TableWriter csv(Format::Csv, sink, cols({"a"}), {});
    CHECK(csv.apart());
  }
  std::fclose(f);
}
