#include <doctest/doctest.h>

#include <array>
#include <limits>
#include <string>
#include <vector>

#include "fixtures.h"
#include "model/date.h"
#include "model/errors.h"
#include "rules/rfm.h"

using namespace kartoteka;

namespace {

const Day kAsOf = days_from_ymd(2026, 11, 22);

PatientTable make_patients(const std::vector<std::string>& ids) {
  PatientTable pt;
  for (const auto& id : ids)
    test::add_patient(pt, {{PText::id, id}, {PText::name, id}});  // the name is only printed
  return pt;
}

// A completed visit of `patient`, `days_ago` days before as-of, paying `kopecks`.
VisitRow visit(uint32_t patient, int days_ago, Kopecks kopecks = 0) {
  VisitRow r;
  r.patient = patient;
  r.date = kAsOf - days_ago;
  r.amount = kopecks;
  return r;
}

VisitFold fold_of(size_t patients, const std::vector<VisitRow>& rows, StatsNeeds needs = {}) {
  return test::fold_visits(patients, kAsOf, needs, rows);
}

RfmRow rfm_row(uint32_t patient, int32_t recency, uint32_t frequency, Kopecks monetary, uint8_t r,
               uint8_t f, uint8_t m) {
  RfmRow row;
  row.patient = patient, row.recency = recency, row.frequency = frequency;
  row.monetary = monetary, row.r = r, row.f = f, row.m = m;
  return row;
}

std::vector<std::string> id_column(const Table& t) {
  std::vector<std::string> ids;
  for (const auto& row : t.rows) ids.push_back(row[0]);
  return ids;
}

RfmEdges edges(std::string_view text, int scale = 0) {
  return parse_rfm_edges("--x-edges", text, scale);
}

}  // namespace

TEST_CASE("Decimal: parse, compare, floor_scaled") {
  CHECK(Decimal::parse("30"));
  CHECK(Decimal::parse("007.500")->int_digits == "7");
  CHECK(Decimal::parse("007.500")->frac_digits == "5");
  CHECK(Decimal::parse("-0.0")->negative == false);
  CHECK_FALSE(Decimal::parse(""));
  CHECK_FALSE(Decimal::parse(".5"));
  CHECK_FALSE(Decimal::parse("5."));
  CHECK_FALSE(Decimal::parse("1e3"));
  CHECK_FALSE(Decimal::parse("1,5"));
  CHECK(compare(*Decimal::parse("0.5"), *Decimal::parse("0.49")) == 1);
  CHECK(compare(*Decimal::parse("10"), *Decimal::parse("9.99")) == 1);
  CHECK(compare(*Decimal::parse("-10"), *Decimal::parse("-9")) == -1);
  CHECK(compare(*Decimal::parse("2.50"), *Decimal::parse("2.5")) == 0);
  // 5000.005 rubles: floor(500000.5) = 500000 kopecks; -1.5 days: floor = -2.
  CHECK(Decimal::parse("5000.005")->floor_scaled(2) == 500000);
  CHECK(Decimal::parse("-1.5")->floor_scaled(0) == -2);
  CHECK(Decimal::parse("12.3")->floor_scaled(2) == 1230);
}

TEST_CASE("parse_rfm_edges: 4 strictly increasing numbers, else usage error") {
  CHECK(edges("30,90,180,365").at_most == std::array<int64_t, 4>{30, 90, 180, 365});
  CHECK(edges("1.5, 2.5,4,8").at_most == std::array<int64_t, 4>{1, 2, 4, 8});
  // Rubles to kopecks: 5000 ₽ = 500000 kop., 0.5 ₽ = 50 kop.
  CHECK(edges("0.5,5000,15000.25,40000", 2).at_most ==
        std::array<int64_t, 4>{50, 500000, 1500025, 4000000});
  CHECK_THROWS_AS(edges("30,20,10,5"), UsageError);
  CHECK_THROWS_AS(edges("1,2,2,3"), UsageError);
  CHECK_THROWS_AS(edges("1,2,3"), UsageError);
  CHECK_THROWS_AS(edges("1,2,3,4,5"), UsageError);
  CHECK_THROWS_AS(edges("1,2,x,4"), UsageError);
  CHECK_THROWS_AS(edges("1,,3,4"), UsageError);
  CHECK_THROWS_AS(edges(""), UsageError);
  // 1.5 and 1.7 both floor to 1 day but are strictly increasing numbers: accepted.
  CHECK(edges("1.5,1.7,3,4").at_most == std::array<int64_t, 4>{1, 1, 3, 4});
}

TEST_CASE("rank_scores: ties score alike, also across a quintile boundary") {
  // N = 10: score = 1 + floor(5·below/10) = 1 + floor(below/2). The two 3s sit at sorted positions
  // 1 and 2; position 2 alone would score 2, but both have below = 1 → 1.
  std::vector<int64_t> v = {1, 3, 3, 4, 5, 6, 7, 8, 9, 10};
  // below = 0,1,1,3,4,5,6,7,8,9 → 1,1,1,2,3,3,4,4,5,5
  CHECK(rank_scores(v) == std::vector<uint8_t>{1, 1, 1, 2, 3, 3, 4, 4, 5, 5});
  CHECK(rank_scores({7}) == std::vector<uint8_t>{1});
  CHECK(rank_scores({7, 7, 7}) == std::vector<uint8_t>{1, 1, 1});
  CHECK(rank_scores({}).empty());
}

TEST_CASE("rank_cuts: the ⌈k·N/5⌉-th smallest values, and scores from them") {
  // N = 10: t = 2, 4, 6, 8 → cuts are the 2nd, 4th, 6th, 8th smallest of 1,3,3,4,5,6,7,8,9,10.
  RankCuts c = rank_cuts({10, 9, 8, 7, 6, 5, 4, 3, 3, 1});
  CHECK(c.cut == std::array<int64_t, 4>{3, 4, 6, 8});
  CHECK(c.score(3) == 1);  // not above any cut
  CHECK(c.score(4) == 2);
  CHECK(c.score(9) == 5);
  // N = 1: t = 1 for every k (⌈k/5⌉), the one value is every cut and scores 1.
  CHECK(rank_cuts({7}).cut == std::array<int64_t, 4>{7, 7, 7, 7});
  // N = 7: t = ⌈7/5⌉ = 2, ⌈14/5⌉ = 3, ⌈21/5⌉ = 5, ⌈28/5⌉ = 6.
  CHECK(rank_cuts({70, 10, 60, 20, 50, 30, 40}).cut == std::array<int64_t, 4>{20, 30, 50, 60});
  // Against the formula 1 + floor(5·below/N) by hand, negated recencies, N = 5:
  // below = 0,1,1,3,4 → 1,2,2,4,5.
  CHECK(rank_scores({-30, -20, -20, -5, -1}) == std::vector<uint8_t>{1, 2, 2, 4, 5});
  // Kopecks across 10^15 and the ends of int64: values 9e14 (below 4), -1e15 (0), 0 (1), 7 (2),
  // 7 (2) → 5, 1, 2, 3, 3; min and max side by side, N = 2: below 1 → 1 + 5/2 = 3, below 0 → 1.
  CHECK(rank_scores({900000000000000, -1000000000000000, 0, 7, 7}) ==
        std::vector<uint8_t>{5, 1, 2, 3, 3});
  const int64_t lo = std::numeric_limits<int64_t>::min(), hi = std::numeric_limits<int64_t>::max();
  CHECK(rank_scores({hi, lo}) == std::vector<uint8_t>{3, 1});
}

TEST_CASE("rank_scores: the §6.2 formula counted pair by pair, on many small populations") {
  // below(p) counted over every q, as the spec states it; ties come from the small value range.
  uint64_t x = 12345;
  for (int trial = 0; trial < 300; ++trial) {
    std::vector<int64_t> v(1 + trial % 37);
    for (auto& e : v) {
      x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      e = static_cast<int64_t>(x >> 59) - 10;  // -10 … 21
    }
    std::vector<uint8_t> want(v.size());
    for (size_t p = 0; p < v.size(); ++p) {
      uint64_t below = 0;
      for (int64_t q : v) below += q < v[p];
      want[p] = static_cast<uint8_t>(1 + 5 * below / v.size());
    }
    CHECK(rank_scores(v) == want);
  }
}

TEST_CASE("score_rfm: rank scores with a tie for each of r, f and m") {
  PatientTable pt = make_patients({"A", "B", "C", "D", "E"});
  // A: 3 visits, last 10 days ago, 100.00; B: 1 visit 20 days ago, 300.00;
  // C: 2 visits, last 20 days ago, 300.00; D: 2 visits, last 40 days ago, 50.00;
  // E: 5 visits, last 50 days ago, 300.00.
  VisitFold f =
      fold_of(5, {visit(0, 10, 10000), visit(0, 11), visit(0, 12), visit(1, 20, 30000),
                  visit(2, 20, 30000), visit(2, 30), visit(3, 40, 5000), visit(3, 41),
                  visit(4, 50, 30000), visit(4, 51), visit(4, 52), visit(4, 53), visit(4, 54)});
  auto rows = score_rfm(f, {0, 1, 2, 3, 4}, {});
  REQUIRE(rows.size() == 5);
  // N = 5, so a score is 1 + the count.
  // r: #{recency greater}: A(10) 4 → 5; B, C (20, tie) 2 → 3; D(40) 1 → 2; E(50) 0 → 1.
  // f: #{frequency less}: B(1) 0 → 1; C, D (2, tie) 1 → 2; A(3) 3 → 4; E(5) 4 → 5.
  // m: #{monetary less}: D(50) 0 → 1; A(100) 1 → 2; B, C, E (300, tie) 2 → 3.
  struct Want {
    int64_t recency, frequency;
    Kopecks monetary;
    int r, f, m;
  };
  std::vector<Want> want = {{10, 3, 10000, 5, 4, 2},
                            {20, 1, 30000, 3, 1, 3},
                            {20, 2, 30000, 3, 2, 3},
                            {40, 2, 5000, 2, 2, 1},
                            {50, 5, 30000, 1, 5, 3}};
  for (size_t i = 0; i < 5; ++i) {
    CAPTURE(i);
    CHECK(rows[i].patient == i);
    CHECK(rows[i].recency == want[i].recency);
    CHECK(rows[i].frequency == want[i].frequency);
    CHECK(rows[i].monetary == want[i].monetary);
    CHECK(int(rows[i].r) == want[i].r);
    CHECK(int(rows[i].f) == want[i].f);
    CHECK(int(rows[i].m) == want[i].m);
  }
}

TEST_CASE("score_rfm: population without visits and --from subsets") {
  PatientTable pt = make_patients({"A", "B", "C"});
  // B has only a refund: no visit, so not in N. C is outside the population.
  VisitFold f = fold_of(3, {visit(0, 5, 100), visit(1, 5, -100), visit(2, 1, 900)});
  auto rows = score_rfm(f, {0, 1}, {});
  REQUIRE(rows.size() == 1);
  // N = 1: nobody is above or below → 1,1,1.
  CHECK(rows[0].patient == 0);
  CHECK(int(rows[0].r) == 1);
  CHECK(score_rfm(f, {}, {}).empty());
}

TEST_CASE("fixed edges: a value exactly on an edge takes that edge's score") {
  RfmEdges r = edges("30,90,180,365"), fq = edges("1,2,4,8"),
           m = edges("5000,15000,40000,100000", 2);
  // r = 6 − score: ≤ 30 → 5, ≤ 90 → 4, ≤ 180 → 3, ≤ 365 → 2, else 1.
  CHECK(6 - edge_score(30, r) == 5);
  CHECK(6 - edge_score(31, r) == 4);
  CHECK(6 - edge_score(90, r) == 4);
  CHECK(6 - edge_score(180, r) == 3);
  CHECK(6 - edge_score(365, r) == 2);
  CHECK(6 - edge_score(366, r) == 1);
  CHECK(6 - edge_score(0, r) == 5);
  CHECK(edge_score(1, fq) == 1);
  CHECK(edge_score(2, fq) == 2);
  CHECK(edge_score(4, fq) == 3);
  CHECK(edge_score(8, fq) == 4);
  CHECK(edge_score(9, fq) == 5);
  // 5000.00 ₽ = 500000 kop. is on the first edge; one kopeck more is past it.
  CHECK(edge_score(500000, m) == 1);
  CHECK(edge_score(500001, m) == 2);
  CHECK(edge_score(10000000, m) == 4);
  CHECK(edge_score(10000001, m) == 5);
  CHECK(edge_score(-500, m) == 1);  // a net refund is below every edge

  PatientTable pt = make_patients({"A"});
  VisitFold f = fold_of(1, {visit(0, 30, 500000)});
  RfmOptions o{r, fq, m};
  auto rows = score_rfm(f, {0}, o);
  CHECK(int(rows[0].r) == 5);
  CHECK(int(rows[0].f) == 1);
  CHECK(int(rows[0].m) == 1);
}

TEST_CASE("rfm_segment: every cell of the R/F grid") {
  // Rows r = 1…5, columns f = 1…5, as §6.2 lists them.
  const char* want[5][5] = {
      {"hibernating", "hibernating", "at_risk", "at_risk", "cant_lose"},
      {"hibernating", "hibernating", "at_risk", "at_risk", "cant_lose"},
      {"about_to_sleep", "about_to_sleep", "need_attention", "loyal", "loyal"},
      {"promising", "potential_loyalist", "potential_loyalist", "loyal", "loyal"},
      {"new", "potential_loyalist", "potential_loyalist", "champions", "champions"},
  };
  for (int r = 1; r <= 5; ++r)
    for (int f = 1; f <= 5; ++f) {
      CAPTURE(r);
      CAPTURE(f);
      CHECK(kRfmSegments[rfm_segment(uint8_t(r), uint8_t(f))] == want[r - 1][f - 1]);
    }
}

TEST_CASE("format_average: decimals, half away from zero") {
  CHECK(format_average(5, 3, 1) == "1.7");     // 1.666…
  CHECK(format_average(14, 3, 2) == "4.67");   // 4.666…
  CHECK(format_average(1, 8, 2) == "0.13");    // 0.125 → up
  CHECK(format_average(-1, 8, 2) == "-0.13");  // −0.125 → away from zero
  CHECK(format_average(3, 2, 1) == "1.5");
  CHECK(format_average(4, 2, 0) == "2");
  CHECK(format_average(4, 0, 1) == "");
}

TEST_CASE("rfm_summary: order, rounding, empty segments") {
  // Three champions (5,5) and one hibernating (1,1).
  std::vector<RfmRow> rows = {rfm_row(0, 1, 4, 100, 5, 5, 5), rfm_row(1, 2, 5, 100, 5, 4, 1),
                              rfm_row(2, 2, 5, 101, 5, 5, 3), rfm_row(3, 900, 1, -3, 1, 1, 1)};
  Table t = rfm_summary(rows);
  CHECK(t.titles() == std::vector<std::string>{"segment", "patients", "share", "recency_days_avg",
                                               "frequency_avg", "monetary_sum", "monetary_avg"});
  REQUIRE(t.rows.size() == 10);
  for (size_t k = 0; k < 10; ++k) CHECK(t.rows[k][0] == kRfmSegments[k]);
  // champions: 3 of 4 = 75.0 %; recency (1+2+2)/3 = 1.666… → 1.7; frequency 14/3 → 4.67;
  // money 301 kop. → 3.01, average 100.33… → 100 kop. = 1.00.
  CHECK(t.rows[0] ==
        std::vector<std::string>{"champions", "3", "75.0", "1.7", "4.67", "3.01", "1.00"});
  // hibernating: 1 of 4 = 25.0 %; a net refund of 3 kop.
  CHECK(t.rows[9] ==
        std::vector<std::string>{"hibernating", "1", "25.0", "900.0", "1.00", "-0.03", "-0.03"});
  // An empty segment: patients 0, share 0.0, sum 0.00, empty averages (§8.25).
  CHECK(t.rows[1] == std::vector<std::string>{"loyal", "0", "0.0", "", "", "0.00", ""});

  Table empty = rfm_summary({});
  CHECK(empty.rows[0] == std::vector<std::string>{"champions", "0", "0.0", "", "", "0.00", ""});
}

TEST_CASE("rfm_summary: money average rounds half away from zero") {
  // Two patients with −1 and −2 kop.: −1.5 → −2 kop.
  std::vector<RfmRow> rows = {rfm_row(0, 1, 1, -1, 1, 1, 1), rfm_row(1, 1, 1, -2, 1, 1, 1)};
  CHECK(rfm_summary(rows).rows[9][6] == "-0.02");
}

TEST_CASE("rfm_list: sorted by rfm desc, monetary desc, id") {
  PatientTable pt = make_patients({"b", "a", "c", "d"});
  VisitFold f =
      fold_of(4, {visit(0, 1, 500), visit(1, 1, 500), visit(2, 1, 900), visit(3, 1, 100)});
  std::vector<RfmRow> rows = {rfm_row(0, 1, 1, 500, 3, 4, 5), rfm_row(1, 1, 1, 500, 3, 4, 5),
                              rfm_row(2, 1, 1, 900, 3, 4, 5), rfm_row(3, 1, 1, 100, 4, 1, 1)};
  Table t = collect_table([&](RowSink& out) { rfm_list(pt, f, rows, nullptr, out); });
  // 411 (d) first; then the three 345 by monetary desc (c 9.00), ties by id (a before b).
  CHECK(id_column(t) == std::vector<std::string>{"d", "c", "a", "b"});
  CHECK(t.rows[0] == std::vector<std::string>{"d", "d", "", "2026-11-21", "1", "1", "1.00", "4",
                                              "1", "1", "411", "promising"});
}

TEST_CASE("rfm_list: ties by id in byte order, also past the first 8 bytes") {
  // All four tie on rfm and monetary, so the ids alone decide, compared as bytes: "12345678" is
  // a prefix of the two longer ones (shorter first); "…9a" < "…9b" only at byte 10; "я" is
  // 0xD1 0x8F, above every ASCII byte.
  const std::vector<std::string> ids = {"123456789b", "я", "123456789a", "12345678"};
  PatientTable pt = make_patients(ids);
  VisitFold f =
      fold_of(4, {visit(0, 1, 500), visit(1, 1, 500), visit(2, 1, 500), visit(3, 1, 500)});
  std::vector<RfmRow> rows;
  for (uint32_t p = 0; p < 4; ++p) rows.push_back(rfm_row(p, 1, 1, 500, 3, 3, 3));
  Table t = collect_table([&](RowSink& out) { rfm_list(pt, f, rows, nullptr, out); });
  CHECK(id_column(t) == std::vector<std::string>{"12345678", "123456789a", "123456789b", "я"});
}
