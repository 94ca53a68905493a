// Ledger's storage (rules/ledger.h): how the events wait for run(), what run() works with, and
// the accounts and remaining lots it leaves. Internal to the ledger: included by rules/ledger.cpp
// only, so the public header keeps to the contract and a layout change rebuilds one file.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/huge_pages.h"
#include "rules/ledger.h"

namespace kartoteka {

// Cache-line aligned (and so padded to whole lines), as VisitFold's: added to row by row on the
// reading thread, it shares no line with a heap neighbour another thread writes.
struct alignas(64) Ledger::Impl {
  Impl(size_t patients, int64_t expire_days, bool keep_notes);

  void add(const LedgerEvent& e);
  void run(Day as_of, const std::function<void(const JournalEntry&)>& journal, JournalOrder order,
           bool two_threads);
  Kopecks expiring(uint32_t p, Day until) const;
  Day next_expiry(uint32_t p) const;

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

}  // namespace kartoteka
