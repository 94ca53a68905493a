// The internal bonus account (SPEC §6.5, §8.31–§8.35): credits open lots that expire, debits
// consume lots oldest first, a balance is never negative. Pure: events in, journal out.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/date.h"
#include "model/money.h"
#include "model/percent.h"

namespace kartoteka {

// Within one day the kinds are processed in this order (§8.31), after the day's expiries; each
// kind in its own `seq` order (file order, or new_id order for referrals).
enum class LedgerKind : uint8_t { Redeem, AdjustDebit, Cashback, Referral, AdjustCredit, Expire };

inline bool is_debit(LedgerKind k) {
  return k == LedgerKind::Redeem || k == LedgerKind::AdjustDebit;
}
inline bool is_credit(LedgerKind k) {
  return k == LedgerKind::Cashback || k == LedgerKind::Referral || k == LedgerKind::AdjustCredit;
}
// The journal's `kind` column: redeem, adjust, cashback, referral, expire.
std::string_view kind_name(LedgerKind k);

// Journal notes are mostly numeric visit ids: those are kept inline in the reference (no text
// stored per row); anything else goes to one text arena.
using NoteRef = uint64_t;
class NoteArena {
 public:
  static constexpr NoteRef kEmpty = 0;
  NoteRef add(std::string_view note);
  std::string get(NoteRef ref) const;

 private:
  static constexpr NoteRef kInline = NoteRef{1} << 63;
  std::string text_;
  std::vector<uint64_t> starts_{0};  // arena note i (1-based) is [starts_[i-1], starts_[i])
  std::string last_;                 // rows of one visit share a note: not stored twice
  NoteRef last_ref_ = kEmpty;
};

struct LedgerEvent {
  Kopecks amount = 0;  // > 0: the credit, or the debit asked for
  NoteRef note = NoteArena::kEmpty;
  Day date = kNoDay;
  uint32_t patient = 0;
  uint32_t seq = 0;  // order within (date, kind)
  LedgerKind kind = LedgerKind::Cashback;
};

struct JournalEntry {
  Day date;
  uint32_t patient;
  LedgerKind kind;
  Kopecks amount;     // signed: credits +, debits and expiries − (what was actually taken)
  Kopecks balance;    // the patient's balance after this row
  Kopecks shortfall;  // debits only: what was asked beyond the balance (an overdraft finding)
  NoteRef note;
};

struct Account {
  Kopecks balance = 0, earned = 0, redeemed = 0, expired = 0;
  bool has_journal = false;
};

// How run() hands out journal rows. Processing: in the order of §8.31 across all patients (it
// keeps every row until the end to sort them). PerPatient: each patient's rows in that patient's
// processing order, patients one after another — what balances, the audit and the monthly
// summary need, at no cost beyond the events.
enum class JournalOrder : uint8_t { Processing, PerPatient };

class Ledger {
 public:
  // id_rank[p] = position of patient p's id in byte order (a day's expiries go by id, §8.31).
  // expire_days 0 = lots never expire. Without keep_notes the journal rows carry no note (and
  // the events' notes are not stored).
  Ledger(std::vector<uint32_t> id_rank, int64_t expire_days, bool keep_notes = true);
  // Without the id ranks: for runs that need no processing order across patients (no journal,
  // or JournalOrder::PerPatient); run() in processing order throws std::logic_error.
  static Ledger without_ranks(size_t patients, int64_t expire_days, bool keep_notes = true) {
    return Ledger(patients, expire_days, keep_notes);
  }

  // Events may come in any order; memory grows by one compact event each.
  void add(const LedgerEvent& e);
  // With many events, fault the memory for the next ones in on a second thread (ChunkArena).
  void prefault_ahead(bool on);
  // For a run without a journal (balances only; call before the first add()): an event of the
  // same patient, day and kind as one of the last two added to its bucket is added to that one's
  // amount instead of being stored. The service lines of one visit come one after another, so
  // this stores about one event a visit instead of one a row. Accounts and remaining lots come
  // out the same: credits of one day become one lot of one date (they expire together), and
  // debits of one day take from the lots oldest first, so two in a row take what their sum
  // takes. Only the journal would tell the difference: run() then refuses one (logic_error).
  void coalesce_same_day(bool on);

  // Processes every event and every expiry up to and including as_of, handing each journal row
  // to `journal` (may be empty) in the given order. Events dated after as_of are ignored.
  // Call once. Without a journal and with `two_threads`, half the patients are run on a second
  // thread (patients are independent): the accounts and lots come out the same. Throws
  // std::logic_error for a journal this ledger cannot give (coalesced; processing order without
  // the id ranks).
  void run(Day as_of, const std::function<void(const JournalEntry&)>& journal,
           JournalOrder order = JournalOrder::Processing, bool two_threads = false);

  // Patient p's account once run() has run (all zero before).
  const Account& account(uint32_t p) const;
  // What remains in lots expiring on or before `until`.
  Kopecks expiring(uint32_t p, Day until) const;
  // The earliest expiry of what remains; kNoDay when nothing remains or lots never expire.
  Day next_expiry(uint32_t p) const;
  // A hint for a caller that reads many patients' accounts in an order of its own: asks for the
  // lines account(p), expiring(p) and next_expiry(p) start from. Changes nothing.
  void prefetch(uint32_t p) const;

  // A moved-from ledger may only be assigned to or destroyed.
  Ledger(Ledger&&) noexcept;
  Ledger& operator=(Ledger&&) noexcept;
  ~Ledger();

 private:
  // The events waiting for run() (packed, in per-bucket blocks), the accounts and the lots that
  // remain: rules/ledger_storage.h.
  struct Impl;
  Ledger(size_t patients, int64_t expire_days, bool keep_notes);
  std::unique_ptr<Impl> impl_;
};

// Cashback on one counted row (§6.5): floor((amount − bonus_paid) × PCT / 100) kopecks, PCT in
// hundredths of a percent; 0 when not positive.
Kopecks cashback(Kopecks amount, Kopecks bonus_paid, int64_t pct_hundredths);

// The progressive discount scale (§6.5, §8.34). PCT kept in 1/10000 of a percent.
struct Tier {
  Kopecks threshold;
  int64_t pct;
};
inline constexpr int kTierDecimals = 4;
// Parses `RUB:PCT,...` (any order; UsageError on a bad item or a threshold given twice);
// returns tiers by threshold ascending.
std::vector<Tier> parse_tiers(std::string_view text);
struct TierStanding {
  int64_t pct = 0;             // the highest tier with threshold ≤ spent; 0 below the first
  std::optional<Kopecks> gap;  // to the next tier; nullopt at the top
};
TierStanding tier_standing(const std::vector<Tier>& tiers, Kopecks spent);

// The monthly summary (§6.5, §8.35): fed the journal rows to report.
struct MonthRow {
  int year, month;
  Kopecks issued = 0, redeemed = 0, expired = 0, outstanding = 0;
};
class MonthSummary {
 public:
  // Rows may come in any order: the months only add up.
  void add(const JournalEntry& e);
  // Months from the first row's month to as_of's month, empty months included, the outstanding
  // balance carried through; none without rows.
  std::vector<MonthRow> finish(Day as_of) const;

 private:
  std::map<int, MonthRow> months_;  // by year × 12 + month − 1
};

}  // namespace kartoteka
