#include "model/gamma_gamma.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>

#include "model/optimize.h"
#include "model/special.h"

namespace kartoteka {

void GammaGammaData::add(uint32_t x, int64_t total_kopecks, uint64_t count) {
  if (x == 0 || total_kopecks <= 0) throw std::out_of_range("Gamma-Gamma: a patient out of range");
  added_.push_back({x, total_kopecks, count});
  patients_ += count;
}

void GammaGammaData::append(const GammaGammaData& other) {
  added_.insert(added_.end(), other.added_.begin(), other.added_.end());
  patients_ += other.patients_;
}

void GammaGammaData::finish() {
  std::sort(added_.begin(), added_.end());
  // By total (rubles) for the per-total tables, by x for the per-x ones.
  std::vector<std::pair<double, std::pair<double, double>>> by_total;  // total, (n, n·x)
  for (const Added& a : added_) {
    const double x = a.x, n = static_cast<double>(a.count);
    const double total = static_cast<double>(a.total) / 100;
    const double m = total / x;
    if (xs_.empty() || xs_.back() != x) xs_.push_back(x), x_n_.push_back(0);
    x_n_.back() += n;
    sum_n_ln_m_ += n * std::log(m);
    sum_x_ln_xm_ += n * x * (std::log(m) + std::log(x));
    by_total.push_back({total, {n, n * x}});
  }
  std::sort(by_total.begin(), by_total.end());
  for (const auto& [total, nx] : by_total) {
    if (totals_.empty() || totals_.back() != total)
      totals_.push_back(total), total_n_.push_back(0), total_x_.push_back(0);
    total_n_.back() += nx.first;
    total_x_.back() += nx.second;
  }
}

GammaGammaData GammaGammaData::coarse() const {
  GammaGammaData out;
  for (const Added& a : added_) {
    int64_t unit = 1;
    while (a.total / unit >= 1000) unit *= 10;
    out.add(a.x, a.total / unit * unit + (a.total % unit >= (unit + 1) / 2 ? unit : 0), a.count);
  }
  out.finish();
  return out;
}

double GammaGammaData::log_likelihood(const GammaGammaParams& gp,
                                      std::array<double, 3>* grad) const {
  const double p = gp.p, q = gp.q, g = gp.gamma;
  if (!(p > 0 && q > 0 && g > 0)) return -INFINITY;
  const double n_all = static_cast<double>(patients_), lg_q = std::lgamma(q), ln_g = std::log(g);
  // (px − 1) ln m + px ln x summed: p·Σ x(ln m + ln x) − Σ ln m.
  double ll = n_all * (q * ln_g - lg_q) + p * sum_x_ln_xm_ - sum_n_ln_m_;
  double dp = sum_x_ln_xm_, dq = n_all * (ln_g - (grad ? digamma(q) : 0)), dg = n_all * q / g;
  for (size_t i = 0; i < xs_.size(); ++i) {
    const double x = xs_[i], n = x_n_[i];
    ll += n * (std::lgamma(p * x + q) - std::lgamma(p * x));
    if (grad) {
      const double ps = digamma(p * x + q);
      dp += n * x * (ps - digamma(p * x));
      dq += n * ps;
    }
  }
  for (size_t i = 0; i < totals_.size(); ++i) {
    const double l = std::log(g + totals_[i]), w = p * total_x_[i] + q * total_n_[i];
    ll -= w * l;
    if (grad) {
      dp -= total_x_[i] * l;
      dq -= total_n_[i] * l;
      dg -= w / (g + totals_[i]);
    }
  }
  if (grad) *grad = {p * dp, q * dq, g * dg};
  return ll;
}

GammaGammaFit fit_gamma_gamma(const GammaGammaData& data) {
  auto params = [](const std::vector<double>& t) {
    return GammaGammaParams{std::exp(t[0]), std::exp(t[1]), std::exp(t[2])};
  };
  const Objective f = log_likelihood_objective<3>(data, params);
  const std::vector<std::vector<double>> starts = {
      {0, 0, 0},
      {std::log(5.0), std::log(3.0), std::log(10.0)},
      {std::log(2.0), std::log(10.0), std::log(1000.0)}};
  // Many patients: the search runs on rounded totals first.
  std::optional<GammaGammaData> rough;
  Objective explore;
  if (data.patients() > 20000) {
    rough = data.coarse();
    explore = log_likelihood_objective<3>(*rough, params);
  }
  const MaximizeResult m = maximize(f, starts, {}, rough ? &explore : nullptr);
  return fit_from<GammaGammaFit>(m, params);
}

double gamma_gamma_expected(const GammaGammaParams& gp, double x, double m) {
  const double p = gp.p, q = gp.q, population = p * gp.gamma / (q - 1);
  if (x <= 0) return population;
  const double w = p * x + q - 1;
  return (q - 1) / w * population + p * x / w * m;
}

}  // namespace kartoteka
