// `bonus-ledger --what-if` (SPEC §6.5 "What if", §8.59): the same history replayed under other
// rules. The visits are read and folded once into a LedgerHistory that keeps what the rules do
// not change — per counted row the money paid (amount − bonus_paid, cashback's base) and the
// bonus_paid debited, the adjustments, the qualified referrals — and each rule set replays it.
// Pure: rows in, totals out.
//
//   LedgerHistory history(patients, as_of, /*referrals=*/true);
//   history.add_adjustments(adjustments);      // before the visits
//   ...fold the visits, calling history.see(row) for every row of a known patient...
//   history.finish(fold);
//   std::vector<LedgerReplay> r = replay(history, {current, what_if_1}, in_population, true);
//
// Each replay equals what `bonus-ledger --summary` (and `--audit`) prints under its rules
// (tests/unit/test_ledger_whatif.cpp holds them side by side on random histories).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/adjustment.h"
#include "model/date.h"
#include "base/huge_pages.h"
#include "model/money.h"
#include "model/patients.h"
#include "model/visit_stats.h"
#include "rules/ledger.h"
#include "rules/ledger_report.h"
#include "rules/referrals.h"
#include "rules/table.h"

namespace kartoteka {

// One --what-if: OPTIONS as given and the rules they make.
struct WhatIf {
  std::string text;
  LedgerRules rules;
};
// Parses one --what-if OPTIONS (§8.59): `cashback=PCT expire-days=N credit=RUB no-referrals`,
// separated by runs of spaces or tabs, each overriding `base` (the command's own rules);
// `credit=` turns referral credits on even when `base` has none. UsageError naming the
// --what-if for an empty OPTIONS, an unknown or repeated key, a bad value, credit= with
// no-referrals.
LedgerRules parse_what_if(std::string_view options, const LedgerRules& base);

// What every rule set shares, kept once. Memory: 15 bytes a counted row paid in money (its
// cashback base), one a visit day paid in bonuses, one an adjustment and a referral.
class LedgerHistory {
 public:
  // `referrals`: whether any rule set credits referrals (else their facts are not collected).
  LedgerHistory(const PatientTable& patients, Day as_of, bool referrals);

  // As LedgerBook's: zero amounts and rows after as-of are not events; unknown cards play no
  // part in a replay (they are audited, never applied).
  void add_adjustments(const std::vector<Adjustment>& adjustments);
  void see(const VisitRow& r);
  // With many events, fault the memory for the next ones in on a second thread (ChunkArena).
  void prefault_ahead(bool on) { blocks_.prefault_ahead(on); }
  bool wants_ahead() const { return facts_.has_value(); }
  void ahead(const VisitRow& r) const { facts_->prefetch(r); }
  void finish(const VisitFold& visits);

  // The kinds kept, in same-day processing order (§8.31): debits, then credits.
  enum class Kind : uint8_t { Redeem, AdjustDebit, CashbackBase, Referral, AdjustCredit };
#pragma pack(push, 1)
  struct Event {
    Kopecks amount;  // CashbackBase: the money paid; Referral: 1; otherwise the amount
    Day date;
    uint16_t local;  // patient within the bucket
    Kind kind;
  };
#pragma pack(pop)
  static constexpr uint32_t kBucketBits = 12;
  size_t buckets() const {
    return buckets_.size();
  }
  size_t patients() const {
    return patients_;
  }
  Day as_of() const {
    return as_of_;
  }
  Day first_date() const {
    return first_date_;
  }  // of any event; kNoDay without events
  // Calls f(event) for every event of bucket b (patients b·4096 …), in the order added.
  template <class F>
  void for_each(size_t b, F&& f) const {
    const Bucket& bucket = buckets_[b];
    for (size_t i = 0; i < bucket.size; ++i) f(bucket.blocks[i / kBlock][i % kBlock]);
  }
  size_t bucket_size(size_t b) const {
    return buckets_[b].size;
  }

 private:
  static constexpr size_t kBlock = 4096;
  struct Bucket {
    std::vector<Event*> blocks;
    size_t size = 0;
  };
  void add(uint32_t patient, Day date, Kind kind, Kopecks amount);

  const PatientTable& pt_;
  size_t patients_;
  Day as_of_;
  Day first_date_ = kNoDay;
  std::vector<Bucket> buckets_;
  ChunkArena blocks_;
  std::optional<ReferralFacts> facts_;
};

// A replay's result: the monthly summary exactly as `--summary` prints it, and the sum of the
// audit's overdraft shortfalls.
struct LedgerReplay {
  std::vector<MonthRow> months;
  Kopecks overdraft = 0;
};

// Replays the history under each rule set, for the patients flagged in `population` (one flag a
// patient). `two_threads`: the patients are replayed in halves on two threads.
std::vector<LedgerReplay> replay(const LedgerHistory& history,
                                 const std::vector<LedgerRules>& rule_sets,
                                 const std::vector<bool>& population, bool two_threads);

// The what-if rows (§6.5): `scenario,cashback,expire_days,credit,issued,redeemed,expired,
// overdraft,outstanding,peak_outstanding,peak_month,revenue,cost_pct`, one per rule set in the
// order given (`current` first, by the caller); `revenue` = the population's total spent.
void what_if_rows(const std::vector<WhatIf>& sets, const std::vector<LedgerReplay>& replays,
                  Kopecks revenue, RowSink& out);

// cost_pct: part ÷ whole × 100 with two decimals, rounded half away from zero; "" when whole ≤ 0.
std::string format_cost_pct(Kopecks part, Kopecks whole);

}  // namespace kartoteka
