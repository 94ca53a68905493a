// Patient fields of `segment` (SPEC §6.1, §8.17, §8.18, §8.21, §8.23): name resolution, activity,
// m_class, home_branch and printed values. Patients and visit rows are built in memory; every
// expected value is worked out by hand from the SPEC (day counts are spelled out where used).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "fixtures.h"
#include "rules/patient_fields.h"

using namespace kartoteka;

namespace {

const Day kAsOf = days_from_ymd(2026, 6, 30);
Day d(int y, int m, int dd) {
  return days_from_ymd(y, m, dd);
}

struct P {
  std::string id;
  std::string phone;
  std::string need;
  std::string referrer;
  std::string branch;
  std::string categories;
  PatientCore core;
  std::vector<std::string> extras;
  std::string name;
};

void add(PatientTable& pt, const P& p) {
  test::add_patient(pt,
                    {{PText::id, p.id},
                     {PText::name, p.name},
                     {PText::phone, p.phone},
                     {PText::need, p.need},
                     {PText::referrer_id, p.referrer},
                     {PText::branch, p.branch},
                     {PText::categories, p.categories}},
                    p.core, {p.extras.begin(), p.extras.end()});
}

VisitRow vr(uint32_t patient, Day date, Kopecks amount, std::string_view id = {},
            std::string_view branch = {}, Status status = Status::Completed) {
  VisitRow r;
  r.patient = patient;
  r.date = date;
  r.amount = amount;
  r.visit_id = id;
  r.branch = branch;
  r.status = status;
  return r;
}

StatsNeeds all_needs() {
  StatsNeeds n;
  n.services = n.service_categories = n.doctors = n.home_branch = true;
  return n;
}

VisitFold fold(size_t n, const std::vector<VisitRow>& rows) {
  return test::fold_visits(n, kAsOf, all_needs(), rows);
}

FieldRef ref(std::string_view name, const PatientTable& pt,
             const std::vector<std::string>& from_titles = {}) {
  return test::resolved_field(name, pt, from_titles);
}

using S = FieldRef::Source;

}  // namespace

TEST_CASE(
    "patient_fields: resolve_field — logical, derived, --from, other column, Russian header") {
  PatientTable pt({"Любимый цвет", "service", "Пол пациента"});
  const std::vector<std::string> none;

  // Logical fields (§2.2) and their types.
  CHECK(resolve_field("gender", pt, none) == FieldRef{S::Gender, 0, FieldType::Gender});
  CHECK(resolve_field("birth_date", pt, none) == FieldRef{S::BirthDate, 0, FieldType::Date});
  CHECK(resolve_field("registered", pt, none) == FieldRef{S::Registered, 0, FieldType::Date});
  CHECK(resolve_field("activity_date", pt, none) == FieldRef{S::ActivityDate, 0, FieldType::Date});
  CHECK(resolve_field("sms_consent", pt, none) == FieldRef{S::SmsConsent, 0, FieldType::Bool});
  CHECK(resolve_field("purchased", pt, none) == FieldRef{S::Purchased, 0, FieldType::Bool});
  CHECK(resolve_field("id", pt, none) == FieldRef{S::Text, int(PText::id), FieldType::Text});
  CHECK(resolve_field("phone", pt, none) == FieldRef{S::Text, int(PText::phone), FieldType::Text});
  CHECK(resolve_field("district", pt, none) ==
        FieldRef{S::Text, int(PText::district), FieldType::Text});
  CHECK(resolve_field("categories", pt, none) ==
        FieldRef{S::Text, int(PText::categories), FieldType::Multi});
  CHECK(resolve_field("referrer_id", pt, none) ==
        FieldRef{S::Text, int(PText::referrer_id), FieldType::Text});
  // Derived fields (§6.1).
  CHECK(resolve_field("age", pt, none) ==
        FieldRef{S::Derived, int(Derived::age), FieldType::Count});
  CHECK(resolve_field("visits", pt, none) ==
        FieldRef{S::Derived, int(Derived::visits), FieldType::Count});
  CHECK(resolve_field("spent", pt, none) ==
        FieldRef{S::Derived, int(Derived::spent), FieldType::Money});
  CHECK(resolve_field("avg_check", pt, none) ==
        FieldRef{S::Derived, int(Derived::avg_check), FieldType::Money});
  CHECK(resolve_field("last_visit", pt, none) ==
        FieldRef{S::Derived, int(Derived::last_visit), FieldType::Date});
  CHECK(resolve_field("services", pt, none) ==
        FieldRef{S::Derived, int(Derived::services), FieldType::Multi});
  CHECK(resolve_field("doctors", pt, none) ==
        FieldRef{S::Derived, int(Derived::doctors), FieldType::Multi});
  CHECK(resolve_field("has_phone", pt, none) ==
        FieldRef{S::Derived, int(Derived::has_phone), FieldType::Bool});
  CHECK(resolve_field("upcoming", pt, none) ==
        FieldRef{S::Derived, int(Derived::upcoming), FieldType::Bool});
  CHECK(resolve_field("m_class", pt, none) ==
        FieldRef{S::Derived, int(Derived::m_class), FieldType::Text});
  CHECK(resolve_field("home_branch", pt, none) ==
        FieldRef{S::Derived, int(Derived::home_branch), FieldType::Text});
  // After header normalisation (§8.6): case, separators.
  CHECK(resolve_field("AGE", pt, none) == resolve_field("age", pt, none));
  CHECK(resolve_field("birth-date", pt, none) == resolve_field("birth_date", pt, none));
  CHECK(resolve_field("Days.Since.Last.Visit", pt, none) ==
        FieldRef{S::Derived, int(Derived::days_since_last_visit), FieldType::Count});

  // Another patients column, by its title after normalisation.
  CHECK(resolve_field("любимый_цвет", pt, none) == FieldRef{S::Extra, 0, FieldType::Text});
  CHECK(resolve_field("Любимый цвет", pt, none) == FieldRef{S::Extra, 0, FieldType::Text});
  // A visit-row name is a field only because the patients file has such a column (§8.21).
  CHECK(resolve_field("service", pt, none) == FieldRef{S::Extra, 1, FieldType::Text});
  CHECK(resolve_field("Пол_пациента", pt, none) == FieldRef{S::Extra, 2, FieldType::Text});

  // A --from column comes before another patients column…
  std::vector<std::string> from = {"note", "ЛЮБИМЫЙ ЦВЕТ"};
  CHECK(resolve_field("любимый_цвет", pt, from) == FieldRef{S::From, 1, FieldType::Text});
  CHECK(resolve_field("note", pt, from) == FieldRef{S::From, 0, FieldType::Text});
  // …but after logical and derived fields.
  std::vector<std::string> from2 = {"visits", "gender"};
  CHECK(resolve_field("visits", pt, from2) ==
        FieldRef{S::Derived, int(Derived::visits), FieldType::Count});
  CHECK(resolve_field("gender", pt, from2) == FieldRef{S::Gender, 0, FieldType::Gender});

  // Russian headers of logical fields come last: `Пол` = gender, `дата_акции` = activity_date.
  CHECK(resolve_field("Пол", pt, none) == FieldRef{S::Gender, 0, FieldType::Gender});
  CHECK(resolve_field("пол", pt, none) == FieldRef{S::Gender, 0, FieldType::Gender});
  CHECK(resolve_field("Дата_рождения", pt, none) == FieldRef{S::BirthDate, 0, FieldType::Date});
  CHECK(resolve_field("дата_акции", pt, none) == FieldRef{S::ActivityDate, 0, FieldType::Date});
  CHECK(resolve_field("Телефон", pt, none) ==
        FieldRef{S::Text, int(PText::phone), FieldType::Text});
  CHECK(resolve_field("Метки", pt, none) ==
        FieldRef{S::Text, int(PText::categories), FieldType::Multi});
  // A --from column titled `Дата акции` is found by `дата_акции` before the Russian header.
  std::vector<std::string> from3 = {"Дата акции", "Пол"};
  CHECK(resolve_field("дата_акции", pt, from3) == FieldRef{S::From, 0, FieldType::Text});
  CHECK(resolve_field("Пол", pt, from3) == FieldRef{S::From, 1, FieldType::Text});

  // Unknown: visit-row fields without such a column, visits headers, nonsense.
  PatientTable bare;
  for (const char* n : {"service", "amount", "date", "status", "visit_id", "doctor", "Услуга",
                        "Сумма", "bogus", "agee", ""}) {
    CAPTURE(std::string(n));
    CHECK_FALSE(resolve_field(n, bare, none).has_value());
  }
}

TEST_CASE("patient_fields: add_needs asks the fold for what a field reads") {
  PatientTable pt;
  StatsNeeds n;
  add_needs(ref("age", pt), n);
  add_needs(ref("visits", pt), n);
  CHECK_FALSE(n.services);
  CHECK_FALSE(n.home_branch);
  add_needs(ref("services", pt), n);
  add_needs(ref("home_branch", pt), n);
  CHECK(n.services);
  CHECK(n.home_branch);
  CHECK_FALSE(n.doctors);
  add_needs(ref("doctors", pt), n);
  add_needs(ref("service_categories", pt), n);
  CHECK(n.doctors);
  CHECK(n.service_categories);
}

TEST_CASE("patient_fields: activity_of boundaries") {
  auto st = [](uint32_t visits, int first_ago, int last_ago) {
    VisitStats s;
    s.visits = visits;
    if (visits) {
      s.first_visit = kAsOf - first_ago;
      s.last_visit = kAsOf - last_ago;
    }
    return s;
  };
  CHECK(activity_of(st(0, 0, 0), kAsOf) == "prospect");
  // new: first visit < 90 days ago (whatever the last).
  CHECK(activity_of(st(1, 0, 0), kAsOf) == "new");
  CHECK(activity_of(st(2, 89, 89), kAsOf) == "new");
  // 90 days since the first visit: no longer new; last visit < 180 → active.
  CHECK(activity_of(st(2, 90, 90), kAsOf) == "active");
  CHECK(activity_of(st(2, 1000, 179), kAsOf) == "active");
  CHECK(activity_of(st(2, 1000, 180), kAsOf) == "sleeping");
  CHECK(activity_of(st(2, 2000, 1094), kAsOf) == "sleeping");
  CHECK(activity_of(st(2, 2000, 1095), kAsOf) == "lost");
  CHECK(activity_of(st(1, 5000, 5000), kAsOf) == "lost");
  // A spent-only patient (refunds) has no visits: a prospect.
  VisitStats refunds;
  refunds.spent = -500;
  CHECK(activity_of(refunds, kAsOf) == "prospect");
}

TEST_CASE("patient_fields: m_class_of M-A … M-E") {
  PatientTable pt;
  const std::string ph = "+79123456789";
  auto with = [](Tri purchased, Day activity) {
    PatientCore c;
    c.purchased = purchased;
    c.activity_date = activity;
    return c;
  };
  // index: id, phone, need, referrer, core — the comment gives the hand-worked class.
  add(pt, {"0", ph, "брекеты", "55", "", "", {}, {}, {}});                     // M-A prospect
  add(pt, {"1", ph, "брекеты", "", "", "", with(Tri::True, kNoDay), {}, {}});  // M-B
  add(pt, {"2", ph, "имплант", "", "", "", with(Tri::Unknown, kAsOf - 60), {}, {}});  // M-C: 60
  add(pt, {"3", ph, "имплант", "", "", "", with(Tri::Unknown, kAsOf - 61), {}, {}});  // M-D: 61
  add(pt, {"4", ph, "имплант", "", "", "", with(Tri::Unknown, kAsOf + 1), {}, {}});   // M-D: future
  add(pt, {"5", ph, "имплант", "", "", "", with(Tri::Unknown, kAsOf), {}, {}});       // M-C: 0
  add(pt, {"6", ph, "", "", "", "", {}, {}, {}});            // no need, visits 200 days ago → M-D
  add(pt, {"7", ph, "", "", "", "", {}, {}, {}});            // no need, no visits → M-E
  add(pt, {"8", "", "брекеты", "55", "", "", {}, {}, {}});   // no phone → ""
  add(pt, {"9", ph, "брекеты", "55", "", "", {}, {}, {}});   // last visit 100 days ago → ""
  add(pt, {"10", ph, "брекеты", "55", "", "", {}, {}, {}});  // last visit exactly 180 ago → M-A
  add(pt, {"11", ph, "брекеты", "55", "", "", {}, {}, {}});  // last visit 179 ago → ""
  add(pt, {"12", ph, "брекеты", "", "", "", with(Tri::False, kNoDay), {}, {}});  // M-D
  add(pt, {"13", ph, "", "55", "", "", with(Tri::True, kAsOf), {}, {}});         // no need → M-E
  add(pt, {"14", ph, "брекеты", "55", "", "", {}, {}, {}});  // new patient (10 days) → ""
  add(pt, {"15", ph, "", "", "", "", {}, {}, {}});           // lost former patient → M-D
  add(pt,
      {"16", ph, "брекеты", "", "", "", with(Tri::True, kAsOf - 10), {}, {}});  // M-B before M-C
  add(pt, {"17", ph, "", "", "", "", {}, {}, {}});  // only a refund: no visits → M-E
  add(pt, {"18", ph, "", "", "", "", {}, {}, {}});  // only a planned visit → M-E
  std::vector<VisitRow> rows = {
      vr(6, kAsOf - 200, 100),  vr(9, kAsOf - 100, 100),
      vr(10, kAsOf - 180, 100), vr(11, kAsOf - 179, 100),
      vr(14, kAsOf - 10, 100),  vr(15, kAsOf - 2000, 100),
      vr(17, kAsOf - 5, -100),  vr(18, kAsOf + 5, 0, {}, {}, Status::Planned)};
  VisitFold f = fold(pt.size(), rows);
  FieldContext ctx{pt, f, kAsOf};
  const char* expected[] = {"M-A", "M-B", "M-C", "M-D", "M-D", "M-C", "M-D", "M-E", "",   "",
                            "M-A", "",    "M-D", "M-E", "",    "M-D", "M-B", "M-E", "M-E"};
  REQUIRE(pt.size() == std::size(expected));
  for (uint32_t p = 0; p < pt.size(); ++p) {
    CAPTURE(p);
    CHECK(m_class_of(ctx, p) == expected[p]);
    CHECK(print_field(ctx, p, ref("m_class", pt)) == expected[p]);
  }
}

TEST_CASE("patient_fields: home_branch_of falls back to the patient's branch") {
  PatientTable pt;
  add(pt, {"1", "", "", "", "Центр", "", {}, {}, {}});
  add(pt, {"2", "", "", "", "Центр", "", {}, {}, {}});
  add(pt, {"3", "", "", "", "Центр", "", {}, {}, {}});
  add(pt, {"4", "", "", "", "", "", {}, {}, {}});
  // 1: visits in Север → Север. 2: visits without a branch → Центр. 3: no visits → Центр.
  // 4: nothing anywhere → "".
  VisitFold f =
      fold(4, {vr(0, d(2026, 1, 1), 100, "V1", "Север"), vr(1, d(2026, 1, 1), 100, "V1")});
  FieldContext ctx{pt, f, kAsOf};
  CHECK(home_branch_of(ctx, 0) == "Север");
  CHECK(home_branch_of(ctx, 1) == "Центр");
  CHECK(home_branch_of(ctx, 2) == "Центр");
  CHECK(home_branch_of(ctx, 3) == "");
  CHECK(print_field(ctx, 0, ref("home_branch", pt)) == "Север");
  CHECK(print_field(ctx, 1, ref("home_branch", pt)) == "Центр");
  CHECK(print_field(ctx, 3, ref("home_branch", pt)) == "");
}

TEST_CASE("patient_fields: print_field formats") {
  PatientTable pt({"Любимый цвет"});
  PatientCore c0;
  c0.gender = 'F';
  c0.birth_date = d(1990, 7, 1);
  c0.registered = d(2020, 1, 15);
  c0.sms_consent = Tri::True;
  c0.purchased = Tri::False;
  add(pt, {"101", "+79123456789", "", "", "Центр", "VIP;детский", c0, {"синий"}, "Иванова Анна"});
  add(pt, {"102", "", "", "", "Юг", "", {}, {""}, ""});
  PatientCore c2;
  c2.gender = 'M';
  c2.birth_date = d(1990, 6, 30);
  c2.activity_date = d(2026, 5, 1);
  c2.sms_consent = Tri::False;
  c2.purchased = Tri::True;
  add(pt, {"103", "+74951234567", "", "", "", "", c2, {}, ""});
  add(pt, {"104", "", "", "", "", "", {}, {}, ""});

  auto row = [](uint32_t p, Day date, Kopecks amount, std::string_view id, std::string_view service,
                std::string_view cat, std::string_view doctor, std::string_view branch) {
    VisitRow r = vr(p, date, amount, id, branch);
    r.service = service;
    r.service_category = cat;
    r.doctor = doctor;
    return r;
  };
  std::vector<VisitRow> rows = {
      // 101: 3 visits, spent 100.50 + 50.00 + 0.02 = 150.52; avg 15052/3 = 5017.33 → 50.17.
      row(0, d(2026, 1, 10), 10050, "V1", "Чистка", "Гигиена", "Петров", "Север"),
      row(0, d(2026, 3, 1), 5000, "V2", "Пломба", "Терапия", "Алексеев", "Север"),
      row(0, d(2026, 6, 20), 2, "V3", "Чистка", "Гигиена", "Петров", "Центр"),
      vr(0, kAsOf + 3, 0, {}, {}, Status::Planned),
      // 103: two free visits and a refund of 1.01: spent −1.01, avg −50.5 kopecks → −0.51.
      vr(2, d(2025, 1, 1), 0), vr(2, d(2025, 1, 2), 0), vr(2, d(2025, 2, 1), -101),
      // 104: 1.01 over two visits: 50.5 kopecks → 0.51 (half away from zero).
      vr(3, d(2026, 6, 1), 100), vr(3, d(2026, 6, 2), 1)};
  VisitFold f = fold(pt.size(), rows);
  FromList from;
  from.titles = {"Дата акции", "note"};
  from.order = {0};
  from.rows = {{"2026-05-01", "позвонить"}};
  from.row_of = {{0u, 0u}};
  FieldContext ctx{pt, f, kAsOf, &from};
  const std::vector<std::string> ft = from.titles;
  auto pf = [&](uint32_t p, std::string_view name) {
    return print_field(ctx, p, ref(name, pt, ft));
  };

  // 101
  CHECK(pf(0, "id") == "101");
  CHECK(pf(0, "name") == "Иванова Анна");
  CHECK(pf(0, "phone") == "+79123456789");
  CHECK(pf(0, "gender") == "F");
  CHECK(pf(0, "birth_date") == "1990-07-01");
  CHECK(pf(0, "age") == "35");  // the 36th birthday is tomorrow
  CHECK(pf(0, "birth_month") == "7");
  CHECK(pf(0, "birth_day") == "1");
  CHECK(pf(0, "days_to_birthday") == "1");
  CHECK(pf(0, "registered") == "2020-01-15");
  CHECK(pf(0, "activity_date") == "");
  CHECK(pf(0, "sms_consent") == "true");
  CHECK(pf(0, "purchased") == "false");
  CHECK(pf(0, "first_visit") == "2026-01-10");
  CHECK(pf(0, "last_visit") == "2026-06-20");
  // 10 Jan → 30 Jun: 21 (rest of Jan) + 28 + 31 + 30 + 31 + 30 = 171.
  CHECK(pf(0, "days_since_first_visit") == "171");
  CHECK(pf(0, "days_since_last_visit") == "10");
  CHECK(pf(0, "visits") == "3");
  CHECK(pf(0, "spent") == "150.52");
  CHECK(pf(0, "avg_check") == "50.17");
  CHECK(pf(0, "services") == "Пломба;Чистка");
  CHECK(pf(0, "service_categories") == "Гигиена;Терапия");
  CHECK(pf(0, "doctors") == "Алексеев;Петров");
  CHECK(pf(0, "home_branch") == "Север");  // 2 visits against Центр's 1
  CHECK(pf(0, "branch") == "Центр");
  CHECK(pf(0, "categories") == "VIP;детский");
  CHECK(pf(0, "has_phone") == "true");
  CHECK(pf(0, "upcoming") == "true");
  CHECK(pf(0, "activity") == "active");  // first 171 ≥ 90 days ago, last 10 < 180
  CHECK(pf(0, "m_class") == "");
  CHECK(pf(0, "Любимый_цвет") == "синий");
  CHECK(pf(0, "note") == "позвонить");
  CHECK(pf(0, "дата_акции") == "2026-05-01");  // the --from column, as text
  CHECK(pf(0, "email") == "");

  // 102: nothing known → missing values print empty; counts and money of no visits are 0.
  for (const char* n : {"gender",
                        "birth_date",
                        "age",
                        "birth_month",
                        "birth_day",
                        "days_to_birthday",
                        "registered",
                        "sms_consent",
                        "purchased",
                        "first_visit",
                        "last_visit",
                        "days_since_first_visit",
                        "days_since_last_visit",
                        "avg_check",
                        "services",
                        "doctors",
                        "categories",
                        "phone",
                        "Любимый цвет",
                        "note",
                        "m_class"}) {
    CAPTURE(std::string(n));
    CHECK(pf(1, n) == "");
  }
  CHECK(pf(1, "visits") == "0");
  CHECK(pf(1, "spent") == "0.00");
  CHECK(pf(1, "has_phone") == "false");
  CHECK(pf(1, "upcoming") == "false");
  CHECK(pf(1, "activity") == "prospect");
  CHECK(pf(1, "home_branch") == "Юг");

  // 103
  CHECK(pf(2, "gender") == "M");
  CHECK(pf(2, "age") == "36");  // birthday today
  CHECK(pf(2, "days_to_birthday") == "0");
  CHECK(pf(2, "activity_date") == "2026-05-01");
  CHECK(pf(2, "sms_consent") == "false");
  CHECK(pf(2, "purchased") == "true");
  CHECK(pf(2, "visits") == "2");
  CHECK(pf(2, "spent") == "-1.01");
  CHECK(pf(2, "avg_check") == "-0.51");
  CHECK(pf(2, "last_visit") == "2025-01-02");  // the refund is not a visit date
  CHECK(pf(2, "activity") == "sleeping");      // 2025-01-02 → 2026-06-30 is 544 days
  CHECK(pf(2, "m_class") == "M-D");            // a former patient with a phone, no need
  CHECK(pf(2, "home_branch") == "");

  // 104
  CHECK(pf(3, "spent") == "1.01");
  CHECK(pf(3, "avg_check") == "0.51");
  CHECK(pf(3, "activity") == "new");
}
