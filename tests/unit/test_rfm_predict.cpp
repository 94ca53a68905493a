// rfm --predict / --model rules (rules/rfm_predict): each patient's (x, t_x, T, repeat value)
// from the fold, the degenerate populations, the --model row and the list cells.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cmath>
#include <vector>

#include "fixtures.h"
#include "io/table_writer.h"
#include "model/date.h"
#include "model/errors.h"
#include "rules/rfm_predict.h"

using namespace kartoteka;

namespace {

const Day kAsOf = days_from_ymd(2026, 11, 22);

VisitRow row(uint32_t patient, int days_ago, Kopecks kopecks, Status status = Status::Completed) {
  VisitRow r;
  r.patient = patient;
  r.date = kAsOf - days_ago;
  r.amount = kopecks;
  r.status = status;
  return r;
}

VisitFold fold_of(size_t patients, const std::vector<VisitRow>& rows, Day since = kNoDay) {
  StatsNeeds needs;
  needs.visit_values = true;
  needs.since = since;
  return test::fold_visits(patients, kAsOf, needs, rows);
}

}  // namespace

TEST_CASE("patient history: visit days, weeks, the repeat days' value") {
  // Patient 0, rows out of date order: 100 days ago 2 rows (10.00 + 5.00), 30 days ago 40.00 and
  // a refund −40.00 the same day (a refund is no visit and no value), 10 days ago 0.00 (a visit
  // day worth nothing), a cancelled row 5 days ago (not counted), a row after as-of (not
  // counted). Visit days: 100, 30, 10 ago → x = 2, t_x = 90 days, T = 100 days; repeat value
  // 40.00 + 0.00.
  const VisitFold f = fold_of(
      2, {row(0, 30, 4000), row(0, 100, 1000), row(0, 10, 0), row(0, 100, 500), row(0, 30, -4000),
          row(0, 5, 9900, Status::Cancelled), row(0, -3, 9900), row(1, 7, -100)});
  const PatientHistory h = patient_history(f, 0);
  CHECK(h.has_visits);
  CHECK(h.x == 2);
  CHECK(h.t_x_days == 90);
  CHECK(h.T_days == 100);
  CHECK(h.repeat_value == 4000);
  // Patient 1 has only a refund: no visits.
  CHECK_FALSE(patient_history(f, 1).has_visits);

  // Many days out of order (the third distinct day moves the list out of the fold's slot):
  // 5, 50, 20, 5, 40, 50, 1 days ago → days {50, 40, 20, 5, 1}: x = 4, t_x = 49, T = 50; the
  // first day (50 ago) is worth 2.00 + 3.00, the rest 1.00 + 4.00 + 1.00 + 6.00 + 7.00.
  const VisitFold g = fold_of(1, {row(0, 5, 100), row(0, 50, 200), row(0, 20, 400), row(0, 5, 100),
                                  row(0, 40, 600), row(0, 50, 300), row(0, 1, 700)});
  const PatientHistory m = patient_history(g, 0);
  CHECK(m.x == 4);
  CHECK(m.t_x_days == 49);
  CHECK(m.T_days == 50);
  CHECK(m.repeat_value == 1900);

  // --since drops the first day: visit days 30 and 10 ago → x = 1, t_x = 20, T = 30, value 0.00.
  const PatientHistory s = patient_history(
      fold_of(1, {row(0, 30, 4000), row(0, 100, 1000), row(0, 10, 0)}, kAsOf - 50), 0);
  CHECK(s.x == 1);
  CHECK(s.t_x_days == 20);
  CHECK(s.T_days == 30);
  CHECK(s.repeat_value == 0);
}

TEST_CASE("degenerate populations: warnings, empty cells, never a number") {
  // 9 patients with visits (< 10): neither model.
  std::vector<VisitRow> rows;
  for (uint32_t p = 0; p < 9; ++p) rows.push_back(row(p, 10 + p, 1000));
  const VisitFold f = fold_of(9, rows);
  const RfmModels m = fit_rfm_models(f);
  CHECK(m.patients == 9);
  CHECK(m.repeat_patients == 0);
  CHECK_FALSE(m.bgnbd);
  CHECK_FALSE(m.gamma_gamma);
  REQUIRE(m.warnings.size() == 2);
  CHECK(m.warnings[0].find("BG/NBD") == 0);
  CHECK(m.warnings[1].find("Gamma-Gamma") == 0);
  const Table t = rfm_model_table(m);
  CHECK(t.rows.at(0) == std::vector<std::string>{"9", "0", "", "", "", "", "", "", "", "", ""});
  const RfmPredictor pr(m, f, 30);
  std::vector<std::string> cells(3, "x");
  pr.fill(0, cells, 0);
  CHECK(cells == std::vector<std::string>{"", "", ""});
}

TEST_CASE("predictions: cells as the models compute them") {
  // 40 patients: every fourth comes once, the others every 7·k days for k = 1…4 visits.
  std::vector<VisitRow> rows;
  for (uint32_t p = 0; p < 40; ++p) {
    const int first = 200 + static_cast<int>(p) * 3;
    rows.push_back(row(p, first, 2000 + 100 * p));
    if (p % 4 == 0) continue;
    for (uint32_t k = 1; k <= p % 4 + (p % 3); ++k)
      rows.push_back(row(p, first - static_cast<int>(k * 7 * (1 + p % 5)), 1500 + 50 * k));
  }
  const VisitFold f = fold_of(40, rows);
  const RfmModels m = fit_rfm_models(f);
  REQUIRE(m.bgnbd);
  CHECK(m.patients == 40);
  CHECK(m.repeat_patients == 30);
  const RfmPredictor pr(m, f, 91);
  for (uint32_t p : {0u, 5u}) {
    const PatientHistory h = patient_history(f, p);
    const BgnbdParams& bp = m.bgnbd->params;
    const double want_p = bgnbd_p_alive(bp, h.x, h.t_x_days / 7.0, h.T_days / 7.0);
    const double want_e = bgnbd_expected(bp, h.x, h.t_x_days / 7.0, h.T_days / 7.0, 13);
    const RfmPrediction got = pr.predict(p);
    CHECK(*got.p_alive == want_p);
    CHECK(*got.expected_visits == doctest::Approx(want_e));
    std::vector<std::string> cells(3);
    pr.fill(p, cells, 0);
    CHECK(cells[0] == fmt::format("{:.4f}", want_p));
    CHECK(cells[1] == fmt::format("{:.2f}", want_e));
    if (m.gamma_gamma) {
      const double check =
          gamma_gamma_expected(m.gamma_gamma->params, h.x, h.x ? h.repeat_value / 100.0 / h.x : 0);
      CHECK(*got.expected_revenue == std::llround(want_e * check * 100));
    }
  }
  // A one-visit patient: alive by the model.
  CHECK(*pr.predict(0).p_alive == 1);
}

TEST_CASE("--predict DAYS") {
  CHECK(parse_predict_days("0") == 0);
  CHECK(parse_predict_days("365") == 365);
  for (const char* bad : {"", "-1", "1.5", "abc", "36501", "10d"})
    CHECK_THROWS_AS(parse_predict_days(bad), UsageError);
}

TEST_CASE("numeric columns of --predict and --model (§8.51)") {
  for (const char* t : {"p_alive", "expected_visits", "expected_revenue", "p_alive_avg",
                        "expected_visits_sum", "expected_revenue_sum", "alpha", "a", "b",
                        "bgnbd_log_likelihood", "p", "q", "gamma", "gg_log_likelihood"})
    CHECK(is_numeric(default_column(t).kind));
  // Decimals (§8.51), the revenues money (§8.61).
  CHECK(default_column("p_alive").kind == ColumnKind::Decimal);
  CHECK(default_column("expected_revenue").kind == ColumnKind::Money);
  CHECK(default_column("expected_revenue_sum").kind == ColumnKind::Money);
  CHECK(default_column("repeat_patients").kind == ColumnKind::Integer);
  CHECK(default_column("r").kind ==
        ColumnKind::Integer);  // the RFM score's title; --model states its own
}
