#include "rules/rfm_predict.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdio>

#include "base/background.h"
#include "model/errors.h"

namespace kartoteka {
namespace {

// Fewer patients than this in a fit set: the model is not fitted (§6.2).
constexpr uint64_t kMinPatients = 10;

std::string g6(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

// Half away from zero to the kopeck (§8.58), from rubles.
Kopecks to_kopecks(double rubles) {
  return std::llround(rubles * 100);
}

}  // namespace

PatientHistory patient_history(const VisitFold& visits, uint32_t p) {
  PatientHistory h;
  const uint32_t days = visits.visit_days(p);
  if (days == 0) return h;
  const VisitStats& s = visits.stats(p);
  h.has_visits = true;
  h.x = days - 1;
  h.t_x_days = s.last_visit - s.first_visit;
  h.T_days = visits.as_of() - s.first_visit;
  h.repeat_value = visits.repeat_value(p);
  return h;
}

namespace {

// The fit sets, gathered on two threads (a million patients' tallies are a cache miss each):
// each half fills data of its own, then the halves are merged in order.
struct FitSets {
  BgnbdData bg;
  GammaGammaData gg;
};

void gather(const VisitFold& visits, uint32_t from, uint32_t to, FitSets& out) {
  for (uint32_t p = from; p < to; ++p) {
    const PatientHistory h = patient_history(visits, p);
    if (!h.has_visits) continue;
    out.bg.add(h.x, h.t_x_days, h.T_days);
    if (h.x > 0 && h.repeat_value > 0) out.gg.add(h.x, h.repeat_value);
  }
}

std::optional<BgnbdFit> fit_bg(BgnbdData& bg, std::vector<std::string>& warnings) {
  const std::string empty = "p_alive, expected_visits and expected_revenue are empty";
  if (bg.patients() < kMinPatients) {
    warnings.push_back(fmt::format("BG/NBD: {} patients with visits, fewer than {}: {}",
                                   bg.patients(), kMinPatients, empty));
    return std::nullopt;
  }
  bg.finish();
  BgnbdFit fit = fit_bgnbd(bg);
  if (fit.converged) return fit;
  warnings.push_back(
      fmt::format("BG/NBD: the fit did not converge (gradient norm {:.3g} after {} iterations): {}",
                  fit.gradient_norm, fit.iterations, empty));
  return std::nullopt;
}

std::optional<GammaGammaFit> fit_gg(GammaGammaData& gg, std::vector<std::string>& warnings) {
  const std::string empty = "expected_revenue is empty";
  if (gg.patients() < kMinPatients) {
    warnings.push_back(fmt::format(
        "Gamma-Gamma: {} patients with repeat visits of positive value, fewer than {}: {}",
        gg.patients(), kMinPatients, empty));
    return std::nullopt;
  }
  gg.finish();
  GammaGammaFit fit = fit_gamma_gamma(gg);
  if (!fit.converged)
    warnings.push_back(fmt::format(
        "Gamma-Gamma: the fit did not converge (gradient norm {:.3g} after {} iterations): {}",
        fit.gradient_norm, fit.iterations, empty));
  else if (fit.params.q <= 1)
    warnings.push_back(fmt::format("Gamma-Gamma: q = {} ≤ 1, the mean spend is infinite: {}",
                                   g6(fit.params.q), empty));
  else
    return fit;
  return std::nullopt;
}

}  // namespace

RfmModels fit_rfm_models(const VisitFold& visits) {
  RfmModels out;
  const auto n = static_cast<uint32_t>(visits.size()), mid = n / 2;
  FitSets lo, hi;
  {
    Background other([&] { gather(visits, mid, n, hi); });
    gather(visits, 0, mid, lo);
    other.join();
  }
  lo.bg.append(hi.bg);
  lo.gg.append(hi.gg);
  out.patients = lo.bg.patients();
  out.repeat_patients = lo.gg.patients();
  // The two fits are independent: Gamma-Gamma's runs beside BG/NBD's.
  std::vector<std::string> gg_warnings;
  Background spend([&] { out.gamma_gamma = fit_gg(lo.gg, gg_warnings); });
  out.bgnbd = fit_bg(lo.bg, out.warnings);
  spend.join();
  out.warnings.insert(out.warnings.end(), gg_warnings.begin(), gg_warnings.end());
  return out;
}

Table rfm_model_table(const RfmModels& m) {
  // §8.51: every column but the two counts is decimal — `r` here is the BG/NBD parameter, not
  // the RFM score of the list's `r`.
  Table t;
  t.columns = {col::count("patients"), col::count("repeat_patients")};
  for (const char* title :
       {"r", "alpha", "a", "b", "bgnbd_log_likelihood", "p", "q", "gamma", "gg_log_likelihood"})
    t.columns.push_back(col::decimal(title));
  std::vector<std::string> row = {std::to_string(m.patients), std::to_string(m.repeat_patients)};
  if (m.bgnbd) {
    const BgnbdParams& p = m.bgnbd->params;
    for (double v : {p.r, p.alpha, p.a, p.b}) row.push_back(g6(v));
    row.push_back(fmt::format("{:.2f}", m.bgnbd->log_likelihood));
  } else {
    row.resize(row.size() + 5);
  }
  if (m.gamma_gamma) {
    const GammaGammaParams& p = m.gamma_gamma->params;
    for (double v : {p.p, p.q, p.gamma}) row.push_back(g6(v));
    row.push_back(fmt::format("{:.2f}", m.gamma_gamma->log_likelihood));
  } else {
    row.resize(row.size() + 4);
  }
  t.rows.push_back(std::move(row));
  return t;
}

RfmPredictor::RfmPredictor(const RfmModels& models, const VisitFold& visits, int64_t days)
    : models_(models), visits_(visits), weeks_(static_cast<double>(days) / 7) {}

RfmPrediction RfmPredictor::predict(uint32_t patient) const {
  RfmPrediction out;
  const PatientHistory h = patient_history(visits_, patient);
  if (!models_.bgnbd || !h.has_visits) return out;
  const BgnbdParams& bp = models_.bgnbd->params;
  const double x = h.x, t_x = h.t_x_days / 7.0, T = h.T_days / 7.0;
  out.p_alive = bgnbd_p_alive(bp, x, t_x, T);
  out.expected_visits = bgnbd_expected(bp, x, t_x, T, weeks_);
  if (models_.gamma_gamma) {
    // A patient outside the Gamma-Gamma fit set (x = 0, or repeat value ≤ 0) gets the
    // population mean (§8.58).
    const bool own = h.x > 0 && h.repeat_value > 0;
    const double check = gamma_gamma_expected(models_.gamma_gamma->params, own ? x : 0,
                                              own ? h.repeat_value / 100.0 / x : 0);
    out.expected_revenue = to_kopecks(*out.expected_visits * check);
  }
  return out;
}

void add_predict_columns(std::vector<Column>& columns) {
  columns.insert(columns.end(), {col::decimal("p_alive"), col::decimal("expected_visits"),
                                 col::money("expected_revenue")});
}

void RfmPredictor::fill(uint32_t patient, std::vector<std::string>& cells, size_t at) const {
  const RfmPrediction p = predict(patient);
  cells[at].clear(), cells[at + 1].clear(), cells[at + 2].clear();
  if (p.p_alive) fmt::format_to(std::back_inserter(cells[at]), "{:.4f}", *p.p_alive);
  if (p.expected_visits)
    fmt::format_to(std::back_inserter(cells[at + 1]), "{:.2f}", *p.expected_visits);
  if (p.expected_revenue) append_money(cells[at + 2], *p.expected_revenue);
}

void add_predict_summary(Table& summary, const std::vector<RfmRow>& rows,
                         const RfmPredictor& predictor) {
  struct Acc {
    int64_t patients = 0;
    double p_alive = 0, visits = 0;
    Kopecks revenue = 0;
  };
  using Accs = std::array<Acc, kRfmSegments.size()>;
  // Each row's prediction costs a series: the rows in two fixed halves on two threads, the
  // halves' sums then added in order (the same result on every run).
  auto sum = [&](size_t from, size_t to, Accs& acc) {
    for (size_t i = from; i < to; ++i) {
      const RfmRow& row = rows[i];
      Acc& a = acc[rfm_segment(row.r, row.f)];
      const RfmPrediction p = predictor.predict(row.patient);
      ++a.patients;
      if (p.p_alive) a.p_alive += *p.p_alive, a.visits += *p.expected_visits;
      if (p.expected_revenue) a.revenue += *p.expected_revenue;
    }
  };
  Accs acc{}, hi{};
  {
    Background other([&] { sum(rows.size() / 2, rows.size(), hi); });
    sum(0, rows.size() / 2, acc);
    other.join();
  }
  for (size_t k = 0; k < acc.size(); ++k) {
    acc[k].patients += hi[k].patients;
    acc[k].p_alive += hi[k].p_alive;
    acc[k].visits += hi[k].visits;
    acc[k].revenue += hi[k].revenue;
  }
  // A model that is unusable leaves its columns empty; one that is usable gives an empty
  // segment sums 0.00 and an empty average (§8.58).
  const bool bg = predictor.visits_usable(), gg = predictor.revenue_usable();
  summary.columns.insert(summary.columns.end(),
                         {col::decimal("p_alive_avg"), col::decimal("expected_visits_sum"),
                          col::money("expected_revenue_sum")});
  for (size_t k = 0; k < summary.rows.size() && k < acc.size(); ++k) {
    const Acc& a = acc[k];
    std::vector<std::string>& row = summary.rows[k];
    row.push_back(bg && a.patients > 0 ? fmt::format("{:.4f}", a.p_alive / a.patients) : "");
    row.push_back(bg ? fmt::format("{:.2f}", a.visits) : "");
    row.push_back(gg ? format_money(a.revenue) : "");
  }
}

int64_t parse_predict_days(const std::string& text) {
  int64_t days = -1;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, days);
  if (ec != std::errc() || ptr != end || days < 0 || days > 36500)
    throw UsageError(
        fmt::format("--predict {}: expected a whole number of days from 0 to 36500", text));
  return days;
}

}  // namespace kartoteka
