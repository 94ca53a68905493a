#include "model/optimize.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace kartoteka {
namespace {

double norm(const std::vector<double>& v) {
  double s = 0;
  for (double e : v) s += e * e;
  return std::sqrt(s);
}

// The value, with anything non-finite as −∞ (so it always loses).
double value_at(const Objective& f, const std::vector<double>& x) {
  const double v = f(x, nullptr);
  return std::isfinite(v) ? v : -std::numeric_limits<double>::infinity();
}

// The Hessian by forward differences of the analytic gradient (n gradients, at g = ∇f(x)),
// symmetrised: accurate to ~1e-5 relative, plenty for a Newton direction.
bool hessian(const Objective& f, const std::vector<double>& x, const std::vector<double>& g,
             std::vector<double>& h) {
  const size_t n = x.size();
  h.assign(n * n, 0);
  std::vector<double> xp = x, gp(n);
  for (size_t j = 0; j < n; ++j) {
    const double step = 1e-5 * std::max(1.0, std::abs(x[j]));
    xp[j] = x[j] + step;
    if (!std::isfinite(f(xp, &gp))) return false;
    for (size_t i = 0; i < n; ++i) h[i * n + j] = (gp[i] - g[i]) / step;
    xp[j] = x[j];
  }
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < i; ++j) h[i * n + j] = h[j * n + i] = (h[i * n + j] + h[j * n + i]) / 2;
  return true;
}

// Newton steps from `x` (value `fx`, gradient `g`) until the gradient is below `stop` or no
// step helps. The step solves (−H + λI)·d = g: λ = 0 when −H is positive definite and the full
// step climbs, else raised (a Levenberg–Marquardt damping towards gradient ascent).
void polish(const Objective& f, std::vector<double>& x, double& fx, std::vector<double>& g,
            const MaximizeOptions& options, int& iterations) {
  const size_t n = x.size();
  const int budget = options.max_iterations;
  std::vector<double> h, a, d, xn(n), gn(n);
  // Once converged, more Newton steps while they still move the parameters and the value
  // (quadratic convergence: digits double each time; a gradient below 1e-3 may leave a weakly
  // determined parameter of a small population uncertain in its 4th digit), but only a few:
  // where the top is at infinity (a population without drop-out sends a to 0 or b to infinity),
  // every step only walks further along a flat ridge.
  int extra = options.extra_newton_steps;
  double last_step = INFINITY, last_gain = INFINITY;
  while (norm(g) > options.polish_gradient && iterations < budget &&
         (norm(g) >= options.converged_gradient ||
          (last_step > 1e-8 && last_gain > 1e-13 * (1 + std::abs(fx)) && extra-- > 0))) {
    if (!hessian(f, x, g, h)) return;
    bool moved = false;
    for (double lambda = 0; lambda < 1e12; lambda = lambda == 0 ? 1e-6 : lambda * 10) {
      ++iterations;
      a.assign(n * n, 0);
      for (size_t k = 0; k < n * n; ++k) a[k] = -h[k];
      const double scale = std::max(1.0, norm(g));
      for (size_t k = 0; k < n; ++k) a[k * n + k] += lambda * scale;
      if (!cholesky_solve(a, g, d)) continue;
      for (size_t k = 0; k < n; ++k) xn[k] = x[k] + d[k];
      const double fn = f(xn, &gn);
      if (!std::isfinite(fn)) continue;
      // Near the top the values differ by rounding only: a smaller gradient is progress too.
      const double slack = 1e-12 * (1 + std::abs(fx));
      if (fn > fx || (fn >= fx - slack && norm(gn) < norm(g))) {
        const double before = norm(g);
        last_gain = fn - fx;
        x = xn, fx = fn, g = gn;
        moved = true;
        last_step = 0;
        for (double e : d) last_step = std::max(last_step, std::abs(e));
        // The gradient fell less than tenfold: not the quadratic convergence near a top but a
        // ridge climbing towards a top at infinity. Longer steps along it (2d, 4d, … while the
        // value still rises) get there in a few values instead of a Newton step per e-fold.
        if (norm(g) > before / 10 && norm(g) >= options.converged_gradient) {
          const std::vector<double> base = x;
          for (double t = 1; t <= 64; t *= 2) {
            for (size_t k = 0; k < n; ++k) xn[k] = base[k] + t * d[k];
            ++iterations;
            const double ft = f(xn, &gn);
            if (!(ft > fx)) break;
            x = xn, fx = ft, g = gn;
          }
        }
        break;
      }
      if (iterations >= budget) return;
    }
    if (!moved) return;
  }
}

}  // namespace

bool cholesky_solve(std::vector<double> a, std::vector<double> b, std::vector<double>& y) {
  const size_t n = b.size();
  for (size_t j = 0; j < n; ++j) {
    double d = a[j * n + j];
    for (size_t k = 0; k < j; ++k) d -= a[j * n + k] * a[j * n + k];
    if (!(d > 0)) return false;
    a[j * n + j] = std::sqrt(d);
    for (size_t i = j + 1; i < n; ++i) {
      double s = a[i * n + j];
      for (size_t k = 0; k < j; ++k) s -= a[i * n + k] * a[j * n + k];
      a[i * n + j] = s / a[j * n + j];
    }
  }
  for (size_t i = 0; i < n; ++i) {  // L·z = b
    for (size_t k = 0; k < i; ++k) b[i] -= a[i * n + k] * b[k];
    b[i] /= a[i * n + i];
  }
  for (size_t i = n; i-- > 0;) {  // Lᵀ·y = z
    for (size_t k = i + 1; k < n; ++k) b[i] -= a[k * n + i] * b[k];
    b[i] /= a[i * n + i];
  }
  y = std::move(b);
  return true;
}

std::vector<double> nelder_mead(const Objective& f, std::vector<double> x0, double step,
                                int max_iterations, int& iterations) {
  const size_t n = x0.size();
  std::vector<std::vector<double>> s(n + 1, x0);
  std::vector<double> v(n + 1);
  for (size_t k = 0; k < n; ++k) s[k + 1][k] += step;
  for (size_t k = 0; k <= n; ++k) v[k] = value_at(f, s[k]);
  std::vector<size_t> order(n + 1);
  std::vector<double> centre(n), xr(n), xe(n), xc(n);
  auto point = [&](double t, const std::vector<double>& worst, std::vector<double>& out) {
    for (size_t k = 0; k < n; ++k) out[k] = centre[k] + t * (worst[k] - centre[k]);
  };
  for (int it = 0; it < max_iterations; ++it, ++iterations) {
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](size_t i, size_t j) { return v[i] > v[j]; });
    const size_t best = order[0], worst = order[n], second = order[n - 1];
    if (std::isfinite(v[worst]) && v[best] - v[worst] <= 1e-8 * (1 + std::abs(v[best]))) break;
    std::fill(centre.begin(), centre.end(), 0.0);
    for (size_t k = 0; k <= n; ++k)
      if (k != worst)
        for (size_t i = 0; i < n; ++i) centre[i] += s[k][i] / n;
    point(-1, s[worst], xr);
    const double vr = value_at(f, xr);
    if (vr > v[best]) {
      point(-2, s[worst], xe);
      const double ve = value_at(f, xe);
      if (ve > vr)
        s[worst] = xe, v[worst] = ve;
      else
        s[worst] = xr, v[worst] = vr;
    } else if (vr > v[second]) {
      s[worst] = xr, v[worst] = vr;
    } else {
      point(vr > v[worst] ? -0.5 : 0.5, s[worst], xc);
      const double vc = value_at(f, xc);
      if (vc > std::max(vr, v[worst])) {
        s[worst] = xc, v[worst] = vc;
      } else {  // shrink towards the best vertex
        for (size_t k = 0; k <= n; ++k) {
          if (k == best) continue;
          for (size_t i = 0; i < n; ++i) s[k][i] = s[best][i] + 0.5 * (s[k][i] - s[best][i]);
          v[k] = value_at(f, s[k]);
        }
      }
    }
  }
  return s[static_cast<size_t>(std::max_element(v.begin(), v.end()) - v.begin())];
}

MaximizeResult maximize(const Objective& f, const std::vector<std::vector<double>>& starts,
                        const MaximizeOptions& options, const Objective* explore) {
  MaximizeResult out;
  out.value = -std::numeric_limits<double>::infinity();
  for (const auto& start : starts) {
    const Objective& climb = explore ? *explore : f;
    std::vector<double> x =
        nelder_mead(climb, start, 1.0, options.nelder_mead_iterations, out.iterations);
    const double v = value_at(climb, x);
    if (out.x.empty() || v > out.value) out.x = x, out.value = v;
  }
  if (!std::isfinite(out.value)) return out;
  std::vector<double> g(out.x.size());
  if (explore) {
    // The approximation's own top first (cheap), so that few steps on f remain.
    out.value = (*explore)(out.x, &g);
    polish(*explore, out.x, out.value, g, options, out.iterations);
  }
  out.value = f(out.x, &g);
  polish(f, out.x, out.value, g, options, out.iterations);
  out.gradient_norm = norm(g);
  out.converged = std::isfinite(out.value) && out.gradient_norm < options.converged_gradient &&
                  out.iterations <= options.max_iterations;
  return out;
}

}  // namespace kartoteka
