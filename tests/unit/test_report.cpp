// The report's pure parts (SPEC §6.7, §8.60): Russian formatting, the month window, the months
// fold, the sinks over the commands' rows, the small tables, and the HTML/SVG text. Expected
// values are worked out by hand in the comments.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "model/date.h"
#include "rules/html_text.h"
#include "rules/report_months.h"
#include "rules/report_table_html.h"
#include "rules/report_tables.h"
#include "rules/ru_format.h"
#include "rules/svg_chart.h"

using namespace kartoteka;

namespace {

const Day kAsOf = days_from_ymd(2026, 11, 22);

Day ymd(int y, int m, int d) {
  return days_from_ymd(y, m, d);
}

VisitRow row(uint32_t patient, Day date, Kopecks amount, std::string_view visit_id,
             Status status = Status::Completed) {
  static uint64_t seq = 0;
  VisitRow r;
  r.patient = patient;
  r.seq = seq++;
  r.date = date;
  r.amount = amount;
  r.visit_id = visit_id;
  r.status = status;
  return r;
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("ru_format: numbers, money, percentages, months and dates for people") {
  CHECK(ru_count(0) == "0");
  CHECK(ru_count(999) == "999");
  CHECK(ru_count(1000) == "1 000");
  CHECK(ru_count(1234567) == "1 234 567");
  CHECK(ru_count(-4500) == "\u22124 500");
  CHECK(ru_money(123456750) == "1 234 567,50 ₽");
  CHECK(ru_money(5) == "0,05 ₽");
  CHECK(ru_money(-300000) == "\u22123 000,00 ₽");
  CHECK(ru_percent("42.9") == "42,9 %");
  CHECK(ru_percent("5") == "5 %");
  CHECK(ru_decimal("914.3") == "914,3");
  CHECK(ru_decimal("12345.25") == "12 345,25");
  CHECK(ru_decimal("") == "");
  CHECK(ru_decimal("n/a") == "n/a");
  // 2026 × 12 + 10 = 24322 is November 2026.
  CHECK(month_index(ymd(2026, 11, 22)) == 24322);
  CHECK(month_label(24322) == "2026-11");
  CHECK(month_label(month_index(ymd(2025, 1, 1))) == "2025-01");
  CHECK(ru_month(24322) == "ноябрь 2026");
  CHECK(ru_month_abbr(24322) == "ноя");
  CHECK(ru_date(ymd(2021, 3, 14)) == "14 марта 2021");
  CHECK(ru_date(kNoDay) == "");
  // Axis ticks: below 10 000 ₽ as is; thousands; one decimal under ten millions.
  CHECK(ru_money_short(0) == "0 ₽");
  CHECK(ru_money_short(850000) == "8 500 ₽");
  CHECK(ru_money_short(1200000) == "12 тыс. ₽");
  CHECK(ru_money_short(120000000) == "1,2 млн ₽");
  CHECK(ru_money_short(200000000) == "2 млн ₽");
  CHECK(ru_money_short(-2000000) == "\u221220 тыс. ₽");
}

TEST_CASE("MonthWindow: the months up to and including the as-of month") {
  const MonthWindow w = MonthWindow::ending_at(kAsOf, 3);  // September … November 2026
  CHECK(month_label(w.first) == "2026-09");
  CHECK(w.slot(ymd(2026, 8, 31)) == -1);
  CHECK(w.slot(ymd(2026, 9, 1)) == 0);
  CHECK(w.slot(ymd(2026, 10, 31)) == 1);
  CHECK(w.slot(ymd(2026, 11, 30)) == 2);  // after as-of but in its month
  CHECK(w.slot(ymd(2026, 12, 1)) == -1);
  CHECK(w.slot(kNoDay) == -1);
  const MonthWindow one = MonthWindow::ending_at(ymd(2026, 1, 1), 1);
  CHECK(month_label(one.first) == "2026-01");
  CHECK(one.slot(ymd(2025, 12, 31)) == -1);
  CHECK(one.slot(ymd(2026, 1, 31)) == 0);
  const MonthWindow years = MonthWindow::ending_at(kAsOf, 24);  // December 2024 on
  CHECK(month_label(years.first) == "2024-12");
  CHECK(years.slot(ymd(2025, 1, 15)) == 1);
}

TEST_CASE("VisitMonths: a visit belongs to the month of its earliest counted non-refund row") {
  const MonthWindow w = MonthWindow::ending_at(kAsOf, 3);
  VisitMonths m(w, kAsOf);
  VisitFold fold(3, kAsOf, StatsNeeds{});
  std::vector<VisitRow> rows = {
      // patient 0: v1's November row comes first, its earliest is in October → October.
      row(0, ymd(2026, 11, 2), 50000, "v1"), row(0, ymd(2026, 10, 30), 10000, "v1"),
      // a refund: November revenue only; a row after as-of and a cancelled one: nothing.
      row(0, ymd(2026, 11, 10), -7000, "r1"), row(0, ymd(2026, 11, 25), 99900, "v9"),
      row(0, ymd(2026, 11, 5), 88800, "v8", Status::Cancelled),
      // patient 1: v2 started in August (outside), its September row is revenue only.
      row(1, ymd(2026, 9, 3), 20000, "v2"), row(1, ymd(2026, 8, 31), 30000, "v2"),
      // patient 1 without visit_id: two rows of one date are one visit; a free visit counts.
      row(1, ymd(2026, 11, 1), 1000, ""), row(1, ymd(2026, 11, 1), 2000, ""),
      row(1, ymd(2026, 11, 3), 0, ""),
      // patient 2: the same visit_id as patient 0 is another visit (§8.15).
      row(2, ymd(2026, 9, 9), 4000, "v1")};
  for (const auto& r : rows) {
    m.prefetch(r);
    m.add(r);
    fold.add(r);
  }
  fold.finish();
  const Table t = m.table(fold);
  // Sep: visits patient 2's v1 = 1 (1 patient); new: patient 2; revenue 200.00 + 40.00.
  // Oct: patient 0's v1 = 1; new: patient 0 (first visit 10-30); revenue 100.00.
  // Nov: patient 1's 11-01 and 11-03 = 2 (1 patient); new: none (patient 1 since 08-31);
  //      revenue 500.00 − 70.00 + 10.00 + 20.00 + 0 = 460.00.
  CHECK(t.titles() ==
        std::vector<std::string>{"month", "new_patients", "patients", "visits", "revenue"});
  REQUIRE(t.rows.size() == 3);
  CHECK(t.rows[0] == std::vector<std::string>{"2026-09", "1", "1", "1", "240.00"});
  CHECK(t.rows[1] == std::vector<std::string>{"2026-10", "1", "1", "1", "100.00"});
  CHECK(t.rows[2] == std::vector<std::string>{"2026-11", "0", "1", "2", "460.00"});
}

TEST_CASE("VisitMonths: growing the table keeps every visit") {
  const MonthWindow w = MonthWindow::ending_at(kAsOf, 1);
  VisitMonths m(w, kAsOf);
  VisitFold fold(1000, kAsOf, StatsNeeds{});
  // 1000 patients × 100 visits of November (100 000 visits: the table grows twice).
  std::vector<std::string> ids;
  for (int v = 0; v < 100; ++v) ids.push_back("d" + std::to_string(v));
  for (uint32_t p = 0; p < 1000; ++p)
    for (int v = 0; v < 100; ++v) {
      const VisitRow r = row(p, ymd(2026, 11, 1 + v % 20), 100, ids[static_cast<size_t>(v)]);
      m.add(r);
      fold.add(r);
    }
  fold.finish();
  const Table t = m.table(fold);
  CHECK(t.rows[0] == std::vector<std::string>{"2026-11", "1000", "1000", "100000", "100000.00"});
}

TEST_CASE("sleeping buckets: from --after, cut at multiples of 365 below --lost-after") {
  auto labels = [](int64_t after, int64_t lost) {
    std::vector<std::string> out;
    for (const auto& b : sleeping_buckets(after, lost)) out.push_back(b.label());
    return out;
  };
  CHECK(labels(180, 1095) == std::vector<std::string>{"180-364", "365-729", "730-1094"});
  CHECK(labels(365, 1000) == std::vector<std::string>{"365-729", "730-999"});
  CHECK(labels(0, 365) == std::vector<std::string>{"0-364"});
  CHECK(labels(30, 800) == std::vector<std::string>{"30-364", "365-729", "730-799"});
  CHECK(labels(100, 101) == std::vector<std::string>{"100-100"});
  CHECK(labels(900, 800).empty());
  CHECK(labels(800, 800).empty());

  SleepingBuckets b(180, 1095);
  b.columns(
      {{"id", ColumnKind::Id}, {"days_since", ColumnKind::Integer}, {"spent", ColumnKind::Money}});
  b.row({"1", "180", "100.50"});
  b.row({"2", "364", "0.50"});
  b.row({"3", "365", "-20.00"});
  b.row({"4", "1094", "7.00"});
  const Table t = b.table();
  CHECK(t.rows[0] == std::vector<std::string>{"180-364", "2", "101.00"});
  CHECK(t.rows[1] == std::vector<std::string>{"365-729", "1", "-20.00"});
  CHECK(t.rows[2] == std::vector<std::string>{"730-1094", "1", "7.00"});
}

TEST_CASE("ReferralMonths: the reward list's rows per month of the window") {
  ReferralMonths r(MonthWindow::ending_at(kAsOf, 2));  // October, November
  r.columns({{"date", ColumnKind::Date},
             {"referrer_id", ColumnKind::Id},
             {"topup", ColumnKind::Money},
             {"credit", ColumnKind::Money},
             {"welcome", ColumnKind::Money},
             {"sms_text", ColumnKind::Text}});
  r.row({"2026-09-30", "1", "100.00", "100.00", "300.00", "x"});  // before the window
  r.row({"2026-10-01", "1", "100.00", "100.00", "300.00", "x"});
  r.row({"2026-11-22", "2", "100.00", "0.00", "300.00", "x"});
  r.row({"2026-11-22", "3", "150.50", "0.00", "300.00", "x"});
  const Table t = r.table();
  CHECK(t.rows[0] == std::vector<std::string>{"2026-10", "1", "100.00", "100.00", "300.00"});
  CHECK(t.rows[1] == std::vector<std::string>{"2026-11", "2", "250.50", "0.00", "600.00"});
}

TEST_CASE("audit counts, tiers, RFM grid, ledger months in the window") {
  Table audit;
  audit.columns = {{"date", ColumnKind::Date},
                   {"new_id", ColumnKind::Id},
                   {"referrer_id", ColumnKind::Id},
                   {"issue", ColumnKind::Text}};
  audit.rows = {{"", "1", "2", "pending"},
                {"2026-01-01", "3", "3", "self_referral"},
                {"2026-01-02", "4", "5", "mutual_referral"},
                {"2026-01-02", "5", "4", "mutual_referral"}};
  const Table a = audit_counts(audit);
  CHECK(a.rows == std::vector<std::vector<std::string>>{{"self_referral", "1"},
                                                        {"unknown_referrer", "0"},
                                                        {"referrer_not_yet_patient", "0"},
                                                        {"mutual_referral", "2"},
                                                        {"pending", "1"}});

  // 30000:5, 45000:10, 50000:10 → rows 0, 5, 10; spent 29 999.99 → 0, 30 000 → 5, 60 000 → 10.
  const auto tiers = parse_tiers("45000:10,30000:5,50000:10");
  const Table t = tier_counts(tiers, {2999999, 3000000, 6000000, -100, 4500000});
  CHECK(t.rows == std::vector<std::vector<std::string>>{{"0", "2"}, {"5", "1"}, {"10", "2"}});
  CHECK(tier_counts(parse_tiers("1000:7.5"), {}).rows ==
        std::vector<std::vector<std::string>>{{"0", "0"}, {"7.5", "0"}});

  std::vector<RfmRow> rfm(3);
  rfm[0].r = 5, rfm[0].f = 1;
  rfm[1].r = 5, rfm[1].f = 1;
  rfm[2].r = 1, rfm[2].f = 5;
  const Table g = rfm_grid(rfm);
  REQUIRE(g.rows.size() == 25);
  CHECK(g.rows[0] == std::vector<std::string>{"5", "1", "2"});  // r 5 first, f from 1
  CHECK(g.rows[4] == std::vector<std::string>{"5", "5", "0"});
  CHECK(g.rows[24] == std::vector<std::string>{"1", "5", "1"});  // r 1 last, f 5

  Table summary;
  summary.columns = {{"month", ColumnKind::Text},
                     {"issued", ColumnKind::Money},
                     {"redeemed", ColumnKind::Money},
                     {"expired", ColumnKind::Money},
                     {"outstanding", ColumnKind::Money}};
  summary.rows = {{"2026-08", "1.00", "0.00", "0.00", "1.00"},
                  {"2026-09", "1.00", "0.00", "0.00", "2.00"},
                  {"2026-11", "1.00", "0.00", "0.00", "3.00"}};
  const Table in = months_in_window(summary, MonthWindow::ending_at(kAsOf, 3));
  CHECK(in.titles() == summary.titles());
  REQUIRE(in.rows.size() == 2);
  CHECK(in.rows[0][0] == "2026-09");
  Table none;
  none.columns = summary.columns;
  CHECK(months_in_window(none, MonthWindow::ending_at(kAsOf, 3)).rows.empty());
}

TEST_CASE("report overview over the fold") {
  VisitFold fold(3, kAsOf, StatsNeeds{});
  fold.add(row(0, ymd(2025, 1, 2), 10000, "a"));
  fold.add(row(0, ymd(2026, 3, 4), 5000, "b"));
  fold.add(row(1, ymd(2024, 6, 1), 7000, "c"));
  fold.add(row(2, ymd(2026, 1, 1), -2000, "d"));  // a refund only: no visit, spent −20.00
  fold.finish();
  const Table t = report_overview(fold, {0, 1, 2}, kAsOf);
  // 3 patients, 2 with visits, 3 visits, 150 + 70 − 20 = 200.00, 2024-06-01 … 2026-03-04.
  CHECK(t.rows[0] == std::vector<std::string>{"3", "2", "3", "200.00", "2024-06-01", "2026-03-04",
                                              "2026-11-22"});
}

TEST_CASE("html text: escaping and shortening") {
  CHECK(html_escape(R"(<a href="x">'&'</a>)") ==
        "&lt;a href&#61;&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  CHECK(html_escape("url(x) @import") == "url&#40;x) &#64;import");
  CHECK(html_escape("a\x01"
                    "b\tc") == "a b\tc");  // XML has no place for C0 controls
  CHECK(shorten("Центральный", 20) == "Центральный");
  CHECK(shorten("Центральный", 5) == "Цент…");
}

TEST_CASE("report table html: data attributes hold the csv values, cells speak Russian") {
  Table t;
  t.columns = {{"home_branch", ColumnKind::Text},
               {"patients", ColumnKind::Integer},
               {"share", ColumnKind::Decimal},
               {"spent", ColumnKind::Money}};
  t.rows = {{"Юг & <Север>", "1234", "42.9", "1234567.50"}, {"", "0", "0.0", "0.00"}};
  const std::string h = table_html("branches", t);
  CHECK(h.find("<table data-table=\"branches\">") != std::string::npos);
  CHECK(h.find("<th data-key=\"spent\">Сумма оплат</th>") != std::string::npos);
  CHECK(h.find("<td data-value=\"Юг &amp; &lt;Север&gt;\">Юг &amp; &lt;Север&gt;</td>") !=
        std::string::npos);
  CHECK(h.find("<td data-value=\"1234\">1 234<") != std::string::npos);
  CHECK(h.find("<td data-value=\"42.9\">42,9 %<") != std::string::npos);
  CHECK(h.find("<td data-value=\"1234567.50\">1 234 567,50 ₽<") != std::string::npos);
  CHECK(h.find("<td data-value=\"\">не указан</td>") != std::string::npos);
  CHECK(cell_ru("month", "2026-11") == "ноябрь 2026");
  CHECK(cell_ru("activity", "sleeping") == "Спящие");
  CHECK(cell_ru("segment", "cant_lose") == "Нельзя потерять");
  CHECK(cell_ru("bucket", "180-364") == "180–364 дн.");
  CHECK(cell_ru("monetary_avg", "") == "—");
  CHECK(cell_ru("last_visit", "2026-11-20") == "20 ноября 2026");
}

TEST_CASE("svg charts: one titled mark per value, well-formed numbers") {
  std::vector<ChartItem> items = {{"Активные", "", "Активные: 6", 6, "6", ""},
                                  {"Новые <1>", "", "Новые: 0", 0, "0", "#3a9d6a"}};
  const std::string bars = svg_hbars(items, "Пациентов");
  CHECK(bars.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
  CHECK(count(bars, "<rect") == 2);
  CHECK(count(bars, "<title>") == 3);  // the chart's own and one per bar
  CHECK(bars.find("Новые &lt;1&gt;") != std::string::npos);
  CHECK(bars.find("nan") == std::string::npos);
  const std::string cols = svg_columns(
      items, "x", [](double v) { return ru_count(int64_t(v)); }, true, "#000");
  CHECK(count(cols, "<rect") == 2);
  const std::string line = svg_line(
      items, "x", [](double) { return std::string("t"); }, false, "#000");
  CHECK(count(line, "<circle") == 2);
  CHECK(count(line, "<path") == 1);
  std::vector<ChartItem> zeros = {{"a", "", "a: 0", 0, "", ""}};
  CHECK(svg_columns(
            zeros, "x", [](double) { return std::string(); }, true, "#000")
            .find("nan") == std::string::npos);
  // Default-initialised, not `cells{}`: clang 14 crashes on that at -O1 with the sanitizers.
  std::array<std::array<HeatCell, 5>, 5> cells;
  cells[0][0] = {3, "3", "R 5, F 1: 3"};
  const std::string heat =
      svg_heatmap(cells, {"a", "b", "c", "d", "e"}, {"1", "2", "3", "4", "5"}, "R", "F", "grid");
  CHECK(count(heat, "<rect") == 25);
  CHECK(heat.find("<title>R 5, F 1: 3</title>") != std::string::npos);
}
