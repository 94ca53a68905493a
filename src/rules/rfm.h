// `rfm` (SPEC §6.2, §8.25): recency, frequency and monetary scores 1–5 — ranks within the
// population or fixed edges — the (r, f) segment grid, the patient list and the segment summary.
#pragma once
#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/from_list.h"
#include "model/money.h"
#include "model/patients.h"
#include "model/visit_stats.h"
#include "rules/table.h"

namespace kartoteka {

// A decimal number from the command line (edges, `sleeping --adaptive K`), kept exactly: options
// compare with day counts and kopecks without any floating point.
struct Decimal {
  bool negative = false;
  std::string int_digits;   // no leading zeros ("" = 0)
  std::string frac_digits;  // no trailing zeros

  // `-?digits(.digits)?` (a leading `+` is accepted); nullopt for anything else.
  static std::optional<Decimal> parse(std::string_view text);
  bool is_zero() const { return int_digits.empty() && frac_digits.empty(); }
  // floor(value × 10^scale), clamped to the int64 range.
  int64_t floor_scaled(int scale) const;
};
int compare(const Decimal& a, const Decimal& b);  // -1, 0, 1

// Fixed edges: scores by the first edge the value is at most. Limits are the edges already
// floored to the metric's integer unit (days, visits, kopecks), so `x ≤ limit` is exact.
struct RfmEdges {
  std::array<int64_t, 4> at_most;
};
// Parses `E1,E2,E3,E4` (4 strictly increasing numbers, §8.25); `scale` = 2 for rubles → kopecks.
// UsageError naming `option` otherwise.
RfmEdges parse_rfm_edges(std::string_view option, std::string_view text, int scale);

// Rank scores (§6.2): 1 + floor(5 · #{q : v(q) < v(p)} / N) for each p; ties score alike.
// For r pass the negated recency (#{q : recency(q) > recency(p)}).
std::vector<uint8_t> rank_scores(const std::vector<int64_t>& values);
// The same scores from four cuts. With below(v) = #{q : v(q) < v}, score ≥ k + 1 exactly when
// 5·below ≥ k·N, i.e. below ≥ t_k = ⌈k·N/5⌉, i.e. v > the t_k-th smallest value: that value is
// cut k, and a score is 1 + the number of cuts below the value.
struct RankCuts {
  std::array<int64_t, 4> cut;
  uint8_t score(int64_t v) const {
    return static_cast<uint8_t>(1 + (v > cut[0]) + (v > cut[1]) + (v > cut[2]) + (v > cut[3]));
  }
};
// The cuts of `values` (N > 0; taken by value and reordered): four selections, no sort.
RankCuts rank_cuts(std::vector<int64_t> values);
// Fixed-edge score: 1 if v ≤ e1, 2 if ≤ e2, 3 if ≤ e3, 4 if ≤ e4, else 5 (f and m; r = 6 − it).
uint8_t edge_score(int64_t v, const RfmEdges& e);

// Segment names of the summary, in its order (§6.2).
inline constexpr std::array<std::string_view, 10> kRfmSegments = {
    "champions",      "loyal",   "potential_loyalist", "new",        "promising", "need_attention",
    "about_to_sleep", "at_risk", "cant_lose",          "hibernating"};
// The (r, f) grid of §6.2: index into kRfmSegments.
size_t rfm_segment(uint8_t r, uint8_t f);

// One per scored patient (a million of them at most): kept small.
struct RfmRow {
  uint32_t patient = 0;
  int32_t recency = 0;     // days since the last visit
  uint32_t frequency = 0;  // visits
  uint8_t r = 0, f = 0, m = 0;
  Kopecks monetary = 0;  // spent
  // rfm_list's own: id_order_head of the patient's id, so that its sort reads no id from the
  // patients table until two rows tie that far.
  uint64_t id_head = 0;
};

class RfmPredictor;  // rules/rfm_predict.h

struct RfmOptions {
  std::optional<RfmEdges> r_edges, f_edges, m_edges;
};

// The scored population (§6.2, §8.25): patients of `population` with at least one visit in `visits`
// (which already honours --since), scored by rank within them or by the given edges; population
// order.
std::vector<RfmRow> score_rfm(const VisitFold& visits, const std::vector<uint32_t>& population,
                              const RfmOptions& options);

// id,name,phone,last_visit,recency_days,frequency,monetary,r,f,m,rfm,segment (with `predict`:
// then p_alive,expected_visits,expected_revenue) then the --from columns, streamed to `out`;
// sorted by rfm desc, monetary desc, id. `ready` (optional) is called once the rows are sorted,
// before anything is written (rfm --predict waits there for the fits made meanwhile).
void rfm_list(const PatientTable& patients, const VisitFold& visits, std::vector<RfmRow> rows,
              const FromList* from, RowSink& out, const RfmPredictor* predict = nullptr,
              const std::function<void()>& ready = {});
// One row per segment in kRfmSegments order, empty segments included (§8.25).
Table rfm_summary(const std::vector<RfmRow>& rows);

// `sum / n` with `decimals` decimals, rounded half away from zero ("" when n = 0).
std::string format_average(int64_t sum, int64_t n, int decimals);

}  // namespace kartoteka
