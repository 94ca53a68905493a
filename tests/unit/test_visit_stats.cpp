// VisitFold (SPEC §2.6, §8.15, §8.16, §8.18). Rows are built by hand; each expectation is
// counted by hand from the rules: counted row = completed and dated ≤ as-of; a visit is a distinct
// (patient, visit_id), or (patient, date) without one; refunds only change spent.
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "fixtures.h"
#include "model/visit_stats.h"

using namespace kartoteka;

namespace {

const Day kAsOf = days_from_ymd(2026, 6, 30);

VisitRow vr(uint32_t patient, Day date, Kopecks amount = 10000, std::string_view visit_id = {},
            Status status = Status::Completed) {
  VisitRow r;
  r.patient = patient;
  r.date = date;
  r.amount = amount;
  r.visit_id = visit_id;
  r.status = status;
  return r;
}

Day d(int y, int m, int dd) {
  return days_from_ymd(y, m, dd);
}

using SV = std::vector<std::string_view>;

// Visit counting must not depend on what else is collected (home_branch shares the key stream).
std::vector<StatsNeeds> needs_variants() {
  StatsNeeds plain;
  StatsNeeds all;
  all.services = all.service_categories = all.doctors = all.home_branch = all.visit_dates = true;
  StatsNeeds branch_only;
  branch_only.home_branch = true;
  return {plain, all, branch_only};
}

VisitFold fold(size_t patients, const std::vector<VisitRow>& rows, StatsNeeds needs = {},
               Day as_of = kAsOf) {
  return test::fold_visits(patients, as_of, needs, rows);
}

}  // namespace

TEST_CASE("visit_stats: counted rows are completed and dated on or before as-of") {
  for (const auto& needs : needs_variants()) {
    // p0: a row on as-of counts; a completed row the day after does not (no visit, no money).
    // p1: only a row after as-of → nothing.
    std::vector<VisitRow> rows = {vr(0, kAsOf, 10000), vr(0, kAsOf + 1, 99900),
                                  vr(0, d(2026, 1, 10), 5050), vr(1, kAsOf + 5, 100)};
    VisitFold f = fold(2, rows, needs);
    CHECK(f.size() == 2);
    const VisitStats& s0 = f.stats(0);
    CHECK(s0.visits == 2);
    CHECK(s0.spent == 15050);  // 100.00 + 50.50
    CHECK(s0.first_visit == d(2026, 1, 10));
    CHECK(s0.last_visit == kAsOf);
    CHECK_FALSE(s0.upcoming);  // completed rows are never appointments
    const VisitStats& s1 = f.stats(1);
    CHECK(s1.visits == 0);
    CHECK(s1.spent == 0);
    CHECK(s1.first_visit == kNoDay);
    CHECK(s1.last_visit == kNoDay);
    CHECK(f.as_of() == kAsOf);
  }
}

TEST_CASE("visit_stats: distinct visits by (patient, visit_id)") {
  for (const auto& needs : needs_variants()) {
    // V1 has three service lines (one on another day: still V1), V2 one → 2 visits, 4 rows of
    // money.
    std::vector<VisitRow> rows = {vr(0, d(2026, 3, 1), 100, "V1"), vr(0, d(2026, 3, 1), 200, "V1"),
                                  vr(0, d(2026, 3, 2), 300, "V1"), vr(0, d(2026, 3, 1), 400, "V2")};
    VisitFold f = fold(1, rows, needs);
    CHECK(f.stats(0).visits == 2);
    CHECK(f.stats(0).spent == 1000);
    CHECK(f.stats(0).first_visit == d(2026, 3, 1));
    CHECK(f.stats(0).last_visit == d(2026, 3, 2));
  }
}

TEST_CASE("visit_stats: distinct visits by (patient, date) without visit_id") {
  for (const auto& needs : needs_variants()) {
    // Two rows on 1 March = one visit; 2 March another; 1 March again (not adjacent) = same visit.
    std::vector<VisitRow> rows = {vr(0, d(2026, 3, 1)), vr(0, d(2026, 3, 1)), vr(0, d(2026, 3, 2)),
                                  vr(0, d(2026, 3, 1))};
    VisitFold f = fold(1, rows, needs);
    CHECK(f.stats(0).visits == 2);
    CHECK(f.stats(0).spent == 40000);
  }
}

TEST_CASE("visit_stats: visit_id visits and date visits never merge") {
  for (const auto& needs : needs_variants()) {
    Day day = d(2026, 3, 1);
    // p0: a row with visit_id "5" and a row without on the same date → 2 visits (§8.15).
    // p1: a visit_id spelled as the date's day number must not merge with the date-keyed visit.
    std::string as_number = std::to_string(day);
    std::vector<VisitRow> rows = {vr(0, day, 100, "5"), vr(0, day, 100), vr(1, day, 100),
                                  vr(1, day, 100, as_number)};
    VisitFold f = fold(2, rows, needs);
    CHECK(f.stats(0).visits == 2);
    CHECK(f.stats(1).visits == 2);
  }
}

TEST_CASE("visit_stats: the same visit_id for two patients is two visits") {
  for (const auto& needs : needs_variants()) {
    std::vector<VisitRow> rows = {vr(0, d(2026, 3, 1), 100, "42"),
                                  vr(1, d(2026, 3, 1), 100, "42"),
                                  vr(0, d(2026, 3, 1), 100, "ДОК-000000042"),
                                  vr(1, d(2026, 3, 1), 100, "ДОК-000000042"),
                                  vr(0, d(2026, 3, 1), 100, "A7"),
                                  vr(1, d(2026, 3, 1), 100, "A7")};
    VisitFold f = fold(2, rows, needs);
    CHECK(f.stats(0).visits == 3);
    CHECK(f.stats(1).visits == 3);
  }
}

TEST_CASE("visit_stats: visit ids are compared exactly as text") {
  for (const auto& needs : needs_variants()) {
    // "7", "007", "07" are three documents; "a" and "A" two; long ids differing at the end two.
    std::vector<VisitRow> rows = {
        vr(0, d(2026, 3, 1), 1, "7"), vr(0, d(2026, 3, 1), 1, "007"), vr(0, d(2026, 3, 1), 1, "07"),
        vr(0, d(2026, 3, 1), 1, "7"), vr(1, d(2026, 3, 1), 1, "a"), vr(1, d(2026, 3, 1), 1, "A"),
        vr(1, d(2026, 3, 1), 1, "a"), vr(2, d(2026, 3, 1), 1, "ДОКУМЕНТ-2026-000001"),
        vr(2, d(2026, 3, 1), 1, "ДОКУМЕНТ-2026-000002"),
        vr(2, d(2026, 3, 1), 1, "ДОКУМЕНТ-2026-000001"),
        // 18 and 20 digits: too long to be packed as a number, still exact text.
        vr(3, d(2026, 3, 1), 1, "123456789012345678"),
        vr(3, d(2026, 3, 1), 1, "123456789012345679"),
        vr(3, d(2026, 3, 1), 1, "12345678901234567890"),
        vr(3, d(2026, 3, 1), 1, "123456789012345678")};
    VisitFold f = fold(4, rows, needs);
    CHECK(f.stats(0).visits == 3);
    CHECK(f.stats(1).visits == 2);
    CHECK(f.stats(2).visits == 2);
    CHECK(f.stats(3).visits == 3);
  }
}

TEST_CASE("visit_stats: repeats that are not adjacent, in any order, many visits") {
  for (const auto& needs : needs_variants()) {
    // 300 distinct visit ids in a scrambled order (i*7 mod 300 is a permutation), each seen three
    // times at different points of the stream: 300 visits for p0. p1 gets the same ids as dates
    // (no visit_id) cycling over 50 days: 50 visits.
    std::vector<VisitRow> rows;
    std::vector<std::string> ids;
    for (int i = 0; i < 300; ++i) ids.push_back(std::to_string(1000 + (i * 7) % 300));
    for (int pass = 0; pass < 3; ++pass)
      for (int i = 0; i < 300; ++i) {
        int k = pass == 1 ? 299 - i : i;
        rows.push_back(vr(0, d(2026, 1, 1) + k % 40, 1, ids[k]));
        rows.push_back(vr(1, d(2026, 1, 1) + (k * 13) % 50, 1));
      }
    VisitFold f = fold(2, rows, needs);
    CHECK(f.stats(0).visits == 300);
    CHECK(f.stats(1).visits == 50);
    CHECK(f.stats(0).spent == 900);
    CHECK(f.stats(1).spent == 900);
  }
}

TEST_CASE("visit_stats: refunds change spent only") {
  StatsNeeds all;
  all.services = all.service_categories = all.doctors = all.home_branch = all.visit_dates = true;
  // p0: a visit on 1 March (1000.00), a refund of 300.00 booked on 20 June in another branch,
  // with a service and a doctor: spent 700.00, still 1 visit, last visit 1 March, no new service,
  // doctor, branch or date. p1: only a refund → no visits, no dates, spent −50.00.
  VisitRow visit = vr(0, d(2026, 3, 1), 100000, "V1");
  visit.service = "Пломба";
  visit.doctor = "Петров";
  visit.branch = "Центр";
  VisitRow refund = vr(0, d(2026, 6, 20), -30000, "R9");
  refund.service = "Возврат";
  refund.service_category = "Возвраты";
  refund.doctor = "Кассир";
  refund.branch = "Север";
  VisitRow refund_same_visit = vr(0, d(2026, 6, 21), -100, "V1");
  VisitRow only_refund = vr(1, d(2026, 6, 1), -5000);
  only_refund.branch = "Север";
  VisitFold f = fold(2, {visit, refund, refund_same_visit, only_refund}, all);
  CHECK(f.stats(0).visits == 1);
  CHECK(f.stats(0).spent == 100000 - 30000 - 100);
  CHECK(f.stats(0).first_visit == d(2026, 3, 1));
  CHECK(f.stats(0).last_visit == d(2026, 3, 1));
  CHECK(f.services(0) == SV{"Пломба"});
  CHECK(f.service_categories(0) == SV{});
  CHECK(f.doctors(0) == SV{"Петров"});
  CHECK(f.home_branch(0) == "Центр");
  CHECK(f.visit_dates(0) == std::vector<Day>{d(2026, 3, 1)});
  CHECK(f.stats(1).visits == 0);
  CHECK(f.stats(1).spent == -5000);
  CHECK(f.stats(1).first_visit == kNoDay);
  CHECK(f.stats(1).last_visit == kNoDay);
  CHECK(f.home_branch(1) == "");
  CHECK(f.visit_dates(1).empty());
  // A refund after as-of is not counted at all.
  VisitFold g = fold(1, {vr(0, d(2026, 3, 1), 100000), vr(0, kAsOf + 1, -30000)}, all);
  CHECK(g.stats(0).spent == 100000);
}

TEST_CASE("visit_stats: zero-amount rows are visits") {
  VisitRow free_consultation = vr(0, d(2026, 5, 5), 0);
  free_consultation.service = "Консультация";
  StatsNeeds needs;
  needs.services = true;
  VisitFold f = fold(1, {free_consultation}, needs);
  CHECK(f.stats(0).visits == 1);
  CHECK(f.stats(0).spent == 0);
  CHECK(f.stats(0).first_visit == d(2026, 5, 5));
  CHECK(f.stats(0).last_visit == d(2026, 5, 5));
  CHECK(f.services(0) == SV{"Консультация"});
}

TEST_CASE("visit_stats: planned rows on or after as-of are upcoming; before are not") {
  // p0 planned today, p1 planned next month, p2 planned yesterday (a stale booking), p3 a
  // cancelled future row, p4 a no-show future row, p5 a completed future row.
  std::vector<VisitRow> rows = {
      vr(0, kAsOf, 5000, {}, Status::Planned),     vr(1, kAsOf + 30, 5000, {}, Status::Planned),
      vr(2, kAsOf - 1, 5000, {}, Status::Planned), vr(3, kAsOf + 3, 5000, {}, Status::Cancelled),
      vr(4, kAsOf + 3, 5000, {}, Status::NoShow),  vr(5, kAsOf + 3, 5000, {}, Status::Completed)};
  VisitFold f = fold(6, rows);
  CHECK(f.stats(0).upcoming);
  CHECK(f.stats(1).upcoming);
  CHECK_FALSE(f.stats(2).upcoming);
  CHECK_FALSE(f.stats(3).upcoming);
  CHECK_FALSE(f.stats(4).upcoming);
  CHECK_FALSE(f.stats(5).upcoming);
  // Planned rows are never visits or money.
  for (uint32_t p = 0; p < 6; ++p) {
    CAPTURE(p);
    CHECK(f.stats(p).visits == 0);
    CHECK(f.stats(p).spent == 0);
    CHECK(f.stats(p).last_visit == kNoDay);
  }
}

TEST_CASE("visit_stats: cancelled and no-show rows count nothing") {
  StatsNeeds all;
  all.services = all.service_categories = all.doctors = all.home_branch = all.visit_dates = true;
  VisitRow c = vr(0, d(2026, 4, 1), 70000, "V1", Status::Cancelled);
  c.service = "Имплант";
  c.doctor = "Сидоров";
  c.branch = "Север";
  VisitRow n = vr(0, d(2026, 4, 2), 1000, "V2", Status::NoShow);
  n.service_category = "Хирургия";
  VisitRow ok = vr(0, d(2026, 2, 1), 2000, "V3");
  VisitFold f = fold(1, {c, n, ok}, all);
  CHECK(f.stats(0).visits == 1);
  CHECK(f.stats(0).spent == 2000);
  CHECK(f.stats(0).last_visit == d(2026, 2, 1));
  CHECK(f.services(0) == SV{});
  CHECK(f.service_categories(0) == SV{});
  CHECK(f.doctors(0) == SV{});
  CHECK(f.home_branch(0) == "");
  CHECK(f.visit_dates(0) == std::vector<Day>{d(2026, 2, 1)});
  CHECK_FALSE(f.stats(0).upcoming);
}

TEST_CASE("visit_stats: services, categories, doctors distinct in byte order") {
  StatsNeeds needs;
  needs.services = needs.service_categories = needs.doctors = true;
  auto row = [](uint32_t p, std::string_view service, std::string_view cat, std::string_view doc) {
    VisitRow r = vr(p, d(2026, 3, 1), 100);
    r.service = service;
    r.service_category = cat;
    r.doctor = doc;
    return r;
  };
  // Byte order: ASCII upper case < lower case < Cyrillic (0xD0…); П (D0 9F) < Ч (D0 A7);
  // е (D0 B5) < ё (D1 91). Empty values are not values.
  std::vector<VisitRow> rows = {
      row(0, "Чистка", "Гигиена", "Петров"), row(0, "apple", "", "Иванова"),
      row(0, "Пломба", "Терапия", "Петров"), row(0, "Чистка", "Гигиена", ""),
      row(0, "B", "Гигиена", "Алексеев"),    row(0, "", "Терапия", "ёжиков"),
      row(0, "Чистка", "", "ежов"),          row(1, "Пломба", "", ""),
  };
  VisitRow late = row(0, "Будущее", "Будущее", "Будущев");
  late.date = kAsOf + 1;  // not counted
  rows.push_back(late);
  VisitFold f = fold(2, rows, needs);
  CHECK(f.services(0) == SV{"B", "apple", "Пломба", "Чистка"});
  CHECK(f.service_categories(0) == SV{"Гигиена", "Терапия"});
  CHECK(f.doctors(0) == SV{"Алексеев", "Иванова", "Петров", "ежов", "ёжиков"});
  CHECK(f.services(1) == SV{"Пломба"});
  CHECK(f.service_categories(1) == SV{});
  CHECK(f.doctors(1) == SV{});
  // Not requested → empty.
  VisitFold g = fold(2, rows);
  CHECK(g.services(0) == SV{});
  CHECK(g.doctors(0) == SV{});
  CHECK(g.home_branch(0) == "");
}

TEST_CASE("visit_stats: home_branch by most distinct visits, then most recent, then byte order") {
  StatsNeeds needs;
  needs.home_branch = true;
  auto row = [](uint32_t p, Day date, std::string_view id, std::string_view branch) {
    VisitRow r = vr(p, date, 100, id);
    r.branch = branch;
    return r;
  };
  std::vector<VisitRow> rows = {
      // p0: Центр has 1 visit in 3 rows (most rows), Север 2 visits → Север.
      row(0, d(2026, 1, 1), "V1", "Центр"),
      row(0, d(2026, 1, 1), "V1", "Центр"),
      row(0, d(2026, 1, 1), "V1", "Центр"),
      row(0, d(2026, 2, 1), "V2", "Север"),
      row(0, d(2025, 2, 1), "V3", "Север"),
      // p1: one visit each; Юг was visited most recently → Юг (although А < Ю in byte order).
      row(1, d(2026, 1, 1), "V1", "Академическая"),
      row(1, d(2026, 5, 1), "V2", "Юг"),
      // p2: one visit each on the same day → byte order: Север (С D0 A1) < Центр (Ц D1 86).
      row(2, d(2026, 3, 3), "V1", "Центр"),
      row(2, d(2026, 3, 3), "V2", "Север"),
      // p3: rows without a branch don't count; the only named branch wins.
      row(3, d(2026, 1, 1), "V1", ""),
      row(3, d(2026, 1, 2), "V2", ""),
      row(3, d(2025, 1, 1), "V3", "Запад"),
      // p4: no branch anywhere → "" (the caller falls back to the patient's branch).
      row(4, d(2026, 1, 1), "V1", ""),
      // p5: one visit with lines in two branches counts for both; Восток also has V2 → Восток.
      row(5, d(2026, 1, 1), "V1", "Запад"),
      row(5, d(2026, 1, 1), "V1", "Восток"),
      row(5, d(2025, 1, 1), "V2", "Восток"),
      // p6: date-keyed visits: Запад 2 days, Восток 1 day (3 rows) → Запад.
      row(6, d(2026, 1, 1), {}, "Восток"),
      row(6, d(2026, 1, 1), {}, "Восток"),
      row(6, d(2026, 1, 1), {}, "Восток"),
      row(6, d(2025, 1, 1), {}, "Запад"),
      row(6, d(2025, 1, 2), {}, "Запад"),
      // p7: the tie is broken by the most recent visit of each branch, not the first one:
      // Север visits 2025-01-01 and 2026-04-01, Юг 2026-03-01 and 2026-03-02 → Север.
      row(7, d(2025, 1, 1), "A", "Север"),
      row(7, d(2026, 3, 1), "B", "Юг"),
      row(7, d(2026, 3, 2), "C", "Юг"),
      row(7, d(2026, 4, 1), "D", "Север"),
  };
  VisitFold f = fold(8, rows, needs);
  CHECK(f.home_branch(0) == "Север");
  CHECK(f.home_branch(1) == "Юг");
  CHECK(f.home_branch(2) == "Север");
  CHECK(f.home_branch(3) == "Запад");
  CHECK(f.home_branch(4) == "");
  CHECK(f.home_branch(5) == "Восток");
  CHECK(f.home_branch(6) == "Запад");
  CHECK(f.home_branch(7) == "Север");
  CHECK(f.stats(0).visits == 3);
  CHECK(f.stats(5).visits == 2);
  CHECK(f.stats(6).visits == 3);
}

TEST_CASE("visit_stats: StatsNeeds::since counts only counted rows dated on or after since") {
  StatsNeeds needs;
  needs.since = d(2026, 3, 1);
  needs.visit_dates = true;
  // Before since: a visit and a refund (both ignored). On since and after: counted.
  // A planned row is upcoming regardless.
  std::vector<VisitRow> rows = {
      vr(0, d(2026, 2, 28), 100000, "V1"), vr(0, d(2026, 2, 27), -5000),
      vr(0, d(2026, 3, 1), 2000, "V2"),    vr(0, d(2026, 4, 1), 3000, "V3"),
      vr(0, d(2026, 5, 1), -500),          vr(0, kAsOf + 2, 0, {}, Status::Planned)};
  VisitFold f = fold(1, rows, needs);
  CHECK(f.stats(0).visits == 2);
  CHECK(f.stats(0).spent == 4500);
  CHECK(f.stats(0).first_visit == d(2026, 3, 1));
  CHECK(f.stats(0).last_visit == d(2026, 4, 1));
  CHECK(f.stats(0).upcoming);
  CHECK(f.visit_dates(0) == std::vector<Day>{d(2026, 3, 1), d(2026, 4, 1)});
}

TEST_CASE("visit_stats: visit_dates distinct ascending") {
  StatsNeeds needs;
  needs.visit_dates = true;
  // Dates arrive out of order and repeated; two visits on one day are one date; refunds,
  // planned and cancelled rows and rows after as-of give no date.
  std::vector<VisitRow> rows = {vr(0, d(2026, 3, 3), 1, "A"),
                                vr(0, d(2026, 1, 1), 1, "B"),
                                vr(0, d(2026, 3, 3), 1, "C"),
                                vr(0, d(2026, 2, 2), 1),
                                vr(0, d(2026, 1, 1), 1, "B"),
                                vr(0, d(2026, 4, 4), -1),
                                vr(0, d(2026, 4, 5), 1, {}, Status::Cancelled),
                                vr(0, d(2026, 4, 6), 1, {}, Status::Planned),
                                vr(0, kAsOf + 1, 1)};
  VisitFold f = fold(2, rows, needs);
  CHECK(f.visit_dates(0) == std::vector<Day>{d(2026, 1, 1), d(2026, 2, 2), d(2026, 3, 3)});
  CHECK(f.visit_dates(1).empty());
  CHECK(f.stats(0).visits == 4);  // A, B, C, and 2 Feb by date
}

// ---- prepare() and apply()
// ------------------------------------------------------------------------

namespace {

VisitRow full(uint32_t patient, Day date, Kopecks amount, std::string_view visit_id, Status status,
              std::string_view service, std::string_view category, std::string_view doctor,
              std::string_view branch) {
  VisitRow r = vr(patient, date, amount, visit_id, status);
  r.service = service;
  r.service_category = category;
  r.doctor = doctor;
  r.branch = branch;
  return r;
}

constexpr Status C = Status::Completed;

// A varied visits file for 8 patients: numeric, short text, long text and missing visit ids;
// visits whose rows are far apart (so most cuts split one); refunds, a cancelled, a no-show and
// planned rows; a row on as-of and one after; several branches, services and doctors.
std::vector<VisitRow> varied_rows() {
  return {
      /* 0*/ full(0, d(2026, 1, 10), 100000, "101", C, "Чистка", "Гигиена", "Петров", "Центр"),
      /* 1*/ full(1, d(2026, 1, 12), 50000, "", C, "Консультация", "", "Иванова", "Север"),
      /* 2*/ full(0, d(2026, 1, 10), 20000, "101", C, "Фторирование", "Гигиена", "Петров", "Центр"),
      /* 3*/
      full(2, d(2026, 2, 1), 300000, "ДОКУМЕНТ-2026-000001", C, "Имплант", "Хирургия", "Сидоров",
           "Юг"),
      /* 4*/ full(0, d(2026, 2, 15), 80000, "102", C, "Пломба", "Терапия", "Иванова", "Север"),
      /* 5*/ full(1, d(2026, 1, 12), 10000, "", C, "Снимок", "Диагностика", "", "Север"),
      /* 6*/ full(3, d(2026, 3, 1), 0, "A7", C, "Консультация", "", "Петров", "Центр"),
      /* 7*/ full(0, d(2026, 3, 1), -30000, "103", C, "Возврат", "", "Кассир", "Юг"),
      /* 8*/ full(2, d(2026, 7, 5), 200000, "", Status::Planned, "Имплант", "", "", "Центр"),
      /* 9*/ full(3, d(2026, 3, 5), 40000, "A7", C, "Снимок", "Диагностика", "Сидоров", "Юг"),
      /*10*/ full(4, d(2026, 4, 1), 70000, "B12", Status::Cancelled, "Имплант", "", "", "Центр"),
      /*11*/
      full(2, d(2026, 2, 20), 150000, "ДОКУМЕНТ-2026-000002", C, "Имплант", "Хирургия", "Сидоров",
           "Центр"),
      /*12*/ full(0, d(2026, 1, 10), 5000, "101", C, "Чистка", "", "Алексеев", "Центр"),
      /*13*/ full(1, d(2026, 5, 5), 60000, "", C, "Консультация", "", "Иванова", "Центр"),
      /*14*/
      full(2, d(2026, 2, 1), 10000, "ДОКУМЕНТ-2026-000001", C, "Снимок", "Диагностика", "Петров",
           "Юг"),
      /*15*/ full(4, d(2026, 6, 30), 90000, "007", C, "Пломба", "Терапия", "Иванова", ""),
      /*16*/ full(4, d(2026, 6, 29), 10000, "7", C, "", "", "", "Север"),
      /*17*/ full(5, d(2026, 6, 15), -100000, "", C, "Возврат", "", "", "Центр"),
      /*18*/ full(5, d(2026, 7, 1), 50000, "", C, "Чистка", "", "", "Центр"),
      /*19*/ full(5, d(2026, 6, 29), 10000, "", Status::NoShow, "Чистка", "", "", "Центр"),
      /*20*/ full(1, d(2026, 1, 12), 0, "", C, "", "", "", "Центр"),
      /*21*/ full(0, d(2026, 2, 15), 10000, "102", C, "Пломба", "", "", "Север"),
      /*22*/ full(0, d(2026, 6, 30), 0, "", Status::Planned, "", "", "", ""),
      /*23*/ full(3, d(2026, 1, 20), 25000, "", C, "Чистка", "Гигиена", "Петров", "Центр"),
      /*24*/ full(7, d(2026, 4, 1), 10000, "X1", C, "", "", "", "Запад"),
      /*25*/ full(7, d(2026, 4, 10), 10000, "X2", C, "", "", "", "Восток"),
      /*26*/ full(7, d(2026, 4, 20), 10000, "X1", C, "", "", "", "Запад"),
  };
}
constexpr uint32_t kVariedPatients = 8;  // p6 has no rows

// Every StatsNeeds that changes what is collected: each subset of the five collections, with and
// without --since (a date that drops some counted rows of p0, p1 and p3).
std::vector<StatsNeeds> all_needs_combinations() {
  std::vector<StatsNeeds> out;
  for (int bits = 0; bits < 32; ++bits)
    for (Day since : {kNoDay, d(2026, 2, 1)}) {
      StatsNeeds n;
      n.services = bits & 1;
      n.service_categories = bits & 2;
      n.doctors = bits & 4;
      n.home_branch = bits & 8;
      n.visit_dates = bits & 16;
      n.since = since;
      out.push_back(n);
    }
  return out;
}

// Everything a fold answers, patient by patient.
void check_same(const VisitFold& a, const VisitFold& b) {
  REQUIRE(a.size() == b.size());
  for (uint32_t p = 0; p < a.size(); ++p) {
    CAPTURE(p);
    CHECK(a.stats(p).first_visit == b.stats(p).first_visit);
    CHECK(a.stats(p).last_visit == b.stats(p).last_visit);
    CHECK(a.stats(p).visits == b.stats(p).visits);
    CHECK(a.stats(p).spent == b.stats(p).spent);
    CHECK(a.stats(p).upcoming == b.stats(p).upcoming);
    CHECK(a.services(p) == b.services(p));
    CHECK(a.service_categories(p) == b.service_categories(p));
    CHECK(a.doctors(p) == b.doctors(p));
    CHECK(a.home_branch(p) == b.home_branch(p));
    CHECK(a.visit_dates(p) == b.visit_dates(p));
  }
}

VisitFold fold_range(const std::vector<VisitRow>& rows, size_t from, size_t to, StatsNeeds needs) {
  VisitFold f(kVariedPatients, kAsOf, needs);
  for (size_t i = from; i < to; ++i) f.add(rows[i]);
  return f;
}

}  // namespace

TEST_CASE("visit_stats: the varied rows, counted by hand") {
  // Expected values follow §2.6 row by row (as-of 2026-06-30):
  // p0: visit 101 (rows 0, 2, 12: 1000.00 + 200.00 + 50.00, Центр), visit 102 (rows 4, 21:
  //     800.00 + 100.00, Север), refund 103 (−300.00, money only), planned on as-of → upcoming.
  //     Центр and Север one visit each → the more recent, Север (15 Feb > 10 Jan).
  // p1: date visits 12 Jan (rows 1, 5, 20; Север and Центр) and 5 May (row 13, Центр):
  //     Центр 2 visits, Север 1 → Центр; 500.00 + 100.00 + 0 + 600.00.
  // p2: ДОКУМЕНТ-…1 (rows 3, 14, Юг, 1 Feb) and ДОКУМЕНТ-…2 (row 11, Центр, 20 Feb): a tie, the
  //     more recent Центр wins; planned 5 Jul → upcoming; 3000.00 + 1500.00 + 100.00.
  // p3: A7 (rows 6, 9: Центр and Юг) and the date visit 20 Jan (row 23, Центр) → Центр 2, Юг 1.
  // p4: cancelled row 10 counts nothing; "007" and "7" are two visits; only row 16 names a branch.
  // p5: a refund (−1000.00); rows after as-of or no-show count nothing. p6: no rows.
  // p7: X1 (Запад, rows 24 and 26, 1 and 20 Apr) and X2 (Восток, 10 Apr): a tie that the later
  //     line of X1 decides for Запад.
  StatsNeeds all;
  all.services = all.service_categories = all.doctors = all.home_branch = all.visit_dates = true;
  VisitFold f = fold(kVariedPatients, varied_rows(), all);
  struct Want {
    Day first, last;
    uint32_t visits;
    Kopecks spent;
    bool upcoming;
    SV services, categories, doctors;
    std::string_view home;
    std::vector<Day> dates;
  };
  const std::vector<Want> want = {
      {d(2026, 1, 10),
       d(2026, 2, 15),
       2,
       185000,
       true,
       SV{"Пломба", "Фторирование", "Чистка"},
       SV{"Гигиена", "Терапия"},
       SV{"Алексеев", "Иванова", "Петров"},
       "Север",
       {d(2026, 1, 10), d(2026, 2, 15)}},
      {d(2026, 1, 12),
       d(2026, 5, 5),
       2,
       120000,
       false,
       SV{"Консультация", "Снимок"},
       SV{"Диагностика"},
       SV{"Иванова"},
       "Центр",
       {d(2026, 1, 12), d(2026, 5, 5)}},
      {d(2026, 2, 1),
       d(2026, 2, 20),
       2,
       460000,
       true,
       SV{"Имплант", "Снимок"},
       SV{"Диагностика", "Хирургия"},
       SV{"Петров", "Сидоров"},
       "Центр",
       {d(2026, 2, 1), d(2026, 2, 20)}},
      {d(2026, 1, 20),
       d(2026, 3, 5),
       2,
       65000,
       false,
       SV{"Консультация", "Снимок", "Чистка"},
       SV{"Гигиена", "Диагностика"},
       SV{"Петров", "Сидоров"},
       "Центр",
       {d(2026, 1, 20), d(2026, 3, 1), d(2026, 3, 5)}},
      {d(2026, 6, 29),
       d(2026, 6, 30),
       2,
       100000,
       false,
       SV{"Пломба"},
       SV{"Терапия"},
       SV{"Иванова"},
       "Север",
       {d(2026, 6, 29), d(2026, 6, 30)}},
      {kNoDay, kNoDay, 0, -100000, false, SV{}, SV{}, SV{}, "", {}},
      {kNoDay, kNoDay, 0, 0, false, SV{}, SV{}, SV{}, "", {}},
      {d(2026, 4, 1),
       d(2026, 4, 20),
       2,
       30000,
       false,
       SV{},
       SV{},
       SV{},
       "Запад",
       {d(2026, 4, 1), d(2026, 4, 10), d(2026, 4, 20)}},
  };
  for (uint32_t p = 0; p < kVariedPatients; ++p) {
    CAPTURE(p);
    const Want& w = want[p];
    CHECK(f.stats(p).first_visit == w.first);
    CHECK(f.stats(p).last_visit == w.last);
    CHECK(f.stats(p).visits == w.visits);
    CHECK(f.stats(p).spent == w.spent);
    CHECK(f.stats(p).upcoming == w.upcoming);
    CHECK(f.services(p) == w.services);
    CHECK(f.service_categories(p) == w.categories);
    CHECK(f.doctors(p) == w.doctors);
    CHECK(f.home_branch(p) == w.home);
    CHECK(f.visit_dates(p) == w.dates);
  }
}

TEST_CASE("visit_stats: prepare() then apply() equals add()") {
  const std::vector<VisitRow> rows = varied_rows();
  for (const StatsNeeds& needs : all_needs_combinations()) {
    CAPTURE(needs.services);
    CAPTURE(needs.service_categories);
    CAPTURE(needs.doctors);
    CAPTURE(needs.home_branch);
    CAPTURE(needs.visit_dates);
    CAPTURE(needs.since);
    VisitFold by_add = fold(kVariedPatients, rows, needs);
    // As the pipelined reader does: prepare in file order, apply 5 rows later. Rows of an
    // unknown card are prepared and dropped (here: a copy of every third row).
    VisitFold delayed(kVariedPatients, kAsOf, needs);
    std::vector<std::pair<uint32_t, FoldRow>> queue;
    for (size_t i = 0; i < rows.size(); ++i) {
      queue.emplace_back(rows[i].patient, delayed.prepare(rows[i]));
      if (i % 3 == 0)
        (void)delayed.prepare(
            full(6, rows[i].date, 1, "ЧУЖОЙ-ДОКУМЕНТ-1", C, "Чужое", "Чужое", "Чужой", "Чужой"));
      if (queue.size() > 5) {
        delayed.prefetch(queue.front().first);
        delayed.prefetch_keys(queue.front().first);
        delayed.apply(queue.front().first, queue.front().second);
        queue.erase(queue.begin());
      }
    }
    for (const auto& [p, fr] : queue) delayed.apply(p, fr);
    delayed.finish();
    check_same(by_add, delayed);
    // The results don't depend on the order rows are applied in: all prepared, applied backwards.
    VisitFold backwards(kVariedPatients, kAsOf, needs);
    std::vector<FoldRow> prepared;
    for (const auto& r : rows) prepared.push_back(backwards.prepare(r));
    for (size_t i = rows.size(); i-- > 0;) backwards.apply(rows[i].patient, prepared[i]);
    backwards.finish();
    check_same(by_add, backwards);
  }
}

TEST_CASE("visit_stats: many visits of one patient, each seen twice, far apart") {
  // 300 numeric and 300 long visit ids for p0 in a scrambled order, each twice, the second pass
  // backwards (every key is already known and most are below the running maximum: the stream is
  // scanned); p1 gets 40 date visits on both sides. Counted by hand:
  // p0 600 visits, p1 40.
  StatsNeeds needs;
  needs.home_branch = true;
  std::vector<VisitRow> rows;
  std::vector<std::string> ids;
  for (int i = 0; i < 300; ++i) ids.push_back(std::to_string(5000 + (i * 7) % 300));
  for (int i = 0; i < 300; ++i)
    ids.push_back("ДОКУМЕНТ-" + std::to_string(100000 + (i * 11) % 300));
  for (int pass = 0; pass < 2; ++pass)
    for (int i = 0; i < 600; ++i) {
      int k = pass == 1 ? 599 - i : i;
      VisitRow r = vr(0, d(2026, 1, 1) + k % 90, 1, ids[k]);
      r.branch = k % 2 ? "Север" : "Юг";
      rows.push_back(r);
      VisitRow q = vr(1, d(2026, 1, 1) + (k * 13) % 40, 1);
      q.branch = "Центр";
      rows.push_back(q);
    }
  VisitFold whole = fold(2, rows, needs);
  CHECK(whole.stats(0).visits == 600);
  CHECK(whole.stats(1).visits == 40);
  CHECK(whole.home_branch(0) == "Север");  // 300 each; Север has the most recent (k = 89 odd)
}

// ---- home_branch with several branches per patient
// ------------------------------------------------------------------------

namespace {

VisitRow branch_row(uint32_t p, Day date, std::string_view id, std::string_view branch) {
  VisitRow r = vr(p, date, 100, id);
  r.branch = branch;
  return r;
}

// Rows of several patients dealt round-robin: each patient's rows keep their order, but every
// patient's branches come interleaved with the other patients' rows.
std::vector<VisitRow> interleave(const std::vector<std::vector<VisitRow>>& by_patient) {
  std::vector<VisitRow> out;
  for (size_t i = 0;; ++i) {
    bool any = false;
    for (const auto& rows : by_patient)
      if (i < rows.size()) out.push_back(rows[i]), any = true;
    if (!any) return out;
  }
}

}  // namespace

TEST_CASE("visit_stats: home_branch ties over several branches, visits split across branches") {
  StatsNeeds needs;
  needs.home_branch = true;
  const auto b = branch_row;
  // Counted by hand per patient (distinct visits per branch; the latest row date per branch):
  const std::vector<std::vector<VisitRow>> rows = {
      // p0: Север V1 V2 V3 (3 visits, last 1 Feb); Юг V4 V5 in 5 rows (2 visits, last 1 Jun):
      //     most distinct visits wins over most rows and most recent → Север.
      {b(0, d(2026, 1, 1), "V1", "Север"), b(0, d(2026, 6, 1), "V4", "Юг"),
       b(0, d(2026, 6, 1), "V4", "Юг"), b(0, d(2026, 1, 15), "V2", "Север"),
       b(0, d(2026, 5, 1), "V5", "Юг"), b(0, d(2026, 5, 1), "V5", "Юг"),
       b(0, d(2026, 2, 1), "V3", "Север"), b(0, d(2026, 6, 1), "V4", "Юг")},
      // p1: Юг V1 V3 (last 1 May), Север V2 V4 (last 30 Apr), Центр V5 (1 Jun, most recent but
      //     one visit): Юг and Север tie on 2 visits, Юг is the more recent → Юг.
      {b(1, d(2026, 1, 1), "V1", "Юг"), b(1, d(2026, 2, 1), "V2", "Север"),
       b(1, d(2026, 5, 1), "V3", "Юг"), b(1, d(2026, 4, 30), "V4", "Север"),
       b(1, d(2026, 6, 1), "V5", "Центр")},
      // p2: Запад, Восток, Z-филиал one visit each, all on 3 Mar: byte order decides, and the
      //     Latin Z (5A) sorts before Cyrillic В (D0 92) and З (D0 97) → Z-филиал.
      {b(2, d(2026, 3, 3), "V1", "Запад"), b(2, d(2026, 3, 3), "V2", "Восток"),
       b(2, d(2026, 3, 3), "V3", "Z-филиал")},
      // p3: rows of one visit naming two branches count the visit for both:
      //     V1 (10 Jan) Север + Юг + a row without a branch; V2 (10 Feb) Юг; V3 (10 Mar) Север,
      //     Север, Юг; V4 (10 Apr) first a row without a branch, then Север.
      //     Север: V1 V3 V4 = 3, last 10 Apr; Юг: V1 V2 V3 = 3, last 10 Mar → tie, Север is the
      //     more recent → Север. 4 visits.
      {b(3, d(2026, 1, 10), "V1", "Север"), b(3, d(2026, 1, 10), "V1", "Юг"),
       b(3, d(2026, 1, 10), "V1", ""), b(3, d(2026, 2, 10), "V2", "Юг"),
       b(3, d(2026, 3, 10), "V3", "Север"), b(3, d(2026, 3, 10), "V3", "Север"),
       b(3, d(2026, 3, 10), "V3", "Юг"), b(3, d(2026, 4, 10), "V4", ""),
       b(3, d(2026, 4, 10), "V4", "Север")},
      // p4: a branch's latest date is its latest row, also a later row of a known visit:
      //     V1 Север 1 Jan, V2 Юг 1 Feb, V1 again (Север) 1 Mar → 1 visit each, Север last 1 Mar
      //     > Юг 1 Feb → Север (without the later row of V1 it would be Юг). 2 visits.
      {b(4, d(2026, 1, 1), "V1", "Север"), b(4, d(2026, 2, 1), "V2", "Юг"),
       b(4, d(2026, 3, 1), "V1", "Север")},
      // p5: date-keyed visits (no visit_id) alternating between two branches, each day twice:
      //     Юг 1, 3, 5 Jan (3 visits), Север 2, 4 Jan (2) → Юг.
      {b(5, d(2026, 1, 1), {}, "Юг"), b(5, d(2026, 1, 2), {}, "Север"),
       b(5, d(2026, 1, 3), {}, "Юг"), b(5, d(2026, 1, 4), {}, "Север"),
       b(5, d(2026, 1, 5), {}, "Юг"), b(5, d(2026, 1, 1), {}, "Юг"),
       b(5, d(2026, 1, 2), {}, "Север"), b(5, d(2026, 1, 3), {}, "Юг"),
       b(5, d(2026, 1, 4), {}, "Север"), b(5, d(2026, 1, 5), {}, "Юг")},
  };
  const std::vector<std::string_view> home = {"Север", "Юг", "Z-филиал", "Север", "Север", "Юг"};
  const std::vector<uint32_t> visits = {5, 5, 3, 4, 2, 5};
  // Each patient's rows in a row, then interleaved with the others', then all backwards.
  std::vector<VisitRow> in_a_row;
  for (const auto& r : rows) in_a_row.insert(in_a_row.end(), r.begin(), r.end());
  std::vector<VisitRow> mixed = interleave(rows);
  std::vector<VisitRow> backwards(mixed.rbegin(), mixed.rend());
  for (const auto* order : {&in_a_row, &mixed, &backwards}) {
    VisitFold f = fold(rows.size(), *order, needs);
    for (uint32_t p = 0; p < rows.size(); ++p) {
      CAPTURE(p);
      CHECK(f.home_branch(p) == home[p]);
      CHECK(f.stats(p).visits == visits[p]);
    }
  }
}

TEST_CASE("visit_stats: home_branch of patients with many branches, lists growing side by side") {
  StatsNeeds needs;
  needs.home_branch = true;
  // p0 names 12 branches B01…B12, branch Bk in k visits (ids k·100 + i), dated 1 Jan + k days:
  //   1 + 2 + … + 12 = 78 visits; B12 has the most → B12.
  // p1 names C1 (1 visit, 1 Feb), C2 (2 visits, 2 Feb), C3 (2 visits, 3 Feb): C2 and C3 tie,
  //   C3 is more recent → C3; 5 visits.
  // p2 names D5, D4, D3, D2, D1 (in that order), one visit each, all on 1 Mar: byte order → D1.
  // Their rows are dealt round-robin so the three lists grow at the same time; then every row
  // comes again, backwards (known visits: nothing changes, but the key streams are scanned).
  std::vector<std::vector<VisitRow>> rows(3);
  std::vector<std::string> names;
  for (int k = 1; k <= 12; ++k) names.push_back((k < 10 ? "B0" : "B") + std::to_string(k));
  std::vector<std::string> ids;
  for (int k = 1; k <= 12; ++k)
    for (int i = 0; i < k; ++i) ids.push_back(std::to_string(k * 100 + i));
  size_t at = 0;
  for (int k = 1; k <= 12; ++k)
    for (int i = 0; i < k; ++i)
      rows[0].push_back(branch_row(0, d(2026, 1, 1) + k, ids[at++], names[k - 1]));
  rows[1] = {branch_row(1, d(2026, 2, 1), "1", "C1"), branch_row(1, d(2026, 2, 2), "2", "C2"),
             branch_row(1, d(2026, 2, 2), "3", "C2"), branch_row(1, d(2026, 2, 3), "4", "C3"),
             branch_row(1, d(2026, 2, 3), "5", "C3")};
  rows[2] = {branch_row(2, d(2026, 3, 1), "X5", "D5"), branch_row(2, d(2026, 3, 1), "X4", "D4"),
             branch_row(2, d(2026, 3, 1), "X3", "D3"), branch_row(2, d(2026, 3, 1), "X2", "D2"),
             branch_row(2, d(2026, 3, 1), "X1", "D1")};
  std::vector<VisitRow> all = interleave(rows);
  for (size_t i = all.size(); i-- > 0;) all.push_back(all[i]);
  VisitFold f = fold(3, all, needs);
  CHECK(f.home_branch(0) == "B12");
  CHECK(f.home_branch(1) == "C3");
  CHECK(f.home_branch(2) == "D1");
  CHECK(f.stats(0).visits == 78);
  CHECK(f.stats(1).visits == 5);
  CHECK(f.stats(2).visits == 5);
}

TEST_CASE("visit_stats: home_branch is known after finish()") {
  StatsNeeds needs;
  needs.home_branch = true;
  VisitFold f(1, kAsOf, needs);
  f.add(branch_row(0, d(2026, 1, 1), "V1", "Север"));
  f.add(branch_row(0, d(2026, 1, 2), "V2", "Юг"));
  CHECK_THROWS_AS((void)f.home_branch(0), std::logic_error);
  f.finish();
  CHECK(f.home_branch(0) == "Юг");  // one visit each, Юг the more recent
  // Without home_branch requested there is none to wait for: always empty.
  VisitFold g(1, kAsOf, StatsNeeds{});
  g.add(branch_row(0, d(2026, 1, 1), "V1", "Север"));
  CHECK(g.home_branch(0) == "");
}

TEST_CASE("visit_stats: first visits far from the fold's first key of their kind") {
  // Each patient's first key is stored relative to the first key of the same kind in the whole
  // fold (p0's): keys far below and far above it, of every kind, each seen twice and in a
  // different order, must count once. Counted by hand: p0 2 visits (1000000, 1000001);
  // p1 3 (1, 99999999999999999, 0); p2 2 (dates 1 Jan 1900 and 31 Dec 2025); p3 2 (A, zzzzzzz);
  // p4 2 (two long ids); p5 4 (one of each kind).
  for (const auto& needs : needs_variants()) {
    const std::string long_a = "ОЧЕНЬ-ДЛИННЫЙ-НОМЕР-1", long_b = "ОЧЕНЬ-ДЛИННЫЙ-НОМЕР-2";
    std::vector<VisitRow> rows = {
        vr(0, d(2026, 1, 1), 1, "1000000"), vr(0, d(2026, 1, 2), 1, "1000001"),
        vr(1, d(2026, 1, 1), 1, "1"),       vr(1, d(2026, 1, 2), 1, "99999999999999999"),
        vr(1, d(2026, 1, 3), 1, "0"),       vr(2, d(1900, 1, 1), 1),
        vr(2, d(2025, 12, 31), 1),          vr(3, d(2026, 1, 1), 1, "zzzzzzz"),
        vr(3, d(2026, 1, 2), 1, "A"),       vr(4, d(2026, 1, 1), 1, long_b),
        vr(4, d(2026, 1, 2), 1, long_a),    vr(5, d(2026, 2, 1), 1),
        vr(5, d(2026, 2, 2), 1, "7"),       vr(5, d(2026, 2, 3), 1, "a-b"),
        vr(5, d(2026, 2, 4), 1, long_a),
    };
    for (size_t i = rows.size(); i-- > 0;) rows.push_back(rows[i]);
    VisitFold f = fold(6, rows, needs);
    const std::vector<uint32_t> visits = {2, 3, 2, 2, 2, 4};
    for (uint32_t p = 0; p < 6; ++p) {
      CAPTURE(p);
      CHECK(f.stats(p).visits == visits[p]);
    }
  }
}
