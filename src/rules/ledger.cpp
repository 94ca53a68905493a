#include "rules/ledger.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <stdexcept>

#include "base/background.h"
#include "base/prefetch.h"
#include "model/errors.h"
#include "rules/ledger_storage.h"

namespace kartoteka {

std::string_view kind_name(LedgerKind k) {
  // Indexed by LedgerKind; both adjustments are `adjust` in the journal.
  static constexpr std::string_view kNames[] = {"redeem",   "adjust", "cashback",
                                                "referral", "adjust", "expire"};
  static_assert(std::size(kNames) == static_cast<size_t>(LedgerKind::Expire) + 1);
  return kNames[static_cast<size_t>(k)];
}

NoteRef NoteArena::add(std::string_view note) {
  if (note.empty()) return kEmpty;
  // Inline only what prints back identically: digits without a leading zero, ≤ 18 of them.
  if (note.size() <= 18 && note[0] != '0' &&
      std::all_of(note.begin(), note.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    uint64_t v = 0;
    for (char c : note) v = v * 10 + static_cast<uint64_t>(c - '0');
    return kInline | v;
  }
  if (last_ref_ != kEmpty && note == last_) return last_ref_;
  text_.append(note);
  starts_.push_back(text_.size());
  last_.assign(note);
  last_ref_ = starts_.size() - 1;
  return last_ref_;
}

std::string NoteArena::get(NoteRef ref) const {
  if (ref == kEmpty) return {};
  if (ref & kInline) return fmt::format("{}", ref & ~kInline);
  return text_.substr(starts_[ref - 1], starts_[ref] - starts_[ref - 1]);
}

Ledger::Impl::Impl(size_t patients, int64_t expire_days, bool keep_notes)
    : patients_(patients),
      expire_days_(expire_days),
      keep_notes_(keep_notes),
      buckets_((patients >> kBucketBits) + 1),
      accounts_(patients) {}

Ledger::Ledger(size_t patients, int64_t expire_days, bool keep_notes)
    : impl_(std::make_unique<Impl>(patients, expire_days, keep_notes)) {}

Ledger::Ledger(std::vector<uint32_t> id_rank, int64_t expire_days, bool keep_notes)
    : Ledger(id_rank.size(), expire_days, keep_notes) {
  impl_->id_rank_ = std::move(id_rank);
}

Ledger::Ledger(Ledger&&) noexcept = default;
Ledger& Ledger::operator=(Ledger&&) noexcept = default;
Ledger::~Ledger() = default;

void Ledger::add(const LedgerEvent& e) {
  impl_->add(e);
}
void Ledger::prefault_ahead(bool on) {
  impl_->blocks_.prefault_ahead(on);
}
void Ledger::coalesce_same_day(bool on) {
  impl_->coalesce_ = on;
}
void Ledger::run(Day as_of, const std::function<void(const JournalEntry&)>& journal,
                 JournalOrder order, bool two_threads) {
  impl_->run(as_of, journal, order, two_threads);
}
const Account& Ledger::account(uint32_t p) const {
  return impl_->accounts_[p];
}
Kopecks Ledger::expiring(uint32_t p, Day until) const {
  return impl_->expiring(p, until);
}
Day Ledger::next_expiry(uint32_t p) const {
  return impl_->next_expiry(p);
}
void Ledger::prefetch(uint32_t p) const {
  prefetch_read(&impl_->accounts_[p]);
  if (!impl_->remaining_at_.empty()) prefetch_read(&impl_->remaining_at_[p]);
}

void Ledger::Impl::add(const LedgerEvent& e) {
  Bucket& b = buckets_[e.patient >> kBucketBits];
  const auto local = static_cast<uint16_t>(e.patient & ((1u << kBucketBits) - 1));
  if (coalesce_) {
    // Two back: a row paid partly with bonuses adds a redeem, then a cashback.
    for (size_t back = 1; back <= 2 && back <= b.size; ++back) {
      Stored& prev = b.event(b.size - back);
      if (prev.local != local || prev.date != e.date || prev.kind != e.kind) continue;
      Kopecks sum = 0;
      if (__builtin_add_overflow(Kopecks{prev.amount}, e.amount, &sum)) break;  // keep both
      prev.amount = sum;
      return;
    }
  }
  if (b.size % kBlock == 0) {
    b.events.push_back(static_cast<Stored*>(blocks_.allocate(kBlock * sizeof(Stored))));
    if (keep_notes_)
      b.notes.push_back(static_cast<NoteRef*>(blocks_.allocate(kBlock * sizeof(NoteRef))));
  }
  b.event(b.size) = {e.amount, e.date, e.seq, local, e.kind};
  if (keep_notes_) b.notes.back()[b.size % kBlock] = e.note;
  ++b.size;
  ++events_;
  credits_ += is_credit(e.kind);
}

// One patient's events, sorted by (date, kind, seq) — the processing order restricted to them.
template <class Emit>
void Ledger::Impl::run_patient(uint32_t p, const Event* begin, const Event* end, Day as_of,
                               RunState& st, Emit&& emit) {
  Account& a = accounts_[p];
  std::vector<Lot>& lots = st.lots;
  lots.clear();
  size_t head = 0;
  uint32_t next_seq = 0;
  // Lots are created in date order, so they expire in creation order, and are consumed in it.
  auto expire_through = [&](Day day) {
    if (expire_days_ == 0) return;
    for (; head < lots.size() && expiry_of(lots[head].date) <= day; ++head) {
      Kopecks left = lots[head].left;
      a.expired += left;
      a.balance -= left;
      a.has_journal = true;
      emit({expiry_of(lots[head].date), p, LedgerKind::Expire, -left, a.balance, 0,
            NoteArena::kEmpty},
           lots[head].seq);
    }
  };
  for (const Event* ev = begin; ev != end && ev->e.date <= as_of; ++ev) {
    const Stored e = ev->e;
    expire_through(e.date);
    a.has_journal = true;
    if (is_credit(e.kind)) {
      lots.push_back({e.amount, e.date, next_seq++});
      a.earned += e.amount;
      a.balance += e.amount;
      emit({e.date, p, e.kind, e.amount, a.balance, 0, ev->note}, e.seq);
    } else {
      Kopecks want = e.amount, taken = 0;
      while (want > taken && head < lots.size()) {
        Lot& lot = lots[head];
        Kopecks part = std::min(lot.left, want - taken);
        lot.left -= part;
        taken += part;
        if (lot.left == 0) ++head;
      }
      a.redeemed += taken;
      a.balance -= taken;
      emit({e.date, p, e.kind, -taken, a.balance, want - taken, ev->note}, e.seq);
    }
  }
  expire_through(as_of);
  for (size_t i = head; i < lots.size(); ++i) st.remaining.push_back({lots[i].left, lots[i].date});
}

template <class Emit>
void Ledger::Impl::run_buckets(size_t from, size_t to, Day as_of, RunState& st, Emit&& emit) {
  std::vector<uint32_t>& starts = st.starts;
  starts.resize((size_t{1} << kBucketBits) + 1);
  for (size_t b = from; b < to; ++b) {
    Bucket& bucket = buckets_[b];
    // Counting sort by patient, then each patient's few events by (date, kind, seq).
    std::fill(starts.begin(), starts.end(), 0);
    for (size_t i = 0; i < bucket.size; ++i) ++starts[bucket.event(i).local + 1u];
    for (size_t i = 1; i < starts.size(); ++i) starts[i] += starts[i - 1];
    st.scratch.resize(bucket.size);
    st.at.assign(starts.begin(), starts.end() - 1);
    for (size_t i = 0; i < bucket.size; ++i) {
      const Stored e = bucket.event(i);
      st.scratch[st.at[e.local]++] = {
          e, keep_notes_ ? bucket.notes[i / kBlock][i % kBlock] : NoteArena::kEmpty};
    }
    bucket = Bucket{};
    const uint32_t first = static_cast<uint32_t>(b << kBucketBits);
    for (uint32_t local = 0; local + 1 < starts.size(); ++local) {
      uint32_t p = first + local;
      if (p >= accounts_.size()) break;
      Event* begin = st.scratch.data() + starts[local];
      Event* end = st.scratch.data() + starts[local + 1];
      auto by_place = [](const Event& x, const Event& y) {
        if (x.e.date != y.e.date) return x.e.date < y.e.date;
        if (x.e.kind != y.e.kind) return x.e.kind < y.e.kind;
        return x.e.seq < y.e.seq;
      };
      if (!std::is_sorted(begin, end, by_place)) std::sort(begin, end, by_place);
      remaining_at_[p] = static_cast<uint32_t>(st.remaining.size());
      run_patient(p, begin, end, as_of, st, emit);
    }
  }
}

void Ledger::Impl::run(Day as_of, const std::function<void(const JournalEntry&)>& journal,
                       JournalOrder order, bool two_threads) {
  // In processing order the rows are collected with their place (§8.31): the day, then the
  // day's expiries (by id, then lot), then each kind by seq (and patient, for equal seqs).
  struct Placed {
    uint64_t hi, lo;
    JournalEntry e;
  };
  std::vector<Placed> placed;
  const bool sorted = journal && order == JournalOrder::Processing;
  if (journal && coalesce_)
    throw std::logic_error("Ledger::run: a coalesced ledger has no journal");
  if (sorted && id_rank_.size() != patients_)
    throw std::logic_error("Ledger::run: processing order needs the id ranks");
  if (sorted) placed.reserve(events_ + credits_);  // every event, every lot's expiry
  auto emit = [&](const JournalEntry& e, uint32_t seq) {
    if (!journal) return;
    if (!sorted) return journal(e);
    uint64_t day = static_cast<uint64_t>(static_cast<int64_t>(e.date) - INT32_MIN);
    if (e.kind == LedgerKind::Expire)
      placed.push_back({day << 3, uint64_t{id_rank_[e.patient]} << 32 | seq, e});
    else
      placed.push_back(
          {day << 3 | (static_cast<uint64_t>(e.kind) + 1), uint64_t{seq} << 32 | e.patient, e});
  };

  remaining_at_.assign(accounts_.size() + 1, 0);
  RunState first;
  if (journal || !two_threads || buckets_.size() < 2) {
    run_buckets(0, buckets_.size(), as_of, first, emit);
  } else {
    // The second half's lots go after the first half's: its offsets are moved up once joined.
    const size_t half = buckets_.size() / 2;
    RunState second;
    auto quiet = [](const JournalEntry&, uint32_t) {};
    Background other([&] { run_buckets(half, buckets_.size(), as_of, second, quiet); });
    run_buckets(0, half, as_of, first, quiet);
    other.join();
    const auto offset = static_cast<uint32_t>(first.remaining.size());
    for (size_t p = std::min(accounts_.size(), half << kBucketBits); p < accounts_.size(); ++p)
      remaining_at_[p] += offset;
    first.remaining.insert(first.remaining.end(), second.remaining.begin(), second.remaining.end());
  }
  remaining_ = std::move(first.remaining);
  remaining_at_[accounts_.size()] = static_cast<uint32_t>(remaining_.size());
  blocks_.clear();

  if (sorted) {
    std::sort(placed.begin(), placed.end(), [](const Placed& x, const Placed& y) {
      return x.hi != y.hi ? x.hi < y.hi : x.lo < y.lo;
    });
    for (const Placed& row : placed) journal(row.e);
  }
}

Kopecks Ledger::Impl::expiring(uint32_t p, Day until) const {
  if (expire_days_ == 0) return 0;
  Kopecks sum = 0;
  for (uint32_t i = remaining_at_[p]; i < remaining_at_[p + 1]; ++i)
    if (expiry_of(remaining_[i].date) <= until) sum += remaining_[i].left;
  return sum;
}

Day Ledger::Impl::next_expiry(uint32_t p) const {
  if (expire_days_ == 0 || remaining_at_[p] == remaining_at_[p + 1]) return kNoDay;
  return expiry_of(remaining_[remaining_at_[p]].date);
}

Kopecks cashback(Kopecks amount, Kopecks bonus_paid, int64_t pct_hundredths) {
  // 128-bit: the product of a large amount and the percentage must not overflow.
  __int128 paid = static_cast<__int128>(amount) - bonus_paid;
  if (paid <= 0 || pct_hundredths <= 0) return 0;
  __int128 k = paid * pct_hundredths / 10000;  // both positive: division is floor
  return k > INT64_MAX ? INT64_MAX : static_cast<Kopecks>(k);
}

std::vector<Tier> parse_tiers(std::string_view text) {
  std::vector<Tier> tiers;
  size_t start = 0;
  for (;;) {
    size_t comma = text.find(',', start);
    std::string_view item =
        text.substr(start, comma == std::string_view::npos ? text.npos : comma - start);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    size_t colon = item.find(':');
    Kopecks threshold = 0;
    std::optional<int64_t> pct;
    if (colon != std::string_view::npos) {
      std::string_view rub = item.substr(0, colon), p = item.substr(colon + 1);
      while (!rub.empty() && rub.back() == ' ') rub.remove_suffix(1);
      while (!p.empty() && p.front() == ' ') p.remove_prefix(1);
      if (parse_money(rub, threshold) && threshold >= 0 && !rub.empty())
        pct = parse_percent(p, kTierDecimals);
    }
    if (!pct)
      throw UsageError(fmt::format(
          "--tiers {}: \"{}\" is not RUB:PCT (e.g. --tiers 30000:5,45000:10)", text, item));
    for (const Tier& t : tiers)
      if (t.threshold == threshold)
        throw UsageError(fmt::format("--tiers {}: the threshold {} is given twice", text,
                                     format_money_short(threshold)));
    tiers.push_back({threshold, *pct});
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  std::sort(tiers.begin(), tiers.end(),
            [](const Tier& a, const Tier& b) { return a.threshold < b.threshold; });
  return tiers;
}

TierStanding tier_standing(const std::vector<Tier>& tiers, Kopecks spent) {
  TierStanding s;
  for (const Tier& t : tiers) {
    if (spent >= t.threshold) {
      s.pct = t.pct;
    } else {
      s.gap = t.threshold - spent;
      break;
    }
  }
  return s;
}

void MonthSummary::add(const JournalEntry& e) {
  Ymd d = ymd_from_days(e.date);
  MonthRow& m = months_[d.year * 12 + d.month - 1];
  m.year = d.year;
  m.month = d.month;
  if (e.kind == LedgerKind::Expire)
    m.expired -= e.amount;
  else if (is_debit(e.kind))
    m.redeemed -= e.amount;
  else
    m.issued += e.amount;
}

std::vector<MonthRow> MonthSummary::finish(Day as_of) const {
  std::vector<MonthRow> out;
  if (months_.empty()) return out;
  Ymd end = ymd_from_days(as_of);
  Kopecks outstanding = 0;
  for (int i = months_.begin()->first; i <= end.year * 12 + end.month - 1; ++i) {
    auto it = months_.find(i);
    MonthRow m = it != months_.end() ? it->second : MonthRow{i / 12, i % 12 + 1};
    outstanding += m.issued - m.redeemed - m.expired;
    m.outstanding = outstanding;
    out.push_back(m);
  }
  return out;
}

}  // namespace kartoteka
