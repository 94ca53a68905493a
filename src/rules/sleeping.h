// `sleeping` (SPEC §6.3, §8.26): patients to wake up — by a fixed inactivity threshold or by their
// own rhythm of visits (--adaptive) — and recall lists of periodic procedures (--recall).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/prefetch.h"
#include "rules/patient_fields.h"
#include "rules/rfm.h"  // Decimal
#include "rules/table.h"

namespace kartoteka {

// Twice the median gap between consecutive distinct visit dates (ascending, distinct): an
// integer even when the median is a half day. nullopt for fewer than 3 dates (§8.26).
std::optional<int64_t> median_gap_x2(const std::vector<Day>& dates);
// A doubled value printed with at most one decimal: 90 → "45", 65 → "32.5".
std::string format_half(int64_t x2);
// days_since > K × median, exactly (K = --adaptive, median = median_x2 / 2).
bool exceeds_rhythm(int64_t days_since, const Decimal& k, int64_t median_x2);
// Parses --adaptive K: a number ≥ 0 (`.` or `,` as decimal separator); UsageError otherwise.
Decimal parse_adaptive_k(std::string_view text);

struct SleepingOptions {
  int64_t after = 180;
  int64_t lost_after = 1095;
  bool include_booked = false;
  std::optional<Decimal> adaptive;  // K
};

// Default and --adaptive lists (§6.3): id,name,phone,last_visit,days_since,visits,spent,
// home_branch,reason[,typical_gap] then the --from columns, streamed to `out`; sorted by spent
// desc, then id. `ctx.visits` must hold home_branch (and visit_dates with --adaptive).
void sleeping_list(const FieldContext& ctx, const std::vector<uint32_t>& population,
                   const SleepingOptions& options, RowSink& out);

struct RecallPattern {
  std::string pattern;  // as given: printed in the `service` column
  std::string folded;   // lower-cased, ё→е, for matching
  int64_t days = 0;
};
// Parses `PATTERN=DAYS`, split at the last `=` (§8.26); UsageError otherwise.
RecallPattern parse_recall(std::string_view text);

// Collects, per pattern and patient, the last date of a counted non-refund row whose service or
// service_category contains the pattern (case-insensitive, ё=е). Feed it every visit row.
class RecallCollector {
 public:
  RecallCollector(std::vector<RecallPattern> patterns, size_t patients, Day as_of);
  void add(const VisitRow& r);
  // A hint, some rows before add(r): asks for the patient's line of every pattern (a paid row
  // may match any of them). Changes nothing.
  void prefetch(const VisitRow& r) const {
    if (r.amount < 0) return;
    for (size_t k = 0; k < patterns_.size(); ++k) prefetch_read(&last_[k * patients_ + r.patient]);
  }
  const std::vector<RecallPattern>& patterns() const { return patterns_; }
  Day last(size_t pattern, uint32_t patient) const { return last_[pattern * patients_ + patient]; }

 private:
  // Which patterns a text contains, remembered per distinct text (services repeat endlessly).
  // `slot` keeps two uncached answers apart (service and category of one row).
  const std::vector<char>& matches(std::string_view text, int slot);
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  std::vector<RecallPattern> patterns_;
  size_t patients_;
  Day as_of_;
  std::vector<Day> last_;  // pattern-major
  std::unordered_map<std::string, std::vector<char>, Hash, std::equal_to<>> cache_;
  std::vector<char> scratch_[2];
};

// --recall list (§6.3): id,name,phone,service,last_service_date,due_date,days_overdue,home_branch
// then the --from columns, streamed to `out`; due when as-of ≥ last + DAYS and as-of − last <
// lost_after, without an upcoming appointment unless include_booked. Sorted by days_overdue desc,
// id, pattern order. Returns how many patients of the population were overdue for some pattern
// but left out because their last such service is lost_after days ago or more (§8.48; booked
// patients, left out for that, are not counted).
size_t recall_list(const FieldContext& ctx, const std::vector<uint32_t>& population,
                   const RecallCollector& recall, const SleepingOptions& options, RowSink& out);

}  // namespace kartoteka
