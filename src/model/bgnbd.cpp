#include "model/bgnbd.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>

#include "base/background.h"
#include "model/optimize.h"
#include "model/special.h"

namespace kartoteka {
namespace {

constexpr double kWeek = 7.0;
// Key of a group: x (22 bits), t_x days (21 bits), T days (21 bits), so that sorting the keys
// orders the groups by x, then t_x, then T.
constexpr int kDayBits = 21;
constexpr uint64_t kDayMask = (uint64_t{1} << kDayBits) - 1;
// From this many (x, t_x, T) groups on, the likelihood's long sum runs on two threads.
constexpr size_t kThreadedTriples = 20000;
// From this many groups on, the parameters are first searched for on coarser groups.
constexpr size_t kCoarseFrom = 20000;

}  // namespace

void BgnbdData::add(uint32_t x, int32_t t_x_days, int32_t T_days, uint64_t count) {
  if (x >= (1u << 22) || t_x_days < 0 || T_days < t_x_days ||
      static_cast<uint64_t>(T_days) > kDayMask)
    throw std::out_of_range("BG/NBD: a history out of range");
  if (x == 0) t_x_days = 0;
  keys_.push_back(uint64_t{x} << (2 * kDayBits) | uint64_t(t_x_days) << kDayBits |
                  uint64_t(T_days));
  counts_.push_back(count);
  patients_ += count;
}

void BgnbdData::append(const BgnbdData& other) {
  keys_.insert(keys_.end(), other.keys_.begin(), other.keys_.end());
  counts_.insert(counts_.end(), other.counts_.begin(), other.counts_.end());
  patients_ += other.patients_;
}

void BgnbdData::finish() {
  // Sorting the keys (8 bytes, not key and count) groups them: most patients come one by one.
  bool weighted = false;
  for (uint64_t c : counts_) weighted |= c != 1;
  std::vector<std::pair<uint64_t, uint64_t>> groups;
  if (!weighted) {
    std::sort(keys_.begin(), keys_.end());
    for (size_t i = 0; i < keys_.size(); ++i) {
      if (!groups.empty() && groups.back().first == keys_[i])
        ++groups.back().second;
      else
        groups.push_back({keys_[i], 1});
    }
  } else {
    for (size_t i = 0; i < keys_.size(); ++i) groups.push_back({keys_[i], counts_[i]});
    std::sort(groups.begin(), groups.end());
    size_t out = 0;
    for (size_t i = 0; i < groups.size(); ++i) {
      if (out > 0 && groups[out - 1].first == groups[i].first)
        groups[out - 1].second += groups[i].second;
      else
        groups[out++] = groups[i];
    }
    groups.resize(out);
  }
  std::vector<uint64_t>().swap(keys_);
  std::vector<uint64_t>().swap(counts_);
  // Distinct x come in key order; distinct days (T, and t_x of repeat visitors) are indexed by a
  // table a day long.
  uint64_t max_day = 0;
  for (const auto& [k, n] : groups) max_day = std::max(max_day, k & kDayMask);
  std::vector<uint32_t> T_at(max_day + 1, UINT32_MAX), t_at(max_day + 1, UINT32_MAX);
  for (const auto& [k, n] : groups) {
    T_at[k & kDayMask] = 0;
    if (k >> (2 * kDayBits)) t_at[(k >> kDayBits) & kDayMask] = 0;
  }
  for (uint64_t d = 0; d <= max_day; ++d) {
    if (T_at[d] == 0) T_at[d] = static_cast<uint32_t>(Ts_.size()), Ts_.push_back(d / kWeek);
    if (t_at[d] == 0) t_at[d] = static_cast<uint32_t>(ts_.size()), ts_.push_back(d / kWeek);
  }
  T_n_.assign(Ts_.size(), 0), T_x_.assign(Ts_.size(), 0);
  for (const auto& [k, count] : groups) {
    const double n = static_cast<double>(count), x = static_cast<double>(k >> (2 * kDayBits));
    if (xs_.empty() || xs_.back() != x) xs_.push_back(x), x_n_.push_back(0);
    const auto xi = static_cast<uint32_t>(xs_.size() - 1), Ti = T_at[k & kDayMask];
    x_n_[xi] += n;
    T_n_[Ti] += n;
    T_x_[Ti] += n * x;
    if (x > 0)
      triples_.push_back({xi, t_at[(k >> kDayBits) & kDayMask], Ti, n});
    else
      ++zero_groups_;
  }
  groups_ = std::move(groups);
}

BgnbdData BgnbdData::coarse(int32_t days) const {
  BgnbdData out;
  for (const auto& [k, n] : groups_) {
    const auto t = static_cast<int32_t>((k >> kDayBits) & kDayMask);
    const auto T = static_cast<int32_t>(k & kDayMask);
    out.add(static_cast<uint32_t>(k >> (2 * kDayBits)), t / days * days, T / days * days, n);
  }
  out.finish();
  return out;
}

std::array<double, 5> BgnbdData::drop_out_terms(const Tables& tab, size_t from, size_t to,
                                                bool grad) const {
  double s_sum = 0, s_r = 0, s_alpha = 0, s_a = 0, s_b = 0;
  for (size_t j = from; j < to; ++j) {
    const Triple& g = triples_[j];
    const double x = xs_[g.x], rx = tab.r + x, gap = tab.lT[g.T] - tab.lt[g.t];
    const double d = tab.ln_a - tab.lb[g.x] + rx * gap;
    const double e = std::exp(-std::abs(d));
    s_sum += g.n * (std::max(d, 0.0) + std::log1p(e));
    if (grad) {
      const double w = g.n * (d >= 0 ? 1 / (1 + e) : e / (1 + e));
      s_r += w * gap;
      s_alpha += w * rx * (tab.iT[g.T] - tab.it[g.t]);
      s_a += w;
      s_b += w / (tab.b + x - 1);
    }
  }
  return {s_sum, s_r, s_alpha, s_a, s_b};
}

// ln L = ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x) − ln B(a, b) − (r+x) ln(α+T)
//        + [x > 0] ln(1 + e^D),  D = ln a − ln(b+x−1) + (r+x)(ln(α+T) − ln(α+t_x)):
// the paper's two terms A1·A2·(A3 + δ·A4) with their ratio taken in logs, so that nothing
// overflows however large x is (the second term is B(a+1, b+x−1)/B(a, b+x) = a/(b+x−1) times
// the first with (α+t_x) for (α+T)). The x-dependent parts are sums that do not cancel:
//   ln Γ(r+x) − ln Γ(r) = Σ_{k<x} ln(r+k),
//   ln B(a, b+x) − ln B(a, b) = Σ_{k<x} ln(1 − a/(a+b+k)),
//   r ln α − (r+x) ln(α+T) = −r ln(1 + T/α) − x ln(α+T)
// (differences of lgamma values lose all precision when b or r is large, where a population
// without drop-out takes the fit).
double BgnbdData::log_likelihood(const BgnbdParams& p, std::array<double, 4>* grad) const {
  const double r = p.r, alpha = p.alpha, a = p.a, b = p.b;
  if (!(r > 0 && alpha > 0 && a > 0 && b > 0)) return -INFINITY;
  double ll = 0, dr = 0, dalpha = 0, da = 0, db = 0;
  // Per distinct x: the running sums up to x, and ln(b + x − 1).
  std::vector<double> lb(xs_.size());
  double s_r = 0, s_ab = 0, g_r = 0, g_a = 0, g_b = 0;  // Σ_{k<x} of the terms and derivatives
  double k = 0;
  for (size_t i = 0; i < xs_.size(); ++i) {
    const double x = xs_[i], n = x_n_[i];
    for (; k < x; k += 1) {
      const double ab = a + b + k;
      s_r += std::log(r + k);
      s_ab += std::log1p(-a / ab);
      if (grad) g_r += 1 / (r + k), g_a -= 1 / ab, g_b += a / ((b + k) * ab);
    }
    ll += n * (s_r + s_ab);
    lb[i] = x > 0 ? std::log(b + x - 1) : 0;
    if (grad) dr += n * g_r, da += n * g_a, db += n * g_b;
  }
  // Per distinct T: −r ln(1 + T/α) − x ln(α + T) summed over its patients.
  std::vector<double> lT(Ts_.size()), iT(Ts_.size());
  for (size_t i = 0; i < Ts_.size(); ++i) {
    const double T = Ts_[i], l1 = std::log1p(T / alpha);
    lT[i] = std::log(alpha + T);
    iT[i] = 1 / (alpha + T);
    ll -= r * T_n_[i] * l1 + T_x_[i] * lT[i];
    if (grad) {
      dr -= T_n_[i] * l1;
      dalpha += r * T_n_[i] * T / alpha * iT[i] - T_x_[i] * iT[i];
    }
  }
  std::vector<double> lt(ts_.size()), it(ts_.size());
  for (size_t i = 0; i < ts_.size(); ++i) {
    lt[i] = std::log(alpha + ts_[i]);
    it[i] = 1 / (alpha + ts_[i]);
  }
  // Per (x, t_x, T) group with x > 0: ln(1 + e^D) and its weight σ(D) in the derivatives. A
  // long sum: on two threads when it is worth one (the halves are fixed, so the sum is the
  // same on every run).
  const Tables tab{r, std::log(a), b, lb.data(), lT.data(), iT.data(), lt.data(), it.data()};
  std::array<double, 5> lo{}, hi{};
  const size_t n = triples_.size(), mid = n / 2;
  if (n >= kThreadedTriples) {
    Background other([&] { hi = drop_out_terms(tab, mid, n, grad != nullptr); });
    lo = drop_out_terms(tab, 0, mid, grad != nullptr);
    other.join();
  } else {
    lo = drop_out_terms(tab, 0, n, grad != nullptr);
  }
  ll += lo[0] + hi[0];
  if (grad) {
    // Chain rule to log-parameters: ∂/∂ln θ = θ · ∂/∂θ.
    (*grad)[0] = r * (dr + lo[1] + hi[1]);
    (*grad)[1] = alpha * (dalpha + lo[2] + hi[2]);
    (*grad)[2] = a * (da + (lo[3] + hi[3]) / a);
    (*grad)[3] = b * (db - (lo[4] + hi[4]));
  }
  return ll;
}

BgnbdFit fit_bgnbd(const BgnbdData& data) {
  auto params = [](const std::vector<double>& t) {
    return BgnbdParams{std::exp(t[0]), std::exp(t[1]), std::exp(t[2]), std::exp(t[3])};
  };
  const Objective f = log_likelihood_objective<4>(data, params);
  // Starts: all ones (the usual default), and two spread around it in log space.
  const std::vector<std::vector<double>> starts = {
      {0, 0, 0, 0},
      {std::log(0.25), std::log(4.0), std::log(0.75), std::log(2.5)},
      {std::log(2.0), std::log(20.0), std::log(2.0), std::log(8.0)}};
  // Many groups (a large clinic over years): the search runs on 13-week groups first.
  std::optional<BgnbdData> rough;
  Objective explore;
  if (data.groups() > kCoarseFrom) {
    rough = data.coarse(91);
    explore = log_likelihood_objective<4>(*rough, params);
  }
  const MaximizeResult m = maximize(f, starts, {}, rough ? &explore : nullptr);
  return fit_from<BgnbdFit>(m, params);
}

double bgnbd_p_alive(const BgnbdParams& p, double x, double t_x, double T) {
  if (x <= 0) return 1;
  // 1 / (1 + e^D) with D as in the likelihood: no power is ever formed.
  const double d =
      std::log(p.a / (p.b + x - 1)) + (p.r + x) * std::log1p((T - t_x) / (p.alpha + t_x));
  return sigmoid(-d);
}

// Equation (10): E = P(alive) · (a+b+x−1)/(a−1) · [1 − (1−z)^(r+x) · 2F1(r+x, b+x; c; z)],
// c = a+b+x−1, z = t/(α+T+t). Two evaluations, each where it is stable:
// - a ≤ 2: Euler's transformation 2F1(A,B;c;z) = (1−z)^(c−A−B)·2F1(c−A, c−B; c; z) turns
//   (1−z)^(r+x)·2F1 into (1−z)^(a−1)·F with F = 2F1(a+b−1−r, a−1; c; z), whose parameters do not
//   grow with x (the printed form's terms overflow at x ≈ 2000). Writing F = 1 + (a−1)·S and
//   multiplying through by c/(a−1):
//     E = P · [c·(1 − (1−z)^(a−1))/(a−1) − (1−z)^(a−1) · S2],
//     S2 = Σ_{k≥1} (a+b−1−r)_k (a)_{k−1} z^k / ((c+1)_{k−1} k!),
//   with no division by a−1 nor by c: exact at a = 1 (the first part → −c·ln(1−z)) and at c = 0
//   (a+b+x = 1, where the paper's 2F1 is undefined but its product with c has this limit).
// - a > 2 (far from 1, so 1 − (1−z)^(r+x)·2F1 cancels nothing; c > 1): the printed series,
//   its terms positive and summed in logs. There (a)_{k−1} would make S2's terms grow like
//   (a·z)^k/k! — without bound as a and b run off together (a population whose drop-out
//   probability is the same for everyone).
double bgnbd_expected(const BgnbdParams& p, double x, double t_x, double T, double t) {
  if (t <= 0) return 0;
  const double a = p.a, c = a + p.b + x - 1;
  const double z = t / (p.alpha + T + t);
  const double ln_1mz = -std::log1p(t / (p.alpha + T));  // ln(1 − z)
  const double alive = bgnbd_p_alive(p, x, t_x, T);
  if (a > 2) {
    const double big_a = p.r + x, big_b = p.b + x, lz = std::log(z);
    // Σ e^(l_k) with l_0 = 0, l_{k+1} = l_k + ln((A+k)(B+k)/((c+k)(k+1))) + ln z, kept as
    // e^(top)·sum so that nothing overflows; the terms rise, peak and then fall geometrically.
    double l = 0, top = 0, sum = 1;
    for (int k = 0; k < 10000000; ++k) {
      l += std::log((big_a + k) * (big_b + k) / ((c + k) * (k + 1))) + lz;
      if (l > top)
        sum = sum * std::exp(top - l) + 1, top = l;
      else
        sum += std::exp(l - top);
      if (l < top - 40 && (big_a + k) * (big_b + k) * z < (c + k) * (k + 1)) break;
    }
    const double ln_g = (p.r + x) * ln_1mz + top + std::log(sum);
    return alive * c / (a - 1) * -std::expm1(ln_g);
  }
  const double big_a = a + p.b - 1 - p.r;
  const double u = (a - 1) * ln_1mz;
  const double ratio = std::abs(u) < 1e-12 ? 1 + u / 2 : std::expm1(u) / u;
  const double first = c * -ln_1mz * ratio;  // c·(1 − (1−z)^(a−1))/(a−1)
  double term = big_a * z, sum = term;
  for (int k = 1; k < 10000000; ++k) {
    term *= (big_a + k) * (a + k - 1) / ((c + k) * (k + 1)) * z;
    sum += term;
    if (std::abs(term) <= 1e-17 * std::abs(sum) || term == 0) break;
  }
  return alive * (first - std::exp(u) * sum);
}

}  // namespace kartoteka
