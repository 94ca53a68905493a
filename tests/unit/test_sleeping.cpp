#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "fixtures.h"
#include "model/date.h"
#include "model/errors.h"
#include "rules/sleeping.h"

using namespace kartoteka;

namespace {

const Day kAsOf = days_from_ymd(2026, 11, 22);

// The streamed lists, collected.
Table sleeping_table(const FieldContext& ctx, const std::vector<uint32_t>& population,
                     const SleepingOptions& o) {
  return collect_table([&](RowSink& out) { sleeping_list(ctx, population, o, out); });
}
Table recall_table(const FieldContext& ctx, const std::vector<uint32_t>& population,
                   const RecallCollector& rc, const SleepingOptions& o) {
  return collect_table([&](RowSink& out) { recall_list(ctx, population, rc, o, out); });
}

PatientTable make_patients(const std::vector<std::string>& ids) {
  PatientTable pt;
  for (const auto& id : ids) test::add_patient(pt, {{PText::id, id}, {PText::branch, "Home"}});
  return pt;
}

VisitRow row(uint32_t patient, int days_ago, Kopecks kopecks = 0, std::string_view service = {},
             std::string_view category = {}, Status status = Status::Completed) {
  VisitRow r;
  r.patient = patient;
  r.date = kAsOf - days_ago;
  r.amount = kopecks;
  r.service = service;
  r.service_category = category;
  r.status = status;
  return r;
}
VisitRow booked(uint32_t patient, int days_ahead) {
  return row(patient, -days_ahead, 0, {}, {}, Status::Planned);
}

VisitFold fold_of(size_t patients, const std::vector<VisitRow>& rows) {
  StatsNeeds needs;
  needs.home_branch = true;
  needs.visit_dates = true;
  return test::fold_visits(patients, kAsOf, needs, rows);
}

std::vector<std::string> column(const Table& t, size_t k) {
  std::vector<std::string> out;
  for (const auto& r : t.rows) out.push_back(r[k]);
  return out;
}

}  // namespace

TEST_CASE("median_gap_x2: odd and even gap counts") {
  CHECK_FALSE(median_gap_x2({}));
  CHECK_FALSE(median_gap_x2({0, 10}));  // 2 dates: not enough
  // Gaps 10, 10 → median 10 → 20.
  CHECK(*median_gap_x2({0, 10, 20}) == 20);
  // Gaps 10, 31, 5, 56 → sorted 5, 10, 31, 56 → (10 + 31) / 2 = 20.5 → 41.
  CHECK(*median_gap_x2({0, 10, 41, 46, 102}) == 41);
  // Gaps 3, 100, 7 → sorted 3, 7, 100 → 7 → 14.
  CHECK(*median_gap_x2({0, 3, 103, 110}) == 14);
}

TEST_CASE("format_half: at most one decimal") {
  CHECK(format_half(90) == "45");
  CHECK(format_half(65) == "32.5");
  CHECK(format_half(1) == "0.5");
  CHECK(format_half(0) == "0");
}

TEST_CASE("exceeds_rhythm: days_since > K × median, exactly") {
  Decimal two = parse_adaptive_k("2"), k15 = parse_adaptive_k("1.5"), zero = parse_adaptive_k("0");
  // Median 20.5, K 2 → 41: 41 is not beyond it, 42 is.
  CHECK_FALSE(exceeds_rhythm(41, two, 41));
  CHECK(exceeds_rhythm(42, two, 41));
  // Median 20.5, K 1.5 → 30.75.
  CHECK_FALSE(exceeds_rhythm(30, k15, 41));
  CHECK(exceeds_rhythm(31, k15, 41));
  CHECK(exceeds_rhythm(1, zero, 41));
  CHECK_FALSE(exceeds_rhythm(0, zero, 41));
  CHECK(parse_adaptive_k("1,5").frac_digits == "5");  // a Russian decimal comma
  CHECK_THROWS_AS(parse_adaptive_k("-1"), UsageError);
  CHECK_THROWS_AS(parse_adaptive_k("x"), UsageError);
  CHECK_THROWS_AS(parse_adaptive_k(""), UsageError);
}

TEST_CASE("sleeping_list default: thresholds, booked patients, order") {
  PatientTable pt = make_patients({"a", "b", "c", "d", "e", "f"});
  VisitFold f =
      fold_of(6, {
                     row(0, 180, 1000),   // a: exactly --after → asleep
                     row(1, 179, 9000),   // b: one day short → awake
                     row(2, 1095, 9000),  // c: exactly --lost-after → lost, not listed
                     row(3, 1094, 5000),  // d: asleep
                     row(4, 400, 5000),
                     booked(4, 0),       // e: booked for today → excluded unless --include-booked
                     row(5, 500, -100),  // f: only a refund → no visits, not listed
                 });
  FieldContext ctx{pt, f, kAsOf, nullptr};
  SleepingOptions o;
  Table t = sleeping_table(ctx, {0, 1, 2, 3, 4, 5}, o);
  CHECK(t.titles() == std::vector<std::string>{"id", "name", "phone", "last_visit", "days_since",
                                               "visits", "spent", "home_branch", "reason"});
  // Spent desc: d 50.00, a 10.00.
  CHECK(column(t, 0) == std::vector<std::string>{"d", "a"});
  CHECK(t.rows[1] == std::vector<std::string>{"a", "", "", format_date(kAsOf - 180), "180", "1",
                                              "10.00", "Home", "inactive"});

  o.include_booked = true;
  t = sleeping_table(ctx, {0, 1, 2, 3, 4, 5}, o);
  // e and d both spent 50.00: tie broken by id.
  CHECK(column(t, 0) == std::vector<std::string>{"d", "e", "a"});
  // The population decides who is listed.
  CHECK(column(sleeping_table(ctx, {0}, o), 0) == std::vector<std::string>{"a"});
}

TEST_CASE("sleeping_list: equal spent ordered by id in byte order, past the first 8 bytes") {
  // All four asleep with 10.00 spent: the ids alone decide, as bytes — "12345678" before its
  // extensions, "…9a" before "…9b" (byte 10), "я" (0xD1 0x8F) after every ASCII id.
  PatientTable pt = make_patients({"123456789b", "я", "123456789a", "12345678"});
  VisitFold f =
      fold_of(4, {row(0, 200, 1000), row(1, 300, 1000), row(2, 400, 1000), row(3, 500, 1000)});
  FieldContext ctx{pt, f, kAsOf, nullptr};
  Table t = sleeping_table(ctx, {0, 1, 2, 3}, SleepingOptions{});
  CHECK(column(t, 0) == std::vector<std::string>{"12345678", "123456789a", "123456789b", "я"});
  CHECK(column(t, 4) == std::vector<std::string>{"500", "400", "200", "300"});
}

TEST_CASE("sleeping_list --adaptive: own rhythm for 3+ visit dates, --after for the others") {
  PatientTable pt = make_patients({"a", "b", "c", "d"});
  VisitFold f = fold_of(
      4,
      {
          // a: dates 102, 46, 41, 10, 0 days... as days ago: gaps 56, 5, 31, 10 → median 20.5;
          // K 2 → 41 < 42 days since → adaptive.
          row(0, 144, 100),
          row(0, 88),
          row(0, 83),
          row(0, 52),
          row(0, 42),
          // b: same rhythm but 41 days since → not beyond 41 → awake (even though < --after
          // anyway).
          row(1, 143, 100),
          row(1, 87),
          row(1, 82),
          row(1, 51),
          row(1, 41),
          // c: two visits on one day and one more: 2 distinct dates → judged by --after (200 ≥
          // 180).
          row(2, 300, 100),
          row(2, 300),
          row(2, 200),
          // d: 3 dates, gaps 100, 100 → median 100; 190 days since ≤ 200 → awake though ≥ --after.
          row(3, 390, 100),
          row(3, 290),
          row(3, 190),
      });
  FieldContext ctx{pt, f, kAsOf, nullptr};
  SleepingOptions o;
  o.adaptive = parse_adaptive_k("2");
  Table t = sleeping_table(ctx, {0, 1, 2, 3}, o);
  REQUIRE(t.titles().back() == "typical_gap");
  REQUIRE(t.rows.size() == 2);
  // Both spent 1.00: by id.
  CHECK(t.rows[0][0] == "a");
  CHECK(t.rows[0][8] == "adaptive");
  CHECK(t.rows[0][9] == "20.5");
  CHECK(t.rows[1][0] == "c");
  CHECK(t.rows[1][8] == "inactive");
  CHECK(t.rows[1][9] == "");
}

TEST_CASE("parse_recall: PATTERN=DAYS split at the last '='") {
  RecallPattern r = parse_recall("a=b=30");
  CHECK(r.pattern == "a=b");
  CHECK(r.days == 30);
  CHECK(parse_recall("Гигиена=180").folded == "гигиена");
  CHECK_THROWS_AS(parse_recall("гигиена"), UsageError);
  CHECK_THROWS_AS(parse_recall("=180"), UsageError);
  CHECK_THROWS_AS(parse_recall("гигиена="), UsageError);
  CHECK_THROWS_AS(parse_recall("гигиена=-1"), UsageError);
  CHECK_THROWS_AS(parse_recall("гигиена=1.5"), UsageError);
}

TEST_CASE("recall: due exactly on as-of, matching, booked, lost, order") {
  PatientTable pt = make_patients({"a", "b", "c", "d", "e", "f"});
  std::vector<VisitRow> rows = {
      row(0, 180, 100, "Профессиональная ГИГИЕНА"),  // a: due exactly today → 0 days overdue
      row(1, 179, 100, "Чистка", "гигиена"),         // b: category matches; due tomorrow → no
      row(2, 200, 100, "Имплантёт", "хирургия"),  // c: ё = е matches «имплантет»; 20 overdue… and
      row(2, 200, 100, "гигиена"),  //    гигиена 20 overdue (tie: pattern order)
      row(3, 300, 100, "гигиена"),
      row(3, 190, -100, "гигиена"),  // d: the refund is no service
      row(4, 400, 100, "гигиена"),
      booked(4, 3),                  // e: booked → excluded unless include_booked
      row(5, 1095, 100, "гигиена"),  // f: as-of − last = lost-after → not listed
  };
  VisitFold f = fold_of(6, rows);
  RecallCollector rc({parse_recall("гигиена=180"), parse_recall("ИМПЛАНТЕТ=180")}, 6, kAsOf);
  for (const auto& r : rows) rc.add(r);
  FieldContext ctx{pt, f, kAsOf, nullptr};
  SleepingOptions o;
  Table t = recall_table(ctx, {0, 1, 2, 3, 4, 5}, rc, o);
  CHECK(t.titles() == std::vector<std::string>{"id", "name", "phone", "service",
                                               "last_service_date", "due_date", "days_overdue",
                                               "home_branch"});
  // d: 300 − 180 = 120; c: 200 − 180 = 20 twice (гигиена first: pattern order); a: 0.
  CHECK(column(t, 0) == std::vector<std::string>{"d", "c", "c", "a"});
  CHECK(column(t, 3) == std::vector<std::string>{"гигиена", "гигиена", "ИМПЛАНТЕТ", "гигиена"});
  CHECK(column(t, 6) == std::vector<std::string>{"120", "20", "20", "0"});
  CHECK(t.rows[3] == std::vector<std::string>{"a", "", "", "гигиена", format_date(kAsOf - 180),
                                              format_date(kAsOf), "0", "Home"});

  o.include_booked = true;
  t = recall_table(ctx, {0, 1, 2, 3, 4, 5}, rc, o);
  // e: 400 − 180 = 220 overdue, first.
  CHECK(column(t, 0) == std::vector<std::string>{"e", "d", "c", "c", "a"});
}

TEST_CASE("recall: how many overdue patients --lost-after leaves out (§8.48)") {
  PatientTable pt = make_patients({"a", "b", "c", "d", "e"});
  std::vector<VisitRow> rows = {
      row(0, 1095, 100, "гигиена"),  // a: lost-after days ago exactly → left out (counted)
      row(1, 1094, 100, "гигиена"),  // b: one day less → listed
      row(2, 2000, 100, "гигиена"),  // c: left out for гигиена …
      row(2, 400, 100, "имплант"),   //    … listed for имплант: still counted once (c)
      row(2, 3000, 100, "имплант"),  //    (an older имплант row changes nothing: 400 is the last)
      row(3, 1500, 100, "гигиена"),  // d: left out, but booked → excluded for that, not counted
      booked(3, 2),
      row(4, 1200, 100, "пломба"),  // e: matches no pattern → not overdue for anything
  };
  VisitFold f = fold_of(5, rows);
  RecallCollector rc({parse_recall("гигиена=180"), parse_recall("имплант=365")}, 5, kAsOf);
  for (const auto& r : rows) rc.add(r);
  FieldContext ctx{pt, f, kAsOf, nullptr};
  SleepingOptions o;
  size_t lost = 0;
  Table t = collect_table([&](RowSink& out) {
    lost = recall_list(ctx, {0, 1, 2, 3, 4}, rc, o, out);
  });
  CHECK(column(t, 0) == std::vector<std::string>{"b", "c"});  // 1094−180 = 914, 400−365 = 35
  CHECK(lost == 2);                                           // a and c
  // Only the population counts: without a.
  collect_table([&](RowSink& out) { lost = recall_list(ctx, {1, 2, 3, 4}, rc, o, out); });
  CHECK(lost == 1);
  // --include-booked: d is no longer excluded for its booking, so --lost-after leaves it out.
  o.include_booked = true;
  collect_table([&](RowSink& out) { lost = recall_list(ctx, {0, 1, 2, 3, 4}, rc, o, out); });
  CHECK(lost == 3);
  // A longer --lost-after keeps them all: a (1095), c (2000), d (1500) are listed.
  o.lost_after = 5000;
  collect_table([&](RowSink& out) { lost = recall_list(ctx, {0, 1, 2, 3, 4}, rc, o, out); });
  CHECK(lost == 0);
}
