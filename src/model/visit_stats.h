// Per-patient visit statistics (SPEC §2.6), folded row by row as the visits file streams by:
// memory follows patients and distinct visits, never raw rows.
#pragma once
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
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

struct VisitStats {
  Day first_visit = kNoDay;
  Day last_visit = kNoDay;
  uint32_t visits = 0;
  Kopecks spent = 0;
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
};

// Interned strings: each distinct value stored once, referred to by a small id.
class StringPool {
 public:
  uint32_t intern(std::string_view s);
  std::string_view get(uint32_t id) const { return strings_[id]; }

 private:
  std::deque<std::string> strings_;
  std::unordered_map<std::string_view, uint32_t> ids_;
};

class VisitFold {
 public:
  VisitFold(size_t patients, Day as_of, StatsNeeds needs);

  // Folds one row (§2.6): counted rows make visits (distinct (patient, visit_id), or
  // (patient, date) without a visit_id), dates, services; a counted refund (amount < 0) only
  // lowers spent; planned rows on or after as-of mark an upcoming appointment.
  void add(const VisitRow& r);
  // Finalises per-patient sets (sorting). Call once after the last add().
  void finish();

  const VisitStats& stats(uint32_t p) const { return stats_[p]; }
  size_t size() const { return stats_.size(); }
  // Distinct values in byte order (§8.18). Empty unless requested in StatsNeeds.
  std::vector<std::string_view> services(uint32_t p) const { return strings(services_, p); }
  std::vector<std::string_view> service_categories(uint32_t p) const {
    return strings(categories_, p);
  }
  std::vector<std::string_view> doctors(uint32_t p) const { return strings(doctors_, p); }
  // The visits' branch with most distinct visits; ties → most recent, then byte order (§8.16).
  // Empty when no visit names a branch (the caller falls back to the patient's branch).
  std::string_view home_branch(uint32_t p) const;
  // Distinct dates of counted non-refund rows, ascending.
  const std::vector<Day>& visit_dates(uint32_t p) const { return dates_[p]; }
  Day as_of() const { return as_of_; }

 private:
  struct BranchCount {
    uint32_t branch;
    uint32_t visits;
    Day last;
  };
  struct Key {
    uint32_t patient;
    uint32_t extra;  // 0 for the visit itself, branch id + 1 for (visit, branch)
    uint64_t visit;
    bool operator==(const Key& o) const {
      return patient == o.patient && extra == o.extra && visit == o.visit;
    }
  };
  uint64_t visit_key(const VisitRow& r);
  bool insert_key(const Key& k);  // true when new
  std::vector<std::string_view> strings(const std::vector<std::vector<uint32_t>>& sets,
                                        uint32_t p) const;

  Day as_of_;
  StatsNeeds needs_;
  std::vector<VisitStats> stats_;
  StringPool pool_;
  std::unordered_map<std::string, uint32_t> visit_ids_;  // non-numeric visit ids
  std::vector<Key> keys_;  // open addressing set; patient == UINT32_MAX is empty
  size_t key_count_ = 0;
  Key last_key_{UINT32_MAX, 0, 0};
  std::vector<std::vector<uint32_t>> services_, categories_, doctors_;
  std::vector<std::vector<BranchCount>> branches_;
  std::vector<std::vector<Day>> dates_;
};

}  // namespace kartoteka
