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

#include "base/huge_pages.h"
#include "base/prefetch.h"
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
  void prefault_ahead(bool on) { blocks_.prefault_ahead(on); }
  // For a run without a journal (balances only; call before the first add()): an event of the
  // same patient, day and kind as one of the last two added to its bucket is added to that one's
  // amount instead of being stored. The service lines of one visit come one after another, so
  // this stores about one event a visit instead of one a row. Accounts and remaining lots come
  // out the same: credits of one day become one lot of one date (they expire together), and
  // debits of one day take from the lots oldest first, so two in a row take what their sum
  // takes. Only the journal would tell the difference: run() then refuses one (logic_error).
  void coalesce_same_day(bool on) { coalesce_ = on; }

  // Processes every event and every expiry up to and including as_of, handing each journal row
  // to `journal` (may be empty) in the given order. Events dated after as_of are ignored.
  // Call once. Without a journal and with `two_threads`, half the patients are run on a second
  // thread (patients are independent): the accounts and lots come out the same.
  void run(Day as_of, const std::function<void(const JournalEntry&)>& journal,
           JournalOrder order = JournalOrder::Processing, bool two_threads = false);

  const Account& account(uint32_t p) const { return accounts_[p]; }
  // What remains in lots expiring on or before `until`.
  Kopecks expiring(uint32_t p, Day until) const;
  // The earliest expiry of what remains; kNoDay when nothing remains or lots never expire.
  Day next_expiry(uint32_t p) const;
  // A hint for a caller that reads many patients' accounts in an order of its own: asks for the
  // lines account(p), expiring(p) and next_expiry(p) start from. Changes nothing.
  void prefetch(uint32_t p) const {
    prefetch_read(&accounts_[p]);
    if (!remaining_at_.empty()) prefetch_read(&remaining_at_[p]);
  }

 private:
  Ledger(size_t patients, int64_t expire_days, bool keep_notes);
  // Events wait in buckets of kBucket consecutive patients, so run() can take one bucket at a
  // time and walk each patient's events together (patients are independent; only the journal's
  // order mixes them). Packed: a year of visits is ten million of these.
  static constexpr uint32_t kBucketBits = 12;
#pragma pack(push, 1)
  struct Stored {
    Kopecks amount;
    Day date;
    uint32_t seq;
    uint16_t local;  // patient within the bucket
    LedgerKind kind;
  };
#pragma pack(pop)
  // A bucket's events in fixed blocks from blocks_: growing never copies, and a few thousand
  // blocks in huge pages serve ten million events.
  static constexpr size_t kBlock = 2048;
  struct Bucket {
    std::vector<Stored*> events;
    std::vector<NoteRef*> notes;  // parallel to events, when notes are kept
    size_t size = 0;
    Stored& event(size_t i) { return events[i / kBlock][i % kBlock]; }
  };
  struct Lot {
    Kopecks left;
    Day date;
    uint32_t seq;  // the patient's lot number, in creation order
  };
  struct RemainingLot {
    Kopecks left;
    Day date;
  };
  struct Event {
    Stored e;
    NoteRef note;
  };
  // What one thread of run() works with; each thread has its own.
  struct RunState {
    std::vector<Event> scratch;  // the bucket being run, sorted by patient
    std::vector<uint32_t> starts, at;
    std::vector<Lot> lots;                // the patient being run
    std::vector<RemainingLot> remaining;  // of the patients run, in patient order
  };
  // Runs buckets [from, to): accounts_, remaining_at_ (from `st.remaining`'s start) and
  // st.remaining of their patients; frees their events.
  template <class Emit>
  void run_buckets(size_t from, size_t to, Day as_of, RunState& st, Emit&& emit);
  template <class Emit>
  void run_patient(uint32_t p, const Event* begin, const Event* end, Day as_of, RunState& st,
                   Emit&& emit);
  Day expiry_of(Day lot_date) const {
    return lot_date + static_cast<Day>(expire_days_);
  }

  size_t patients_;
  std::vector<uint32_t> id_rank_;  // empty when not given
  int64_t expire_days_;
  bool keep_notes_;
  bool coalesce_ = false;
  size_t events_ = 0, credits_ = 0;
  std::vector<Bucket> buckets_;
  ChunkArena blocks_;  // the buckets' blocks, freed once run() has taken them all
  std::vector<Account> accounts_;
  // After run(): what remains of each patient's lots, patient p's at [remaining_at_[p],
  // remaining_at_[p + 1]), oldest first.
  std::vector<RemainingLot> remaining_;
  std::vector<uint32_t> remaining_at_;
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
