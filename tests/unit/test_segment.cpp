// `segment` list and group modes (SPEC §6.1, §8.17, §8.24) and the shared table helpers
// (§4, §8.42). Patients and visits are built in memory; expected tables are written out by hand.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "fixtures.h"
#include "rules/segment.h"
#include "rules/table.h"

using namespace kartoteka;

namespace {

const Day kAsOf = days_from_ymd(2026, 6, 30);
Day d(int y, int m, int dd) {
  return days_from_ymd(y, m, dd);
}

using Row = std::vector<std::string>;
using Rows = std::vector<Row>;

struct P {
  std::string id;
  std::string name;
  std::string phone;
  std::string categories;
  std::string district;
  PatientCore core;
};

PatientTable table_of(const std::vector<P>& ps, std::vector<std::string> extra_titles = {}) {
  PatientTable pt(std::move(extra_titles));
  for (const auto& p : ps)
    test::add_patient(pt,
                      {{PText::id, p.id},
                       {PText::name, p.name},
                       {PText::phone, p.phone},
                       {PText::categories, p.categories},
                       {PText::district, p.district}},
                      p.core);
  return pt;
}

VisitRow vr(uint32_t patient, Day date, Kopecks amount, std::string_view service = {}) {
  VisitRow r;
  r.patient = patient;
  r.date = date;
  r.amount = amount;
  r.service = service;
  return r;
}

VisitFold fold(size_t n, const std::vector<VisitRow>& rows) {
  StatsNeeds needs;
  needs.services = true;
  return test::fold_visits(n, kAsOf, needs, rows);
}

NamedField nf(std::string title, const PatientTable& pt,
              const std::vector<std::string>& from = {}) {
  return {title, test::resolved_field(title, pt, from)};
}

std::vector<uint32_t> all(const PatientTable& pt) {
  std::vector<uint32_t> v;
  for (uint32_t i = 0; i < pt.size(); ++i) v.push_back(i);
  return v;
}

PatientCore born(Day b) {
  PatientCore c;
  c.birth_date = b;
  return c;
}

}  // namespace

TEST_CASE("segment: format_share one decimal, half away from zero") {
  CHECK(format_share(1, 3) == "33.3");   // 33.33…
  CHECK(format_share(2, 3) == "66.7");   // 66.66…
  CHECK(format_share(1, 8) == "12.5");   // exact
  CHECK(format_share(1, 16) == "6.3");   // 6.25 → 6.3
  CHECK(format_share(3, 16) == "18.8");  // 18.75 → 18.8
  CHECK(format_share(1, 40) == "2.5");
  CHECK(format_share(1, 80) == "1.3");  // 1.25 → 1.3
  CHECK(format_share(1, 6) == "16.7");
  CHECK(format_share(1, 2000) == "0.1");  // 0.05 → 0.1
  CHECK(format_share(1, 2001) == "0.0");  // 0.04997…
  CHECK(format_share(0, 5) == "0.0");
  CHECK(format_share(5, 5) == "100.0");
  CHECK(format_share(0, 0) == "0.0");
}

namespace {

// The rows of `t` with the travelling columns of `from` added; row i is about patient i.
Table with_from_columns(const Table& t, const FromList* from) {
  Table out;
  out.columns = t.columns;
  const FromColumns columns(from, out.columns);
  std::vector<std::string> cells(out.columns.size());
  for (size_t i = 0; i < t.rows.size(); ++i) {
    std::copy(t.rows[i].begin(), t.rows[i].end(), cells.begin());
    columns.fill(cells, static_cast<uint32_t>(i));
    out.rows.push_back(cells);
  }
  return out;
}

}  // namespace

TEST_CASE("segment: FromColumns appends list columns the table lacks") {
  Table t;
  t.columns = patient_list_head();
  t.rows = {{"1", "А", ""}, {"2", "Б", ""}, {"3", "В", ""}};
  FromList from;
  from.titles = {"name", "note", "Name", "score"};  // `name` is present; `Name` is another title
  from.order = {2, 0};
  from.rows = {{"x", "второй", "X", "7"}, {"y", "первый", "Y", "9"}};
  from.row_of = {{2u, 0u}, {0u, 1u}};
  // Table row i is about patient i; patient 1 is not in the list.
  t = with_from_columns(t, &from);
  CHECK(t.titles() == Row{"id", "name", "phone", "note", "Name", "score"});
  CHECK(t.rows == Rows{{"1", "А", "", "первый", "Y", "9"},
                       {"2", "Б", "", "", "", ""},
                       {"3", "В", "", "второй", "X", "7"}});
  // Without a list nothing changes.
  Table u = with_from_columns(t, nullptr);
  CHECK(u.titles() == t.titles());
  CHECK(u.rows == t.rows);
  // A title the list repeats travels once: its first column.
  FromList twice;
  twice.titles = {"note", "note"};
  twice.order = {0};
  twice.rows = {{"a", "b"}};
  twice.row_of = {{0u, 0u}};
  Table v = with_from_columns(Table{{{"id", ColumnKind::Id}}, {{"1"}, {"2"}}}, &twice);
  CHECK(v.titles() == Row{"id", "note"});
  CHECK(v.rows == Rows{{"1", "a"}, {"2", ""}});
}

TEST_CASE("segment: segment_list columns, values and id byte order") {
  // Ids in byte order (§8.17): 000123 < 1001 < 101 < 77 < A-15.
  PatientTable pt = table_of({{"77", "Семёнов", "+79123456701", "", "", {}},
                              {"A-15", "Жукова", "", "", "", {}},
                              {"101", "Иванова", "+79123456702", "", "", {}},
                              {"000123", "Петров", "", "", "", {}},
                              {"1001", "Ким", "", "", "", {}}});
  // 101: two visits, 1500.50 in all, last 2026-06-01. 77: one free visit.
  VisitFold f = fold(pt.size(), {vr(2, d(2026, 5, 1), 100000), vr(2, d(2026, 6, 1), 50050),
                                 vr(0, d(2025, 12, 31), 0)});
  FieldContext ctx{pt, f, kAsOf};
  Table t = collect_table([&](RowSink& out) { segment_list(ctx, all(pt), {}, out); });
  CHECK(t.titles() == Row{"id", "name", "phone", "last_visit", "visits", "spent"});
  CHECK(t.rows == Rows{{"000123", "Петров", "", "", "0", "0.00"},
                       {"1001", "Ким", "", "", "0", "0.00"},
                       {"101", "Иванова", "+79123456702", "2026-06-01", "2", "1500.50"},
                       {"77", "Семёнов", "+79123456701", "2025-12-31", "1", "0.00"},
                       {"A-15", "Жукова", "", "", "0", "0.00"}});

  // Extra columns (schemes, --fields) follow with their titles as typed, then --from columns
  // (titles already present do not travel). Only the selected patients are listed.
  FromList from;
  from.titles = {"note", "visits"};
  from.order = {2};
  from.rows = {{"VIP", "99"}};
  from.row_of = {{2u, 0u}};
  FieldContext ctx2{pt, f, kAsOf, &from};
  Table u = collect_table([&](RowSink& out) {
    segment_list(ctx2, {2, 0}, {nf("activity", pt), nf("Avg_Check", pt)}, out);
  });
  CHECK(u.titles() == Row{"id", "name", "phone", "last_visit", "visits", "spent", "activity",
                          "Avg_Check", "note"});
  // 101: first visit 2026-05-01 is 60 days before as-of → new; avg 150050/2 = 75025 → 750.25.
  // 77: 181 days since 2025-12-31 → sleeping; avg 0.00.
  CHECK(
      u.rows ==
      Rows{{"101", "Иванова", "+79123456702", "2026-06-01", "2", "1500.50", "new", "750.25", "VIP"},
           {"77", "Семёнов", "+79123456701", "2025-12-31", "1", "0.00", "sleeping", "0.00", ""}});
  // Nothing selected: the header only.
  Table e = collect_table([&](RowSink& out) { segment_list(ctx, {}, {}, out); });
  CHECK(e.columns.size() == 6);
  CHECK(e.rows.empty());
}

TEST_CASE("segment: segment_groups counts, share, sums; numbers sort as numbers") {
  // Ages as of 2026-06-30: 10, 9, 10, 100, missing, 9 → groups 9 (2), 10 (2), 100 (1), "" (1).
  PatientTable pt = table_of({{"1", "", "", "", "", born(d(2016, 1, 1))},
                              {"2", "", "", "", "", born(d(2017, 1, 1))},
                              {"3", "", "", "", "", born(d(2016, 6, 30))},
                              {"4", "", "", "", "", born(d(1926, 1, 1))},
                              {"5", "", "", "", "", {}},
                              {"6", "", "", "", "", born(d(2017, 6, 1))}});
  // Visits: p1 1 visit 100.00; p3 2 visits 50.00 + 25.50; p2 one refund −10.00 (no visit).
  VisitFold f = fold(pt.size(), {vr(0, d(2026, 1, 1), 10000), vr(2, d(2026, 1, 1), 5000),
                                 vr(2, d(2026, 1, 2), 2550), vr(1, d(2026, 1, 3), -1000)});
  FieldContext ctx{pt, f, kAsOf};
  Table t = segment_groups(ctx, all(pt), {nf("age", pt)});
  CHECK(t.titles() == Row{"age", "patients", "share", "visits", "spent"});
  // Ties on patients (2 and 2; 1 and 1) sort by key: 9 before 10 (numbers), "" before 100.
  // Shares of 6: 2 → 33.3, 1 → 16.7.
  CHECK(t.rows == Rows{{"9", "2", "33.3", "0", "-10.00"},
                       {"10", "2", "33.3", "3", "175.50"},
                       {"", "1", "16.7", "0", "0.00"},
                       {"100", "1", "16.7", "0", "0.00"}});
  // The share is of the selected patients only.
  Table s = segment_groups(ctx, {0, 2, 4}, {nf("age", pt)});
  CHECK(s.rows == Rows{{"10", "2", "66.7", "3", "175.50"}, {"", "1", "33.3", "0", "0.00"}});
  // No patients: header only.
  CHECK(segment_groups(ctx, {}, {nf("age", pt)}).rows.empty());
}

TEST_CASE("segment: segment_groups key order by type") {
  PatientCore yes, no, unknown;
  yes.sms_consent = Tri::True;
  no.sms_consent = Tri::False;
  // District is text: "12" < "9" < "Заречный" in byte order, empty first.
  PatientTable pt = table_of({{"1", "", "", "", "9", yes},
                              {"2", "", "", "", "12", no},
                              {"3", "", "", "", "Заречный", unknown},
                              {"4", "", "", "", "", yes},
                              {"5", "", "", "", "Центральный", no},
                              {"6", "", "", "", "центральный", no}});
  // Money: spent 1000.00, 200.00, −5.00, 0.00, 0.00, 0.00 → -5.00, 0.00 (3), 200.00, 1000.00.
  // Dates: last visits 2026-01-05, 2025-12-31, 2024-02-01, none, none, none.
  VisitFold f = fold(pt.size(), {vr(0, d(2026, 1, 5), 100000), vr(1, d(2025, 12, 31), 20000),
                                 vr(2, d(2024, 2, 1), 0), vr(2, d(2024, 1, 1), -500)});
  FieldContext ctx{pt, f, kAsOf};
  auto keys = [](const Table& t) {
    Row k;
    for (const auto& r : t.rows) k.push_back(r[0]);
    return k;
  };
  // All groups of one patient except Центральный = центральный (text folds, §8.46: 2 patients,
  // first by count, spelt as patient 5, the first in file order).
  CHECK(keys(segment_groups(ctx, all(pt), {nf("district", pt)})) ==
        Row{"Центральный", "", "12", "9", "Заречный"});
  // Booleans: unknown (empty) first, then false before true; false has 3 patients → first.
  Table b = segment_groups(ctx, all(pt), {nf("sms_consent", pt)});
  CHECK(b.rows == Rows{{"false", "3", "50.0", "1", "200.00"},
                       {"true", "2", "33.3", "1", "1000.00"},
                       {"", "1", "16.7", "1", "-5.00"}});
  Table m = segment_groups(ctx, all(pt), {nf("spent", pt)});
  CHECK(keys(m) == Row{"0.00", "-5.00", "200.00", "1000.00"});
  CHECK(m.rows[0][1] == "3");
  CHECK(keys(segment_groups(ctx, all(pt), {nf("last_visit", pt)})) ==
        Row{"", "2024-02-01", "2025-12-31", "2026-01-05"});
  // has_phone is false for everyone: one group.
  CHECK(segment_groups(ctx, all(pt), {nf("has_phone", pt)}).rows ==
        Rows{{"false", "6", "100.0", "3", "1195.00"}});
}

TEST_CASE("segment: segment_groups folds text as --where compares it (§8.46, §8.57)") {
  struct Q {
    std::string id, district, categories, phone, email;
  };
  std::vector<Q> qs = {{"A", "орел", "VIP;vip;Детский", "+79160000001", "X@mail.ru"},
                       {"a", "Орёл", "ВИП", "+79160000001", "x@mail.ru"},
                       {"B", " ОРЕЛ", "детский", "", ""}};
  PatientTable pt;
  for (const auto& q : qs)
    test::add_patient(pt, {{PText::id, q.id},
                           {PText::district, q.district},
                           {PText::categories, q.categories},
                           {PText::phone, q.phone},
                           {PText::email, q.email}});
  VisitFold f = fold(pt.size(), {vr(0, d(2026, 1, 1), 1000), vr(1, d(2026, 1, 2), 2000)});
  FieldContext ctx{pt, f, kAsOf};
  // A --from list's order (1, 2, 0): the spelling is still the first patient's in file order
  // (patient 0: "орел"). "Орёл" folds to "орел" (ё = е); " ОРЕЛ" is another text (not trimmed
  // here: the loader trims cells, §2.1). Shares of 3; spent 10.00 + 20.00 = 30.00.
  Table t = segment_groups(ctx, {1, 2, 0}, {nf("district", pt)});
  CHECK(t.rows == Rows{{"орел", "2", "66.7", "2", "30.00"}, {" ОРЕЛ", "1", "33.3", "0", "0.00"}});
  // Multi-valued: patient 0's VIP and vip are one group, counted once and spelt as its first
  // element; ВИП (Cyrillic) is another text; Детский = детский (patients 0 and 2).
  t = segment_groups(ctx, {1, 2, 0}, {nf("categories", pt)});
  CHECK(t.rows == Rows{{"Детский", "2", "66.7", "1", "10.00"},
                       {"VIP", "1", "33.3", "1", "10.00"},
                       {"ВИП", "1", "33.3", "1", "20.00"}});
  // id and email group exactly (byte order: "A" < "B" < "a"; "X@" < "x@"); phone too.
  CHECK(segment_groups(ctx, all(pt), {nf("id", pt)}).rows.size() == 3);
  t = segment_groups(ctx, all(pt), {nf("email", pt)});
  CHECK(t.rows == Rows{{"", "1", "33.3", "0", "0.00"},
                       {"X@mail.ru", "1", "33.3", "1", "10.00"},
                       {"x@mail.ru", "1", "33.3", "1", "20.00"}});
  t = segment_groups(ctx, all(pt), {nf("phone", pt)});
  CHECK(t.rows ==
        Rows{{"+79160000001", "2", "66.7", "2", "30.00"}, {"", "1", "33.3", "0", "0.00"}});
}

TEST_CASE("segment: segment_groups multi-valued fields and combinations") {
  PatientCore f_, m_;
  f_.gender = 'F';
  m_.gender = 'M';
  PatientTable pt = table_of({{"1", "", "", "VIP;детский", "", f_},
                              {"2", "", "", "VIP", "", m_},
                              {"3", "", "", "", "", f_}});
  // p1: services Чистка ×2 (one element, counted once), Пломба; p2: Чистка; p3: none.
  VisitFold f =
      fold(pt.size(), {vr(0, d(2026, 1, 1), 1000, "Чистка"), vr(0, d(2026, 2, 1), 1000, "Пломба"),
                       vr(0, d(2026, 3, 1), 1000, "Чистка"), vr(1, d(2026, 1, 1), 500, "Чистка")});
  FieldContext ctx{pt, f, kAsOf};
  // categories: VIP (1, 2), детский (1), "" (3). Shares of 3 patients.
  Table c = segment_groups(ctx, all(pt), {nf("categories", pt)});
  CHECK(c.rows == Rows{{"VIP", "2", "66.7", "4", "35.00"},
                       {"", "1", "33.3", "0", "0.00"},
                       {"детский", "1", "33.3", "3", "30.00"}});
  Table s = segment_groups(ctx, all(pt), {nf("services", pt)});
  CHECK(s.rows == Rows{{"Чистка", "2", "66.7", "4", "35.00"},
                       {"", "1", "33.3", "0", "0.00"},
                       {"Пломба", "1", "33.3", "3", "30.00"}});
  // Two multi-valued fields: every combination of the patient's values.
  // p1: (VIP,Пломба) (VIP,Чистка) (детский,Пломба) (детский,Чистка); p2: (VIP,Чистка); p3: ("","").
  Table cs = segment_groups(ctx, all(pt), {nf("categories", pt), nf("services", pt)});
  CHECK(cs.titles() == Row{"categories", "services", "patients", "share", "visits", "spent"});
  CHECK(cs.rows == Rows{{"VIP", "Чистка", "2", "66.7", "4", "35.00"},
                        {"", "", "1", "33.3", "0", "0.00"},
                        {"VIP", "Пломба", "1", "33.3", "3", "30.00"},
                        {"детский", "Пломба", "1", "33.3", "3", "30.00"},
                        {"детский", "Чистка", "1", "33.3", "3", "30.00"}});
  // A multi-valued and a single-valued field; ties sort by the first key, then the second
  // (gender is text: F < M).
  Table cg = segment_groups(ctx, all(pt), {nf("gender", pt), nf("categories", pt)});
  CHECK(cg.rows == Rows{{"F", "", "1", "33.3", "0", "0.00"},
                        {"F", "VIP", "1", "33.3", "3", "30.00"},
                        {"F", "детский", "1", "33.3", "3", "30.00"},
                        {"M", "VIP", "1", "33.3", "1", "5.00"}});
}
