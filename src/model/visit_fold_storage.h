// VisitFold's layout (model/visit_stats.h): the 64-byte patient states with their visit-key
// streams and branch slots, the shared byte pool, the optional sets. Internal to the fold:
// included by model/visit_stats.cpp only, so the public header keeps to the contract and a
// layout change rebuilds one file.
#pragma once
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/visit_stats.h"

namespace kartoteka {

// Interned strings: each distinct value stored once, referred to by a small id.
class StringPool {
 public:
  uint32_t intern(std::string_view s);
  std::string_view get(uint32_t id) const { return strings_[id]; }
  size_t size() const { return strings_.size(); }

 private:
  std::deque<std::string> strings_;
  std::unordered_map<std::string_view, uint32_t> ids_;
  // Direct-mapped cache in front of ids_: a visits file repeats a few hundred branch, doctor and
  // service names millions of times. Entry = id + 1 (0 = empty).
  uint32_t recent_[256] = {};
};

// Cache-line aligned (and so padded to whole lines): the fold is written for every row on the
// working thread, so no heap neighbour that the reading thread writes (the record pipe's
// batches) should share a line with it. A precaution: no difference was measured.
struct alignas(64) VisitFold::Impl {
  Impl(size_t patients, Day as_of, StatsNeeds needs);
  FoldRow prepare(const VisitRow& r);
  void apply(uint32_t patient, const FoldRow& row);
  void finish();
  std::string_view home_branch(uint32_t p) const;

  // A branch a patient's visits name, with the latest date of a counted row naming it. How many
  // distinct visits it has is not kept: the patient's key stream holds each (visit, branch) pair
  // once, so finish() counts them there.
  struct BranchLast {
    uint32_t branch;  // interned id
    Day last;
  };
  static constexpr uint32_t kManyBranches = UINT32_MAX - 1;  // never an interned id
  // A patient's branches, 12 bytes inside its state. Most patients only ever name one branch,
  // kept right here: no heap block a patient. From the second one on, the list moves to a run
  // of branch_runs_ (capacity 2, 4, 8, …: 8 bytes a branch) and the slot says where. finish()
  // writes the home branch into `one` for every patient.
  union BranchSlot {
    // one.branch == FoldRow::kNone: no branch yet; otherwise the only branch (or, after
    // finish(), the home branch).
    BranchLast one = {FoldRow::kNone, 0};
    // many.tag == kManyBranches: `count` branches from branch_runs_[run] on. (`tag` and
    // `one.branch` are a common initial sequence, so either may be read.)
    struct Many {
      uint32_t tag;
      uint32_t run;
      uint32_t count;
    } many;
  };
  // Distinct visits per patient (§2.6, §8.15) without a global hash set: each patient keeps the
  // keys of its visits as a delta-coded byte stream in chunks of one shared pool (≈3 bytes a
  // visit instead of ≈32), plus the last and the largest key. Rows of one visit are usually
  // adjacent and document numbers grow with the file, so nearly every row is decided by
  // `last`/`max` alone; only a key below `max` scans that patient's stream.
  // With home_branch, entries are (visit, branch code) pairs, code = the branch's place in the
  // patient's list + 1, or 0 for a visit whose rows so far name no branch: a visit is known when
  // any entry has its key; a row adds an entry only for a new pair. An entry's code is the one of
  // the entry before (the first entry's: 1) unless the entry says otherwise (see for_each_key),
  // so a patient who keeps to one branch pays next to nothing for it. The branch slot lives here
  // too: with it the struct fills PatientState's cache line.
  struct Seen {
    uint64_t last = 0;              // last entry's visit key
    uint64_t max = 0;               // largest visit key so far
    uint32_t first = 0;             // first chunk (0 = no entries yet)
    uint32_t cur = 0;               // chunk being written
    uint32_t used : 5 = 0;          // bytes used in `cur`
    uint32_t first_kind : 2 = 0;    // the first entry's key kind (its top two bits)
    uint32_t last_branch : 25 = 0;  // last entry's branch code
    BranchSlot branches;
  };
  static constexpr uint32_t kMaxBranches = (1u << 25) - 2;  // of one patient: codes fit 25 bits
  // Everything a row of a patient touches besides the optional sets, in one cache line: the
  // reader prefetches it with one request.
  struct alignas(64) PatientState {
    VisitStats stats;
    Seen seen;
  };
  static_assert(sizeof(VisitStats) == 24 && sizeof(Seen) == 40);
  static_assert(sizeof(PatientState) == 64);
  // The pool is counted in units of 16 bytes. A chunk is 4 bytes of next-chunk index, then
  // payload; a stream's first chunk is one unit, the next ones two: most patients have a few
  // visits (a dozen bytes), and a long stream keeps few hops.
  static constexpr size_t kUnit = 16, kFirstPayload = kUnit - 4, kPayload = 2 * kUnit - 4;
  static_assert(kPayload < 32, "Seen::used has 5 bits");
  static constexpr uint32_t kNoRun = UINT32_MAX;
  uint64_t visit_key(const VisitRow& r);
  // Records (visit, code) in `s` unless known; true when the visit itself is new. Without
  // home_branch every code is 0.
  bool insert_key(Seen& s, uint64_t visit, uint32_t code);
  // Calls f(visit, code) for the entries of `s` in stream order until f returns true.
  template <class F>
  void for_each_key(const Seen& s, F&& f) const;
  void put_byte(Seen& s, uint8_t b);
  void put_varint(Seen& s, uint64_t v);
  // The patient's branch code for `branch` (added if new), its latest date raised to `date`.
  uint32_t note_branch(BranchSlot& slot, uint32_t branch, Day date);
  // A run of branch_runs_ with room for 2 << k branches (reusing a freed one), and its release.
  uint32_t new_run(unsigned k);
  void free_run(uint32_t run, unsigned k);
  // For each patient with 2+ branches: counts its pairs and keeps the home branch in `one`.
  void settle_branches();
  std::vector<std::string_view> strings(const std::vector<std::vector<uint32_t>>& sets,
                                        uint32_t p) const;

  Day as_of_;
  StatsNeeds needs_;
  std::vector<PatientState> states_;
  StringPool pool_;
  std::unordered_map<std::string, uint32_t> visit_ids_;  // long non-numeric visit ids
  std::vector<uint8_t> pool_bytes_;                      // chunks of the streams; unit 0 unused
  std::vector<std::vector<uint32_t>> services_, categories_, doctors_;
  // Base of each patient's first visit key, by kind (the fold's first key of that kind): keys
  // of one export are close to one another, far from 0.
  uint64_t key_base_[4] = {};
  bool key_based_[4] = {};
  uint32_t first_code_;  // branch code before a stream's first entry
  uint32_t escapes_;     // smallest entry varint that is not an escape (see for_each_key)
  std::vector<BranchLast> branch_runs_;  // lists of patients with 2+ branches
  uint32_t free_runs_[32];               // by size class: first freed run, or kNoRun
  bool finished_ = false;
  std::vector<std::vector<Day>> dates_;
  // With visit_values: per patient, the counted non-refund amounts in all and on the first visit
  // day (restarted whenever an earlier day turns up), and the distinct visit days. Half a cache
  // line: the first two days are kept here, a patient's third day moves them all to a list of
  // day_spill_ (most patients have one or two). A row whose day is later than every day so far
  // is a new day without looking (rows usually come in date order).
  struct alignas(32) DayTally {
    Kopecks all = 0, first_day = 0;
    Day two[2] = {kNoDay, kNoDay};
    uint32_t days = 0;
    uint32_t spill = 0;  // 1 + index in day_spill_, 0 = none
  };
  static_assert(sizeof(DayTally) == 32);
  // Counts `date` as a visit day of `t` unless known; `latest` is the patient's latest visit day
  // before this row.
  void note_day(DayTally& t, Day date, Day latest);
  std::vector<DayTally> tally_;
  std::vector<std::vector<Day>> day_spill_;
};

}  // namespace kartoteka
