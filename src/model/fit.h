// What a maximum-likelihood fit of one model (BG/NBD, Gamma-Gamma; SPEC §6.2, §8.58) reports:
// one shape for every model, filled by fit_from() in model/optimize.h.
#pragma once

namespace kartoteka {

template <class Params>
struct Fit {
  Params params;
  double log_likelihood = 0;
  double gradient_norm = 0;
  int iterations = 0;
  bool converged = false;  // the gradient's norm below 1e-3 (§8.58)
};

}  // namespace kartoteka
