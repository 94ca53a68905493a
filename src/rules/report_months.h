// The report's `months` table (SPEC §6.7): per calendar month of the window, new patients,
// patients with a visit, visits and revenue — folded from the visit rows as they stream by.
#pragma once
#include <algorithm>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/visit_stats.h"
#include "rules/table.h"

namespace kartoteka {

// The `--months` months up to and including the as-of month, oldest first.
struct MonthWindow {
  int first = 0;  // month_index() of the oldest month
  int count = 0;
  static MonthWindow ending_at(Day as_of, int months);
  // Position of d's month in the window, or -1 outside it (kNoDay: -1). Asked for every row:
  // found among the months' first days, no calendar arithmetic.
  int slot(Day d) const {
    if (d < starts.front() || d >= starts.back()) return -1;
    return static_cast<int>(std::upper_bound(starts.begin(), starts.end(), d) - starts.begin()) - 1;
  }
  int index(int slot) const { return first + slot; }

  std::vector<Day> starts = {0, 0};  // first day of each month, then of the month after the last
};

// Feed it every visit row of a known patient (a VisitObserver); it keeps the counted rows.
// A visit (§2.6, §8.15: (patient, visit_id), else (patient, date)) belongs to the month of its
// earliest counted row that is not a refund, wherever that row stands in the file — so each
// visit's earliest date is kept until the end: memory follows distinct visits (16 bytes a
// table slot, at most three quarters full), as the fold's own visit keys do, never rows.
class VisitMonths {
 public:
  VisitMonths(MonthWindow window, Day as_of);
  void add(const VisitRow& r);
  // A hint some rows before add(r): asks for the table slot r's visit starts probing at.
  void prefetch(const VisitRow& r) const;

  // month,new_patients,patients,visits,revenue — one row per month of the window, oldest first;
  // new_patients from the fold's first_visit of every patient (§6.7).
  Table table(const VisitFold& fold) const;

 private:
  struct Slot {
    uint64_t key;
    uint32_t patient;  // kEmpty = free slot
    Day day;           // the visit's earliest counted non-refund row
  };
  static constexpr uint32_t kEmpty = UINT32_MAX;
  // The same visit identity as VisitFold (§8.15): the date without a visit_id, a visit_id of
  // digits by value and length, a short one by its bytes, a long one by an interned number.
  uint64_t key_of(const VisitRow& r);
  uint64_t key_of_known(const VisitRow& r) const;  // prefetch: no interning (0 = unknown)
  // A row's key, computed by prefetch() a few rows before add() needs it: by the row's seq.
  struct Ahead {
    uint64_t seq = UINT64_MAX, key = 0;
  };
  static constexpr size_t kAhead = 32;  // more than the reader's distance from ahead to see
  mutable Ahead ahead_[kAhead];
  static uint64_t hash(uint32_t patient, uint64_t key);
  void grow();

  MonthWindow window_;
  Day as_of_;
  std::vector<Kopecks> revenue_;
  std::vector<Slot> slots_;
  size_t used_ = 0;
  std::unordered_map<std::string, uint32_t> long_ids_;
  // The row before: rows of one visit usually come one after another.
  uint32_t last_patient_ = kEmpty;
  uint64_t last_key_ = 0;
  size_t last_slot_ = 0;
};

}  // namespace kartoteka
