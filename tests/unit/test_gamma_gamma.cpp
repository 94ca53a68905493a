// Gamma-Gamma (model/gamma_gamma) and the optimiser (model/optimize): the likelihood against the
// note's formula written out per patient, the expected check by hand, a fit that recovers simulated
// parameters, and the optimiser on functions whose maximum is known.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <vector>

#include "model/gamma_gamma.h"
#include "model/optimize.h"

using namespace kartoteka;

namespace {

// Fader & Hardie's note, as written, per patient: ln of
//   Γ(px+q)/(Γ(px)Γ(q)) · γ^q · m^(px−1) · x^(px) / (γ + m·x)^(px+q)
// (the model sums it by x and by total instead).
double note_ll(const GammaGammaParams& g, double x, double m) {
  using std::lgamma;
  const double px = g.p * x;
  return lgamma(px + g.q) - lgamma(px) - lgamma(g.q) + g.q * std::log(g.gamma) +
         (px - 1) * std::log(m) + px * std::log(x) - (px + g.q) * std::log(g.gamma + m * x);
}

}  // namespace

TEST_CASE("Gamma-Gamma log-likelihood: the note's formula, three patients") {
  GammaGammaData d;
  d.add(1, 2500);     // x = 1, m = 25.00
  d.add(3, 9000, 2);  // two with x = 3, m = 30.00
  d.add(12, 123456);  // x = 12, m = 102.88
  d.finish();
  CHECK(d.patients() == 4);
  const GammaGammaParams g{6.25, 3.74, 15.44};
  const double want = note_ll(g, 1, 25) + 2 * note_ll(g, 3, 30) + note_ll(g, 12, 1234.56 / 12);
  CHECK(d.log_likelihood(g) == doctest::Approx(want).epsilon(1e-12));

  // The gradient w.r.t. log-parameters against central differences.
  std::array<double, 3> grad{};
  d.log_likelihood(g, &grad);
  for (int k = 0; k < 3; ++k) {
    auto at = [&](double s) {
      GammaGammaParams q = g;
      double* v[] = {&q.p, &q.q, &q.gamma};
      *v[k] *= std::exp(s);
      return d.log_likelihood(q);
    };
    CHECK(grad[k] == doctest::Approx((at(1e-6) - at(-1e-6)) / 2e-6).epsilon(1e-6));
  }
}

TEST_CASE("Gamma-Gamma expected check: hand calculation") {
  // p = 6, q = 4, gamma = 15: population mean 6·15/3 = 30. x = 2, m = 20: weights
  // (q−1)/(px+q−1) = 3/15 and px/(px+q−1) = 12/15 → 6 + 16 = 22.
  const GammaGammaParams g{6, 4, 15};
  CHECK(gamma_gamma_expected(g, 2, 20) == doctest::Approx(22));
  CHECK(gamma_gamma_expected(g, 0, 0) == doctest::Approx(30));
}

TEST_CASE("Gamma-Gamma fit recovers simulated parameters") {
  // 3000 patients: ν ~ Gamma(q = 4, rate gamma = 15), each visit's value ~ Gamma(p = 6, rate ν)
  // (mean p/ν); 1–10 repeat visits each; the mean rounded to the kopeck as exports are.
  std::mt19937_64 rng(7);
  std::gamma_distribution<double> nu(4, 1.0 / 15);
  std::uniform_int_distribution<int> visits(1, 10);
  GammaGammaData d;
  for (int i = 0; i < 3000; ++i) {
    std::gamma_distribution<double> value(6, 1 / nu(rng));
    const int x = visits(rng);
    double total = 0;
    for (int k = 0; k < x; ++k) total += value(rng);
    d.add(static_cast<uint32_t>(x), std::llround(total * 100));
  }
  d.finish();
  const GammaGammaFit fit = fit_gamma_gamma(d);
  REQUIRE(fit.converged);
  // Loose bounds (the standard errors at this size are ≈ 5–15 %): the maximum is where the
  // data put it, the truth within a few of them.
  CHECK(fit.params.p == doctest::Approx(6).epsilon(0.25));
  CHECK(fit.params.q == doctest::Approx(4).epsilon(0.35));
  CHECK(fit.params.gamma == doctest::Approx(15).epsilon(0.5));
  // The population mean p·gamma/(q−1) = 30 is pinned far better than each parameter.
  CHECK(fit.params.p * fit.params.gamma / (fit.params.q - 1) == doctest::Approx(30).epsilon(0.05));
}

TEST_CASE("maximize: Rosenbrock's valley and a quadratic") {
  const Objective rosen = [](const std::vector<double>& x, std::vector<double>* g) {
    const double a = 1 - x[0], b = x[1] - x[0] * x[0];
    if (g) *g = {2 * a + 400 * x[0] * b, -200 * b};
    return -(a * a + 100 * b * b);
  };
  const MaximizeResult m = maximize(rosen, {{-1.2, 1}, {2, 2}});
  CHECK(m.converged);
  CHECK(m.x[0] == doctest::Approx(1).epsilon(1e-8));
  CHECK(m.x[1] == doctest::Approx(1).epsilon(1e-8));
  CHECK(m.gradient_norm < 1e-3);

  // A function without a maximum (increasing for ever): never "converged".
  const Objective up = [](const std::vector<double>& x, std::vector<double>* g) {
    if (g) *g = {1.0};
    return x[0];
  };
  CHECK_FALSE(maximize(up, {{0}}, {.max_iterations = 300}).converged);

  std::vector<double> y;
  CHECK(cholesky_solve({4, 2, 2, 3}, {2, 5}, y));  // [4 2; 2 3]·y = [2 5] → y = (−0.5, 2)
  CHECK(y[0] == doctest::Approx(-0.5));
  CHECK(y[1] == doctest::Approx(2));
  CHECK_FALSE(cholesky_solve({1, 2, 2, 1}, {1, 1}, y));  // indefinite
}
