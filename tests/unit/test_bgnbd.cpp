// BG/NBD (model/bgnbd): the likelihood, P(alive) and E[Y(t)] against independent evaluations —
// Boost.Math (lgamma, beta, digamma, the generalized hypergeometric series), the paper's formulas
// as printed, hand calculations — the numerical edges (x = 0, T = t_x, x in the thousands, a = 1,
// a + b + x = 1), and a fit that recovers the parameters of simulated data.
#include <doctest/doctest.h>

// Boost.Math (libboost-math-dev, header-only) is the tests' oracle, never the binary's; without it
// the cases that need it are left out and the rest still build and run.
#if __has_include(<boost/math/special_functions/hypergeometric_pFq.hpp>)
#define KARTOTEKA_BOOST_MATH 1
#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/hypergeometric_pFq.hpp>
#endif
#include <cmath>
#include <random>
#include <vector>

#include "model/bgnbd.h"
#include "model/optimize.h"
#include "model/special.h"

using namespace kartoteka;

namespace {

#ifdef KARTOTEKA_BOOST_MATH
// The paper's equation (6) as printed, with Boost's beta and lgamma (moderate x only).
double paper_ll(const BgnbdParams& p, double x, double t_x, double T) {
  using boost::math::beta;
  const double a1 =
      std::exp(boost::math::lgamma(p.r + x) - boost::math::lgamma(p.r)) * std::pow(p.alpha, p.r);
  const double first = beta(p.a, p.b + x) / beta(p.a, p.b) / std::pow(p.alpha + T, p.r + x);
  const double second =
      x > 0 ? beta(p.a + 1, p.b + x - 1) / beta(p.a, p.b) / std::pow(p.alpha + t_x, p.r + x) : 0;
  return std::log(a1 * (first + second));
}

// The paper's equation (10) as printed, with Boost's 2F1 (as pFq with p = 2, q = 1).
double paper_expected(const BgnbdParams& p, double x, double t_x, double T, double t) {
  const double c = p.a + p.b + x - 1, z = t / (p.alpha + T + t);
  const double f = boost::math::hypergeometric_pFq({p.r + x, p.b + x}, {c}, z);
  const double inner = 1 - std::pow((p.alpha + T) / (p.alpha + T + t), p.r + x) * f;
  const double alive =
      x > 0 ? 1 / (1 + p.a / (p.b + x - 1) * std::pow((p.alpha + T) / (p.alpha + t_x), p.r + x))
            : 1;
  return alive * c / (p.a - 1) * inner;
}

#endif

// (1 − z)^(r+x) · 2F1(r+x, b+x; c; z) as printed, summed term by term in logs in long double
// (no Euler transformation): an independent evaluation for x in the thousands, where the
// 2F1's terms overflow a double.
long double paper_g_in_logs(const BgnbdParams& p, double x, double T, double t) {
  const long double A = p.r + x, B = p.b + x, C = p.a + p.b + x - 1;
  const long double z = t / (p.alpha + T + t), lz = std::log(z);
  std::vector<long double> logs;
  long double lt = 0;  // log of term k (all terms positive here: A, B, C > 0)
  for (int k = 0; k < 200000; ++k) {
    logs.push_back(lt);
    if (k > 10 && lt < logs.front() - 80 && lt < logs[logs.size() - 2]) break;
    lt += std::log((A + k) * (B + k) / ((C + k) * (k + 1))) + lz;
  }
  long double top = logs[0];
  for (long double l : logs) top = std::max(top, l);
  long double s = 0;
  for (long double l : logs) s += std::exp(l - top);
  return std::exp((p.r + x) * std::log1p(-z) + top + std::log(s));
}

BgnbdData one(uint32_t x, int32_t t_x_days, int32_t T_days) {
  BgnbdData d;
  d.add(x, t_x_days, T_days);
  d.finish();
  return d;
}

}  // namespace

#ifdef KARTOTEKA_BOOST_MATH
TEST_CASE("digamma matches Boost.Math") {
  for (double x : {1e-3, 0.2425945, 0.5, 1.0, 2.5, 5.999, 6.0, 9.999, 10.0, 17.3, 1234.5, 1e7}) {
    CAPTURE(x);
    CHECK(digamma(x) == doctest::Approx(boost::math::digamma(x)).epsilon(1e-13));
  }
}

#endif

TEST_CASE("BG/NBD log-likelihood: hand calculation and the paper's formula") {
  // One customer with no repeat visit over T = 2 weeks, r = alpha = 1: L = (α/(α+T))^r = 1/3
  // with alpha = 1… take alpha = 2: (2/4)^1 = 1/2.
  CHECK(one(0, 0, 14).log_likelihood({1, 2, 1, 1}) == doctest::Approx(-std::log(2.0)));
  // x = 1, t_x = T = 1 week, r = alpha = a = b = 1: the first term Γ(2)/Γ(1)·1/(2)^2·B(1,2)/B(1,1)
  // = 1/4 · 1/2 = 1/8, the second B(2,1)/B(1,1)·1/(2)^2 = 1/2 · 1/4 = 1/8 → L = 1/4.
  CHECK(one(1, 7, 7).log_likelihood({1, 1, 1, 1}) == doctest::Approx(std::log(0.25)));

#ifdef KARTOTEKA_BOOST_MATH
  const BgnbdParams p{0.2425945, 4.4136024, 0.7929220, 2.4259067};
  BgnbdData three;
  three.add(0, 0, 140);
  three.add(2, 70, 210);
  three.add(5, 196, 196, 3);  // three alike: T = t_x
  three.finish();
  CHECK(three.patients() == 5);
  CHECK(three.groups() == 3);
  const double want = paper_ll(p, 0, 0, 20) + paper_ll(p, 2, 10, 30) + 3 * paper_ll(p, 5, 28, 28);
  CHECK(three.log_likelihood(p) == doctest::Approx(want).epsilon(1e-12));
#endif
}

TEST_CASE("BG/NBD gradient matches central differences of the log-likelihood") {
  BgnbdData d;
  d.add(0, 0, 100, 7);
  d.add(1, 30, 100, 2);
  d.add(4, 90, 200);
  d.add(12, 300, 310);
  d.finish();
  const BgnbdParams p{0.7, 12.0, 0.9, 3.1};
  std::array<double, 4> g{};
  d.log_likelihood(p, &g);
  const double h = 1e-6;
  for (int k = 0; k < 4; ++k) {
    auto at = [&](double s) {
      BgnbdParams q = p;
      double* v[] = {&q.r, &q.alpha, &q.a, &q.b};
      *v[k] *= std::exp(s);
      return d.log_likelihood(q);
    };
    CHECK(g[k] == doctest::Approx((at(h) - at(-h)) / (2 * h)).epsilon(1e-6));
  }
}

TEST_CASE("P(alive): hand calculations") {
  const BgnbdParams p{0.5, 5, 1, 3};
  CHECK(bgnbd_p_alive(p, 0, 0, 40) == 1);  // no repeat visit: alive by the model
  // T = t_x: 1 / (1 + a/(b + x − 1)) = 1 / (1 + 1/3) = 0.75 for x = 1.
  CHECK(bgnbd_p_alive(p, 1, 10, 10) == doctest::Approx(0.75));
  // x = 2, t_x = 5, T = 15: 1 / (1 + 1/4 · (20/10)^2.5) = 1 / (1 + 0.25 · 5.656854…).
  CHECK(bgnbd_p_alive(p, 2, 5, 15) == doctest::Approx(1 / (1 + 0.25 * std::pow(2.0, 2.5))));
  // Thousands of visits, long silent: the power overflows a double, the probability does not.
  const double tiny = bgnbd_p_alive(p, 3000, 10, 60);
  CHECK(tiny >= 0);
  CHECK(tiny < 1e-300);
  CHECK(bgnbd_p_alive(p, 3000, 60, 60) == doctest::Approx(1 / (1 + 1 / 3002.0)));
}

#ifdef KARTOTEKA_BOOST_MATH
TEST_CASE("E[Y(t)] matches the paper's equation (10) with Boost's 2F1") {
  const BgnbdParams cdnow{0.2425945, 4.4136024, 0.7929220, 2.4259067};
  // BTYD's vignette: x = 2, t_x = 30.43, T = 38.86 expects 1.226 in the next 39 weeks; CDNOW's
  // customer 0001 in whole days (213, 272, 273 ÷ 7): 1.22599444 by mpmath's hyp2f1 at 40 digits.
  CHECK(bgnbd_expected(cdnow, 2, 30.43, 38.86, 39) == doctest::Approx(1.226).epsilon(1e-3));
  CHECK(bgnbd_expected(cdnow, 2, 213 / 7.0, 272 / 7.0, 39) ==
        doctest::Approx(1.22599444).epsilon(1e-8));
  for (const BgnbdParams& p : {cdnow, BgnbdParams{1.5, 20, 2.5, 0.7}, BgnbdParams{0.3, 2, 0.4, 6}})
    for (double x : {0.0, 1.0, 2.0, 7.0, 25.0})
      for (double t : {1.0, 39.0, 104.0}) {
        const double t_x = x > 0 ? 20 : 0, T = 38.86;
        CAPTURE(x);
        CAPTURE(t);
        CAPTURE(p.a);
        CHECK(bgnbd_expected(p, x, t_x, T, t) ==
              doctest::Approx(paper_expected(p, x, t_x, T, t)).epsilon(1e-9));
      }
  CHECK(bgnbd_expected(cdnow, 3, 10, 20, 0) == 0);
}

TEST_CASE("E[Y(t)] when a and b are large (the same drop-out chance for everyone)") {
  // a > 2 takes the printed series (in logs): against Boost's 2F1 where Boost still converges.
  for (const BgnbdParams& p : {BgnbdParams{0.64, 2.26, 30, 64}, BgnbdParams{0.64, 2.26, 300, 640},
                               BgnbdParams{2, 10, 2.0001, 5}})
    for (double x : {0.0, 1.0, 4.0}) {
      CAPTURE(x);
      CAPTURE(p.a);
      CHECK(bgnbd_expected(p, x, x > 0 ? 20 : 0, 30, 13) ==
            doctest::Approx(paper_expected(p, x, x > 0 ? 20 : 0, 30, 13)).epsilon(1e-9));
    }
  // A fit on a population without heterogeneity in drop-out sent a and b to ~1e9 (a/(a+b) =
  // 0.32): the expectation is finite and as with a hundred times smaller a and b.
  const double e9 = bgnbd_expected({0.64, 2.26, 9.09e8, 1.94e9}, 3, 20, 30, 13);
  const double e7 = bgnbd_expected({0.64, 2.26, 9.09e6, 1.94e7}, 3, 20, 30, 13);
  CHECK(std::isfinite(e9));
  CHECK(e9 == doctest::Approx(e7).epsilon(1e-5));
}

TEST_CASE("E[Y(t)] at a = 1 and at a + b + x = 1: the formula's limits") {
  // a = 1: c/(a − 1) · (1 − …) is 0/0; its limit from both sides (Boost at a = 1 ± 1e-6).
  for (double x : {0.0, 3.0}) {
    auto at = [&](double a) { return paper_expected({0.8, 6, a, 2}, x, 10, 30, 26); };
    const double limit = (at(1 + 1e-6) + at(1 - 1e-6)) / 2;
    CHECK(bgnbd_expected({0.8, 6, 1, 2}, x, 10, 30, 26) == doctest::Approx(limit).epsilon(1e-7));
  }
  // a + b + x = 1 (x = 0, a + b = 1): the 2F1's c is 0, the product with c its limit.
  auto at = [&](double b) { return paper_expected({0.8, 6, 0.4, b}, 0, 0, 30, 26); };
  const double limit = (at(0.6 + 1e-7) + at(0.6 - 1e-7)) / 2;
  const double e = bgnbd_expected({0.8, 6, 0.4, 0.6}, 0, 0, 30, 26);
  CHECK(std::isfinite(e));
  CHECK(e == doctest::Approx(limit).epsilon(1e-6));
}

#endif

TEST_CASE("E[Y(t)] with x in the thousands: no overflow, as the printed series in logs") {
  for (const BgnbdParams& p : {BgnbdParams{0.9, 3, 0.7, 2.5}, BgnbdParams{0.9, 3, 3.5, 2.5}})
    for (double x : {500.0, 2000.0, 5000.0}) {
      const double T = 150, t_x = 150, t = 52;  // seen on as-of: P(alive) ≈ 1
      const double e = bgnbd_expected(p, x, t_x, T, t);
      const long double g = paper_g_in_logs(p, x, T, t);
      const double c = p.a + p.b + x - 1;
      const double want = bgnbd_p_alive(p, x, t_x, T) * c / (p.a - 1) * static_cast<double>(1 - g);
      CAPTURE(x);
      CHECK(std::isfinite(e));
      CHECK(e == doctest::Approx(want).epsilon(1e-8));
      // About x/T visits a week while alive.
      CHECK(e > 0.5 * x / T * t);
      CHECK(e < 1.5 * x / T * t);
    }
}

TEST_CASE("BG/NBD fit recovers the parameters of simulated data within a few standard errors") {
  // 6000 customers from r = 0.6, alpha = 8, a = 0.9, b = 3 (rates per week), first visits
  // spread over a year before as-of; times in whole days as the fold gives them.
  const BgnbdParams truth{0.6, 8, 0.9, 3};
  std::mt19937_64 rng(20261207);
  std::gamma_distribution<double> lambda(truth.r, 1 / truth.alpha), ga(truth.a, 1), gb(truth.b, 1);
  std::uniform_int_distribution<int> first(30, 400);
  std::uniform_real_distribution<double> u(0, 1);
  BgnbdData d;
  for (int i = 0; i < 6000; ++i) {
    const double l = lambda(rng), xa = ga(rng), pdrop = xa / (xa + gb(rng));
    const int T_days = first(rng);
    double t = 0, t_x = 0;
    uint32_t x = 0;
    while (true) {
      t += -std::log(1 - u(rng)) / l;
      if (t * 7 > T_days) break;
      ++x, t_x = t;
      if (u(rng) < pdrop) break;
    }
    d.add(x, std::min(static_cast<int>(t_x * 7), T_days), T_days);
  }
  d.finish();
  const BgnbdFit fit = fit_bgnbd(d);
  REQUIRE(fit.converged);
  CHECK(fit.gradient_norm < 1e-3);
  // Standard errors of the log-parameters from the observed information (Hessian by central
  // differences of the analytic gradient).
  const double lf[4] = {std::log(fit.params.r), std::log(fit.params.alpha), std::log(fit.params.a),
                        std::log(fit.params.b)};
  auto grad_at = [&](int j, double s) {
    double v[4] = {lf[0], lf[1], lf[2], lf[3]};
    v[j] += s;
    std::array<double, 4> g{};
    d.log_likelihood({std::exp(v[0]), std::exp(v[1]), std::exp(v[2]), std::exp(v[3])}, &g);
    return g;
  };
  std::vector<double> info(16);
  for (int j = 0; j < 4; ++j) {
    const auto gp = grad_at(j, 1e-4), gm = grad_at(j, -1e-4);
    for (int i = 0; i < 4; ++i) info[i * 4 + j] = -(gp[i] - gm[i]) / 2e-4;
  }
  const double lt[4] = {std::log(truth.r), std::log(truth.alpha), std::log(truth.a),
                        std::log(truth.b)};
  for (int k = 0; k < 4; ++k) {
    std::vector<double> e(4, 0.0), col;
    e[k] = 1;
    REQUIRE(cholesky_solve(info, e, col));
    const double se = std::sqrt(col[k]);
    const double fitted = std::exp(lf[k]);
    CAPTURE(k);
    CAPTURE(se);
    CAPTURE(fitted);
    CHECK(std::abs(lf[k] - lt[k]) < 4 * se);
  }
}
