// The views of `bonus-ledger` (SPEC §6.5, §8.31–§8.35) — balances, journal, audit, monthly
// summary — over one Ledger booked from the visits, the adjustments and the referrals. Pure: the
// caller reads the files and hands in rows, the fold and the adjustments; rows go out through a
// RowSink (or a Table for the small views).
//
//   LedgerBook book(patients, as_of, rules, LedgerView::Summary);
//   book.add_adjustments(adjustments);          // before the visits (§8.31: file order)
//   ...fold the visits, calling book.see(row) for every row of a known patient...
//   book.finish(fold);                          // the referral credits (they need the fold)
//   Table t = ledger_summary(book, population);
//
// The what-if replay of many rule sets over one read is in rules/ledger_whatif.h.
#pragma once
#include <cstdint>
#include <future>
#include <optional>
#include <string>
#include <vector>

#include "model/adjustment.h"
#include "model/date.h"
#include "model/money.h"
#include "model/patients.h"
#include "model/visit_stats.h"
#include "rules/ledger.h"
#include "rules/referrals.h"
#include "rules/table.h"

namespace kartoteka {

// The rules of one ledger: what --expire-days, --cashback, --credit and --no-referrals set.
struct LedgerRules {
  int64_t expire_days = 180;  // a lot expires this many days after its date; 0 = never
  int64_t cashback = 0;       // percent in hundredths (500 = 5 %, 750 = 7.5 %)
  Kopecks credit = 10000;     // per qualified referral; 0 = no referral credits
  bool referrals() const { return credit > 0; }
};

// What only the balance list reads: the discount scale and the `expiring` window.
struct BalanceTerms {
  std::vector<Tier> tiers;  // by threshold ascending (parse_tiers)
  int64_t expiring_within = 30;
};

// Which view the ledger is booked for: each keeps only what it prints (notes and the id order
// for the journal; same-day events summed for balances).
enum class LedgerView : uint8_t { Balances, Journal, Audit, Summary };

// Day counts are whole numbers ≥ 0 (§8.38), at most 6 digits: "180" → 180; nullopt otherwise.
std::optional<int64_t> parse_whole_days(std::string_view text);
// The same for an option: UsageError naming `option` when it is not such a number.
int64_t parse_days(std::string_view option, std::string_view text);

// Position of each patient's id in byte order (rank[p]).
std::vector<uint32_t> id_ranks(const PatientTable& patients);

// The qualified referrals (§6.4) in the order their credits are booked within a day: by the new
// patient's id (§8.31).
std::vector<Referral> credited_referrals(const PatientTable& patients, const ReferralFacts& facts,
                                         const VisitFold& visits);

// One ledger under one rule set, its events booked as the rows pass (nothing per row is kept
// beyond the ledger's own events). Call add_adjustments(), then see() for every visit row, then
// finish(), then one view function below (each runs the ledger, once).
class LedgerBook {
 public:
  // `two_threads`: the ledger faults its memory in, and runs balances, on two threads.
  LedgerBook(const PatientTable& patients, Day as_of, const LedgerRules& rules, LedgerView view,
             bool two_threads = false);

  // Zero amounts and rows after as-of are not events (§8.32); an unknown card is kept for the
  // audit's `unknown_patient` rows.
  void add_adjustments(const std::vector<Adjustment>& adjustments);
  // Every visit row of a known patient, in file order: counted rows book redeem and cashback;
  // every row feeds the referral facts when referrals are credited.
  void see(const VisitRow& r);
  // Whether ahead() is worth calling, and a hint some rows before see(r). Changes nothing.
  bool wants_ahead() const { return facts_.has_value(); }
  void ahead(const VisitRow& r) const { facts_->prefetch(r); }
  // After the last row: books the referral credits.
  void finish(const VisitFold& visits);

  const PatientTable& patients() const { return pt_; }
  Day as_of() const { return as_of_; }
  LedgerView view() const { return view_; }
  bool two_threads() const { return two_threads_; }
  Ledger& ledger() { return ledger_; }
  const NoteArena& notes() const { return notes_; }

  struct Unknown {  // an adjustment for a card not in the patients file
    Day date;
    std::string id;
    Kopecks amount;
  };
  const std::vector<Unknown>& unknown() const { return unknown_; }
  // The id ranks for the balance list's tie-break, sorted on another core since finish().
  std::vector<uint32_t> take_list_ranks() { return list_rank_.get(); }

 private:
  const PatientTable& pt_;
  Day as_of_;
  LedgerRules rules_;
  LedgerView view_;
  bool two_threads_;
  Ledger ledger_;
  NoteArena notes_;
  std::vector<Unknown> unknown_;
  std::optional<ReferralFacts> facts_;
  std::future<std::vector<uint32_t>> list_rank_;
};

// Per-patient flags of a population (§4), for views that skip rows of other patients.
std::vector<bool> population_flags(size_t patients, const std::vector<uint32_t>& population);

// --journal: `date,id,kind,amount,balance,note` in processing order (§8.31), streamed to `out`
// (the journal is as long as the visits), the population's rows only.
void ledger_journal(LedgerBook& book, const std::vector<uint32_t>& population, RowSink& out);

// --audit: `date,id,issue,amount` — the population's overdrafts, and without a narrowed
// population (--from, --contactable) the adjustments for unknown cards; by date, id, processing
// order (§8.35).
Table ledger_audit(LedgerBook& book, const std::vector<uint32_t>& population, bool narrowed);

// --summary: the population's journal by calendar month (§8.35); ledger_months() for the values.
std::vector<MonthRow> ledger_months(LedgerBook& book, const std::vector<uint32_t>& population);
Table ledger_summary(LedgerBook& book, const std::vector<uint32_t>& population);
Table month_table(const std::vector<MonthRow>& months);

// The default view: one row per patient of the population with visits or journal rows,
// `id,name,phone,balance,expiring,next_expiry,earned,redeemed,expired,spent,discount_pct,
// next_tier_gap` plus the --from list's travelling columns, by balance desc then id; streamed.
void ledger_balances(LedgerBook& book, const VisitFold& visits,
                     const std::vector<uint32_t>& population, const BalanceTerms& terms,
                     const FromList* from, RowSink& out);

}  // namespace kartoteka
