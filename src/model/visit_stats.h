// Per-patient visit statistics (SPEC §2.6), folded row by row as the visits file streams by:
// memory follows patients and distinct visits, never raw rows.
#pragma once
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "model/date.h"
#include "model/money.h"
#include "model/values.h"

namespace kartoteka {

// One visits-file row of a known patient, parsed and validated.
struct VisitRow {
  uint32_t patient = 0;  // index in PatientTable
  int64_t line = 0;      // physical line in the visits file
  uint64_t seq = 0;      // order among the rows handed out (file order)
  Day date = kNoDay;
  Kopecks amount = 0;
  Kopecks bonus_paid = 0;
  Status status = Status::Completed;
  std::string_view visit_id, service, service_category, doctor, branch, referrer_id;
};

// A counted row (§2.6): completed and dated on or before as-of.
inline bool is_counted(const VisitRow& r, Day as_of) {
  return r.status == Status::Completed && r.date <= as_of;
}
// An upcoming appointment: planned and dated on or after as-of.
inline bool is_upcoming(const VisitRow& r, Day as_of) {
  return r.status == Status::Planned && r.date >= as_of;
}

// 24 bytes (spent first: no padding between the fields), part of VisitFold's 64-byte state.
struct VisitStats {
  Kopecks spent = 0;
  Day first_visit = kNoDay;
  Day last_visit = kNoDay;
  uint32_t visits = 0;
  bool upcoming = false;
};

// What to collect beyond VisitStats (each costs memory, so only on demand).
struct StatsNeeds {
  bool services = false;
  bool service_categories = false;
  bool doctors = false;
  bool home_branch = false;
  bool visit_dates = false;  // distinct visit dates, for sleeping --adaptive
  Day since = kNoDay;        // rfm --since: only counted rows dated ≥ since count
  // rfm --predict: the number of distinct visit days, the value of the first one and of all.
  bool visit_values = false;
};

// What VisitFold::apply() needs of a row, taken from it by VisitFold::prepare() while the row's
// strings are still valid: no views, so it can wait in a queue while the patient is looked up.
struct FoldRow {
  static constexpr uint32_t kNone = UINT32_MAX;  // no value (or not collected)
  uint64_t visit = 0;  // visit key (§8.15); set for counted non-refund rows only
  Kopecks amount = 0;
  Day date = kNoDay;
  // Interned ids in the fold's pool, kNone for an empty cell or a value StatsNeeds doesn't ask for.
  uint32_t service = kNone, category = kNone, doctor = kNone, branch = kNone;
  bool upcoming = false;  // is_upcoming()
  bool counted = false;   // is_counted() and not before StatsNeeds::since
};

class VisitFold {
 public:
  VisitFold(size_t patients, Day as_of, StatsNeeds needs);

  // Folds one row (§2.6): counted rows make visits (distinct (patient, visit_id), or
  // (patient, date) without a visit_id), dates, services; a counted refund (amount < 0) only
  // lowers spent; planned rows on or after as-of mark an upcoming appointment.
  // Same as apply(r.patient, prepare(r)).
  void add(const VisitRow& r) { apply(r.patient, prepare(r)); }

  // add() in two halves, for a reader that overlaps the cache misses of many rows:
  // prepare() takes everything the fold needs from the row's strings (the visit key, interned
  // service, category, doctor, branch) and does not look at r.patient; apply() folds that into
  // the patient's statistics and touches nothing else of the row. The fold's results do not
  // depend on the order of rows (nor on VisitRow::line or seq), so prepared rows may be applied
  // later, but each prepared row must be applied at most once, to this fold only. Preparing a row
  // that is then dropped (an unknown card) is harmless: it only interns a few strings.
  // prepare() writes only the string pool and the visit-id numbering, which apply() never reads:
  // one thread may prepare rows while another applies earlier ones. Past the fold's 32-bit
  // limits (distinct values, the visit keys' pool, branches) they throw std::length_error.
  FoldRow prepare(const VisitRow& r);
  void apply(uint32_t patient, const FoldRow& row);
  // Hints for the reader, a few rows before apply(): prefetch() asks for the patient's state
  // (one cache line, which also holds a patient's only branch); prefetch_keys() then, once that
  // line has arrived, for the spot where the patient's next visit key will be written and, for a
  // patient with 2+ branches, for its list of branches. Neither changes anything.
  void prefetch(uint32_t patient) const;
  void prefetch_keys(uint32_t patient) const;

  // Finalises per-patient sets (sorting) and home branches, and frees what only reading needed
  // (the visit keys, the branch lists): call once after the last add() / apply(), before
  // home_branch(); the fold is read-only afterwards.
  void finish();

  const VisitStats& stats(uint32_t p) const;
  size_t size() const;  // patients
  // Distinct values in byte order (§8.18). Empty unless requested in StatsNeeds.
  std::vector<std::string_view> services(uint32_t p) const;
  std::vector<std::string_view> service_categories(uint32_t p) const;
  std::vector<std::string_view> doctors(uint32_t p) const;
  // The visits' branch with most distinct visits; ties → most recent, then byte order (§8.16).
  // Empty when no visit names a branch (the caller falls back to the patient's branch).
  // Only after finish() (before, with home_branch requested: std::logic_error).
  std::string_view home_branch(uint32_t p) const;
  // Distinct dates of counted non-refund rows, ascending.
  // Empty unless StatsNeeds::visit_dates was requested.
  const std::vector<Day>& visit_dates(uint32_t p) const;
  // The value of the visit days after the first (§6.2: the sum of `amount` over counted
  // non-refund rows dated after the first visit day). 0 unless StatsNeeds::visit_values.
  Kopecks repeat_value(uint32_t p) const;
  // Distinct dates of counted non-refund rows (§6.2 visit days). 0 unless
  // StatsNeeds::visit_values.
  uint32_t visit_days(uint32_t p) const;
  Day as_of() const;
  const StatsNeeds& needs() const;

  // A moved-from fold may only be assigned to or destroyed.
  VisitFold(VisitFold&&) noexcept;
  VisitFold& operator=(VisitFold&&) noexcept;
  ~VisitFold();

 private:
  // The patient states (one cache line each: the stats, the visit-key stream's head, the
  // branches), the key streams' pool, the interned strings and the optional sets:
  // model/visit_fold_storage.h.
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kartoteka
