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
  // Direct-mapped cache in front of ids_: a visits file repeats a few hundred branch, doctor and
  // service names millions of times. Entry = id + 1 (0 = empty).
  uint32_t recent_[256] = {};
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
  // Empty unless StatsNeeds::visit_dates was requested.
  const std::vector<Day>& visit_dates(uint32_t p) const {
    static const std::vector<Day> kNone;
    return dates_.empty() ? kNone : dates_[p];
  }
  Day as_of() const { return as_of_; }

 private:
  struct BranchCount {
    uint32_t branch;
    uint32_t visits;
    Day last;
  };
  // Distinct visits per patient (§2.6, §8.15) without a global hash set: each patient keeps the
  // keys of its visits as a delta-coded byte stream in chunks of one shared pool (≈3 bytes a
  // visit instead of ≈32), plus the last and the largest key. Rows of one visit are usually
  // adjacent and document numbers grow with the file, so nearly every row is decided by
  // `last`/`max` alone; only a key below `max` scans that patient's stream.
  // With home_branch, (visit, branch) pairs are entries of the same stream.
  struct Seen {
    uint64_t last = 0;         // last entry's visit key
    uint64_t max = 0;          // largest visit key so far
    uint32_t first = 0;        // first chunk (0 = no entries yet)
    uint32_t cur = 0;          // chunk being written
    uint32_t last_branch = 0;  // last entry's branch id + 1 (0: the visit itself)
    uint8_t used = 0;          // bytes used in `cur`
  };
  static constexpr size_t kChunk = 32;  // 4 bytes of next-chunk index, then payload
  uint64_t visit_key(const VisitRow& r);
  // True when (visit, branch) was not seen for patient p; records it.
  bool insert_key(uint32_t p, uint64_t visit, uint32_t branch);
  bool scan(const Seen& s, uint64_t visit, uint32_t branch) const;  // true when present
  void put_byte(Seen& s, uint8_t b);
  void put_varint(Seen& s, uint64_t v);
  std::vector<std::string_view> strings(const std::vector<std::vector<uint32_t>>& sets,
                                        uint32_t p) const;

  Day as_of_;
  StatsNeeds needs_;
  std::vector<VisitStats> stats_;
  StringPool pool_;
  std::unordered_map<std::string, uint32_t> visit_ids_;  // long non-numeric visit ids
  std::vector<Seen> seen_;
  std::vector<uint8_t> pool_bytes_;  // chunks of kChunk bytes; chunk 0 unused
  std::vector<std::vector<uint32_t>> services_, categories_, doctors_;
  std::vector<std::vector<BranchCount>> branches_;
  std::vector<std::vector<Day>> dates_;
};

}  // namespace kartoteka
