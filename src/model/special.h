// Special functions the fitted models of rfm --predict need (SPEC §6.2): the digamma function
// (for analytic gradients of log-likelihoods built from lgamma) and overflow-free forms of
// log(1 + e^x) and 1 / (1 + e^-x).
#pragma once

namespace kartoteka {

// ψ(x) = d/dx ln Γ(x) for x > 0: the recurrence ψ(x) = ψ(x + 1) − 1/x up to x ≥ 10, then the
// asymptotic series (relative error below 1e-15 there).
double digamma(double x);

// log(1 + e^x) without overflow for large x nor loss for very negative x.
double softplus(double x);
// 1 / (1 + e^−x), the derivative of softplus.
double sigmoid(double x);

}  // namespace kartoteka
