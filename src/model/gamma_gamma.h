// The Gamma-Gamma model of spend per visit (Fader, Hardie & Lee 2005, "RFM and CLV", JMR 42(4);
// Fader & Hardie, "The Gamma-Gamma Model of Monetary Value"; SPEC §6.2): a patient's visit values
// are Gamma(p, ν) with ν ~ Gamma(q, gamma) across patients; the data are x repeat visits and
// their mean value m (in rubles), for patients with x > 0 and m > 0.
//
// Patients are grouped by x and by the repeat total x·m (whole kopecks): the lgamma terms are
// taken once per distinct x, ln(gamma + x·m) once per distinct total.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "model/fit.h"

namespace kartoteka {

struct GammaGammaParams {
  double p = 1, q = 1, gamma = 1;
};

class GammaGammaData {
 public:
  // A patient with x > 0 repeat visits worth `total_kopecks` > 0 in all (m = total / x).
  void add(uint32_t x, int64_t total_kopecks, uint64_t count = 1);
  void append(const GammaGammaData& other);  // both not yet finished
  void finish();                             // call once before log_likelihood()
  uint64_t patients() const { return patients_; }
  // The same patients with each repeat total rounded to 3 significant digits (a finished copy
  // with fewer groups, for a first search of the parameters).
  GammaGammaData coarse() const;

  // Σ ln f(m | p, q, gamma; x) as the note writes it:
  //   ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln m + px ln x − (px+q) ln(γ + m·x).
  // With `grad`, also ∂/∂ln(p, q, gamma).
  double log_likelihood(const GammaGammaParams& p, std::array<double, 3>* grad = nullptr) const;

 private:
  struct Added {
    uint32_t x;
    int64_t total;  // kopecks
    uint64_t count;
    bool operator<(const Added& o) const { return x != o.x ? x < o.x : total < o.total; }
  };
  std::vector<Added> added_;
  uint64_t patients_ = 0;
  std::vector<double> xs_, x_n_;           // distinct x, patients with it
  double sum_n_ln_m_ = 0;                  // Σ ln m
  double sum_x_ln_xm_ = 0;                 // Σ x (ln m + ln x)
  std::vector<double> totals_;             // distinct x·m (rubles)
  std::vector<double> total_n_, total_x_;  // patients with it, Σ x over them
};

using GammaGammaFit = Fit<GammaGammaParams>;
GammaGammaFit fit_gamma_gamma(const GammaGammaData& data);

// E[M | x, m] (§6.2): the weighted mean of the population mean p·γ/(q−1) and the patient's m;
// for x = 0 the population mean. Needs q > 1.
double gamma_gamma_expected(const GammaGammaParams& p, double x, double m);

}  // namespace kartoteka
