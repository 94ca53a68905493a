// The BG/NBD model of repeat visits (Fader, Hardie & Lee 2005, "Counting Your Customers the
// Easy Way", Marketing Science 24(2); SPEC §6.2): while alive, a patient visits as a Poisson
// process with rate λ ~ Gamma(r, alpha); after each repeat visit they drop out with
// probability p ~ Beta(a, b). A patient's history is (x repeat visits, t_x = last − first visit,
// T = as-of − first visit), times in weeks.
//
// The likelihood is a sum over patients, so patients with the same (x, t_x, T) — whole days —
// are one group with a count; every x-dependent lgamma is taken once per distinct x, every
// log(alpha + t) once per distinct time, and only log(1 + e^D) per (x, t_x, T) group with x > 0.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "model/fit.h"

namespace kartoteka {

struct BgnbdParams {
  double r = 1, alpha = 1, a = 1, b = 1;
};

// Patients grouped by (x, t_x, T), with the per-evaluation tables the likelihood reuses.
class BgnbdData {
 public:
  // One patient (or `count` alike): x repeat visits, t_x and T in days (0 ≤ t_x ≤ T; t_x = 0
  // when x = 0).
  void add(uint32_t x, int32_t t_x_days, int32_t T_days, uint64_t count = 1);
  // Adds everything `other` holds (both not yet finished).
  void append(const BgnbdData& other);
  // Groups what was added; call once before log_likelihood().
  void finish();

  uint64_t patients() const { return patients_; }
  // The same patients with t_x and T floored to multiples of `days` (a finished copy with fewer
  // groups, for a first search of the parameters).
  BgnbdData coarse(int32_t days) const;
  size_t groups() const { return triples_.size() + zero_groups_; }

  // Σ ln L over patients, L as the paper's equation (6) writes it (so with Γ(r + x)/Γ(r), the
  // published −9582.4 on CDNOW). With `grad`, also ∂/∂ln(r, alpha, a, b).
  double log_likelihood(const BgnbdParams& p, std::array<double, 4>* grad = nullptr) const;

 private:
  struct Triple {
    uint32_t x, t, T;  // indices into xs_, ts_, Ts_
    double n;
  };
  // One evaluation's per-parameter values and per-x / per-day tables: ln(b+x−1) by x index,
  // ln(α+T) and 1/(α+T) by T index, ln(α+t) and 1/(α+t) by t_x index.
  struct Tables {
    double r, ln_a, b;
    const double *lb, *lT, *iT, *lt, *it;
  };
  // Σ over triples_[from, to) of n·ln(1 + e^D) and, with `grad`, of the derivative weights
  // (w·gap, w·(r+x)·(1/(α+T) − 1/(α+t_x)), w, w/(b+x−1)), w = n·σ(D).
  std::array<double, 5> drop_out_terms(const Tables& tab, size_t from, size_t to, bool grad) const;
  std::vector<uint64_t> keys_;  // until finish(): one per add()
  std::vector<uint64_t> counts_;
  std::vector<std::pair<uint64_t, uint64_t>> groups_;  // after finish(): (key, patients)
  uint64_t patients_ = 0;
  size_t zero_groups_ = 0;
  std::vector<double> xs_, x_n_;        // distinct x, patients with it
  std::vector<double> Ts_, T_n_, T_x_;  // distinct T (weeks), patients, Σ x over them
  std::vector<double> ts_;              // distinct t_x (weeks) of patients with x > 0
  std::vector<Triple> triples_;         // groups with x > 0
};

using BgnbdFit = Fit<BgnbdParams>;
// Maximum likelihood over `data` (finished), on log-parameters (§8.58).
BgnbdFit fit_bgnbd(const BgnbdData& data);

// P(alive | x, t_x, T) (§6.2), times in weeks; exactly 1 when x = 0.
double bgnbd_p_alive(const BgnbdParams& p, double x, double t_x, double T);
// E[Y(t) | x, t_x, T]: expected visits in the next t weeks (the paper's equation (10)).
double bgnbd_expected(const BgnbdParams& p, double x, double t_x, double T, double t);

}  // namespace kartoteka
