// Maximum likelihood on a few log-parameters (SPEC §6.2, §8.58): Nelder–Mead from several
// starts to find the hill, then Newton steps (analytic gradient, Hessian from central
// differences of it, Levenberg damping when it is not negative definite) to climb to its top.
// The fit has converged when the gradient's norm is below 1e-3 (§8.58); the polish keeps going
// well past that, so that the maximum is good to 6 significant digits.
#pragma once
#include <array>
#include <cstddef>
#include <functional>
#include <vector>

namespace kartoteka {

// The objective at `x`; when `grad` is not null, also its gradient there (same size as x).
// A non-finite value means "outside the model" (the search backs away from it).
using Objective = std::function<double(const std::vector<double>& x, std::vector<double>* grad)>;

struct MaximizeOptions {
  int max_iterations = 10000;        // Nelder–Mead iterations + Newton steps (§8.58)
  int nelder_mead_iterations = 200;  // per start
  double converged_gradient = 1e-3;  // §8.58
  double polish_gradient = 1e-9;     // where the polish stops when it can
  int extra_newton_steps = 6;        // at most, once converged
};

struct MaximizeResult {
  std::vector<double> x;
  double value = 0;
  double gradient_norm = 0;
  int iterations = 0;
  bool converged = false;
};

// Maximises f from the best of `starts` (each the size of the problem). With `explore` (a cheap
// approximation of f with its gradient, e.g. the data in coarser groups), Nelder–Mead and a first
// Newton polish climb it, and only the last Newton steps take f itself.
MaximizeResult maximize(const Objective& f, const std::vector<std::vector<double>>& starts,
                        const MaximizeOptions& options = {}, const Objective* explore = nullptr);

// The objective of a model fitted in log space: model.log_likelihood(to_params(t), grad*), its
// N-parameter gradient (taken with respect to t by the model) handed back as a vector.
template <size_t N, class Model, class ToParams>
Objective log_likelihood_objective(const Model& model, ToParams to_params) {
  return [&model, to_params](const std::vector<double>& t, std::vector<double>* g) {
    std::array<double, N> grad{};
    const double v = model.log_likelihood(to_params(t), g ? &grad : nullptr);
    if (g) g->assign(grad.begin(), grad.end());
    return v;
  };
}

// A fit (params, log_likelihood, gradient_norm, iterations, converged) from maximize()'s result;
// params only when a point was found.
template <class Fit, class ToParams>
Fit fit_from(const MaximizeResult& m, ToParams to_params) {
  Fit out;
  if (!m.x.empty()) out.params = to_params(m.x);
  out.log_likelihood = m.value;
  out.gradient_norm = m.gradient_norm;
  out.iterations = m.iterations;
  out.converged = m.converged;
  return out;
}

// The lower-level pieces, tested on their own.
// Nelder–Mead (maximising) from `x0` with a simplex of side `step`; returns the best vertex.
std::vector<double> nelder_mead(const Objective& f, std::vector<double> x0, double step,
                                int max_iterations, int& iterations);
// Solves A·y = b for a symmetric positive definite A (row-major n×n); false when A is not.
bool cholesky_solve(std::vector<double> a, std::vector<double> b, std::vector<double>& y);

}  // namespace kartoteka
