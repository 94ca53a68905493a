#include "rules/ledger.h"

#include <fmt/format.h>

#include <algorithm>

#include "model/errors.h"

namespace kartoteka {

std::string_view kind_name(LedgerKind k) {
  switch (k) {
    case LedgerKind::Redeem:
      return "redeem";
    case LedgerKind::AdjustDebit:
      return "adjust";
    case LedgerKind::Cashback:
      return "cashback";
    case LedgerKind::Referral:
      return "referral";
    case LedgerKind::AdjustCredit:
      return "adjust";
    case LedgerKind::Expire:
      return "expire";
  }
  return "";
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

void Ledger::Lots::pop() {
  ++head;
  // Drop consumed lots once they are the larger part, so memory follows live lots only.
  if (head == v.size()) {
    v.clear();
    head = 0;
  } else if (head >= 16 && head * 2 >= v.size()) {
    v.erase(v.begin(), v.begin() + head);
    head = 0;
  }
}

Ledger::Ledger(std::vector<uint32_t> id_rank, int64_t expire_days)
    : id_rank_(std::move(id_rank)),
      expire_days_(expire_days),
      accounts_(id_rank_.size()),
      lots_(id_rank_.size()) {}

void Ledger::expire_through(Day day, const std::function<void(const JournalEntry&)>& journal) {
  if (expire_days_ == 0) return;
  std::vector<Pending> batch;
  while (pending_head_ < pending_.size() && expiry_of(pending_[pending_head_].date) <= day) {
    Day when = expiry_of(pending_[pending_head_].date);
    batch.clear();
    while (pending_head_ < pending_.size() && expiry_of(pending_[pending_head_].date) == when)
      batch.push_back(pending_[pending_head_++]);
    std::sort(batch.begin(), batch.end(), [&](const Pending& a, const Pending& b) {
      if (a.patient != b.patient) return id_rank_[a.patient] < id_rank_[b.patient];
      return a.seq < b.seq;
    });
    for (const Pending& pd : batch) {
      // A patient's lots expire in creation order and are consumed in it too, so a lot still
      // holding something is the patient's front lot.
      Lots& lots = lots_[pd.patient];
      if (lots.empty() || lots.front().seq != pd.seq) continue;  // consumed already
      Kopecks left = lots.front().left;
      lots.pop();
      Account& a = accounts_[pd.patient];
      a.expired += left;
      a.balance -= left;
      a.has_journal = true;
      journal({when, pd.patient, LedgerKind::Expire, -left, a.balance, 0, NoteArena::kEmpty});
    }
  }
  if (pending_head_ == pending_.size()) {
    pending_.clear();
    pending_head_ = 0;
  } else if (pending_head_ >= 4096 && pending_head_ * 2 >= pending_.size()) {
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<ptrdiff_t>(pending_head_));
    pending_head_ = 0;
  }
}

void Ledger::run(Day as_of, const std::function<void(const JournalEntry&)>& journal) {
  std::sort(events_.begin(), events_.end(), [](const LedgerEvent& a, const LedgerEvent& b) {
    if (a.date != b.date) return a.date < b.date;
    if (a.kind != b.kind) return a.kind < b.kind;
    if (a.seq != b.seq) return a.seq < b.seq;
    return a.patient < b.patient;
  });
  for (const LedgerEvent& e : events_) {
    if (e.date > as_of) break;
    expire_through(e.date, journal);
    Account& a = accounts_[e.patient];
    Lots& lots = lots_[e.patient];
    a.has_journal = true;
    if (is_credit(e.kind)) {
      lots.v.push_back({e.amount, e.date, lots.next_seq++});
      if (expire_days_ != 0) pending_.push_back({e.date, e.patient, lots.v.back().seq});
      a.earned += e.amount;
      a.balance += e.amount;
      journal({e.date, e.patient, e.kind, e.amount, a.balance, 0, e.note});
    } else {
      Kopecks want = e.amount, taken = 0;
      while (want > taken && !lots.empty()) {
        Lot& lot = lots.front();
        Kopecks part = std::min(lot.left, want - taken);
        lot.left -= part;
        taken += part;
        if (lot.left == 0) lots.pop();
      }
      a.redeemed += taken;
      a.balance -= taken;
      journal({e.date, e.patient, e.kind, -taken, a.balance, want - taken, e.note});
    }
  }
  expire_through(as_of, journal);
  events_.clear();
  events_.shrink_to_fit();
}

Kopecks Ledger::expiring(uint32_t p, Day until) const {
  if (expire_days_ == 0) return 0;
  const Lots& lots = lots_[p];
  Kopecks sum = 0;
  for (size_t i = lots.head; i < lots.v.size() && expiry_of(lots.v[i].date) <= until; ++i)
    sum += lots.v[i].left;
  return sum;
}

Day Ledger::next_expiry(uint32_t p) const {
  const Lots& lots = lots_[p];
  if (expire_days_ == 0 || lots.head == lots.v.size()) return kNoDay;
  return expiry_of(lots.v[lots.head].date);
}

Kopecks cashback(Kopecks amount, Kopecks bonus_paid, int64_t pct_hundredths) {
  // 128-bit: the product of a large amount and the percentage must not overflow.
  __int128 paid = static_cast<__int128>(amount) - bonus_paid;
  if (paid <= 0 || pct_hundredths <= 0) return 0;
  __int128 k = paid * pct_hundredths / 10000;  // both positive: division is floor
  return k > INT64_MAX ? INT64_MAX : static_cast<Kopecks>(k);
}

std::optional<int64_t> parse_percent(std::string_view text, int max_decimals) {
  size_t i = 0;
  int64_t whole = 0, frac = 0;
  int frac_digits = 0;
  size_t start = i;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    if (whole > 1'000'000'000) return std::nullopt;
    whole = whole * 10 + (text[i++] - '0');
  }
  if (i == start) return std::nullopt;
  if (i < text.size() && (text[i] == '.' || text[i] == ',')) {
    ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (++frac_digits > max_decimals) return std::nullopt;
      frac = frac * 10 + (text[i++] - '0');
    }
    if (frac_digits == 0) return std::nullopt;
  }
  if (i != text.size()) return std::nullopt;
  int64_t scale = 1;
  for (int d = 0; d < max_decimals; ++d) scale *= 10;
  for (int d = frac_digits; d < max_decimals; ++d) frac *= 10;
  return whole * scale + frac;
}

std::string format_percent(int64_t scaled, int decimals) {
  int64_t scale = 1;
  for (int d = 0; d < decimals; ++d) scale *= 10;
  std::string out = fmt::format("{}", scaled / scale);
  int64_t frac = scaled % scale;
  if (frac == 0) return out;
  std::string f = fmt::format("{:0{}}", frac, decimals);
  while (f.back() == '0') f.pop_back();
  return out + "." + f;
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
  if (months_.empty() || months_.back().year != d.year || months_.back().month != d.month)
    months_.push_back({d.year, d.month});
  MonthRow& m = months_.back();
  if (e.kind == LedgerKind::Expire)
    m.expired -= e.amount;
  else if (is_debit(e.kind))
    m.redeemed -= e.amount;
  else
    m.issued += e.amount;
  total_ += e.amount;
  m.outstanding = total_;
}

std::vector<MonthRow> MonthSummary::finish(Day as_of) const {
  std::vector<MonthRow> out;
  if (months_.empty()) return out;
  Ymd end = ymd_from_days(as_of);
  int y = months_.front().year, mo = months_.front().month;
  size_t i = 0;
  Kopecks outstanding = 0;
  while (y < end.year || (y == end.year && mo <= end.month)) {
    if (i < months_.size() && months_[i].year == y && months_[i].month == mo) {
      out.push_back(months_[i++]);
      outstanding = out.back().outstanding;
    } else {
      out.push_back({y, mo, 0, 0, 0, outstanding});
    }
    if (++mo == 13) {
      mo = 1;
      ++y;
    }
  }
  return out;
}

}  // namespace kartoteka
