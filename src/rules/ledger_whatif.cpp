#include "rules/ledger_whatif.h"

#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <future>

#include "model/errors.h"

namespace kartoteka {
namespace {

int month_index(Day d) {
  Ymd m = ymd_from_days(d);
  return m.year * 12 + m.month - 1;
}

[[noreturn]] void bad_what_if(std::string_view options, std::string_view problem) {
  throw UsageError(fmt::format(
      "--what-if '{}': {} (OPTIONS: cashback=PCT expire-days=N credit=RUB no-referrals)", options,
      problem));
}

}  // namespace

LedgerRules parse_what_if(std::string_view options, const LedgerRules& base) {
  LedgerRules rules = base;
  bool seen[4] = {};  // cashback, expire-days, credit, no-referrals
  size_t i = 0, words = 0;
  for (;;) {
    while (i < options.size() && (options[i] == ' ' || options[i] == '\t')) ++i;
    if (i == options.size()) break;
    size_t end = i;
    while (end < options.size() && options[end] != ' ' && options[end] != '\t') ++end;
    std::string_view word = options.substr(i, end - i), value;
    i = end;
    ++words;
    size_t eq = word.find('=');
    std::string_view key = word.substr(0, eq);
    if (eq != std::string_view::npos) value = word.substr(eq + 1);
    static constexpr std::string_view kKeys[] = {"cashback", "expire-days", "credit",
                                                 "no-referrals"};
    size_t k = std::find(std::begin(kKeys), std::end(kKeys), key) - std::begin(kKeys);
    if (k == 4) bad_what_if(options, fmt::format("unknown key \"{}\"", key));
    if (seen[k]) bad_what_if(options, fmt::format("{} is given twice", key));
    seen[k] = true;
    if ((k == 3) != (eq == std::string_view::npos))
      bad_what_if(options, k == 3 ? "no-referrals takes no value"
                                  : fmt::format("{} needs a value ({}=…)", key, key));
    if (k == 0) {
      auto pct = parse_percent(value, 2);
      if (!pct) bad_what_if(options, fmt::format("cashback={}: not a percentage ≥ 0", value));
      rules.cashback = *pct;
    } else if (k == 1) {
      std::optional<int64_t> days = parse_whole_days(value);
      if (!days)
        bad_what_if(options, fmt::format("expire-days={}: not a whole number of days ≥ 0", value));
      rules.expire_days = *days;
    } else if (k == 2) {
      if (!parse_money(value, rules.credit) || rules.credit < 0)
        bad_what_if(options, fmt::format("credit={}: not an amount of rubles", value));
    } else {
      rules.credit = 0;
    }
  }
  if (words == 0) bad_what_if(options, "no options given");
  if (seen[2] && seen[3]) bad_what_if(options, "credit= and no-referrals exclude each other");
  return rules;
}

LedgerHistory::LedgerHistory(const PatientTable& patients, Day as_of, bool referrals)
    : pt_(patients),
      patients_(patients.size()),
      as_of_(as_of),
      buckets_((patients.size() >> kBucketBits) + 1) {
  if (referrals) facts_.emplace(patients.size(), as_of);
}

void LedgerHistory::add(uint32_t patient, Day date, Kind kind, Kopecks amount) {
  Bucket& b = buckets_[patient >> kBucketBits];
  const auto local = static_cast<uint16_t>(patient & ((1u << kBucketBits) - 1));
  // A visit's rows come one after another; its bonus_paid debits add up whatever the rules (two
  // debits of one day take what their sum takes), the cashback bases never do (each row's
  // cashback is floored on its own).
  // Two back: a row paid partly in bonuses adds a redeem, then a cashback base.
  for (size_t back = 1; kind == Kind::Redeem && back <= 2 && back <= b.size; ++back) {
    Event& prev = b.blocks[(b.size - back) / kBlock][(b.size - back) % kBlock];
    Kopecks sum;
    if (prev.local != local || prev.date != date || prev.kind != kind) continue;
    if (__builtin_add_overflow(Kopecks{prev.amount}, amount, &sum)) break;  // keep both
    prev.amount = sum;
    return;
  }
  if (b.size % kBlock == 0)
    b.blocks.push_back(static_cast<Event*>(blocks_.allocate(kBlock * sizeof(Event))));
  b.blocks.back()[b.size % kBlock] = {amount, date, local, kind};
  ++b.size;
  if (first_date_ == kNoDay || date < first_date_) first_date_ = date;
}

void LedgerHistory::add_adjustments(const std::vector<Adjustment>& adjustments) {
  for (const Adjustment& a : adjustments) {
    if (a.amount == 0 || a.date > as_of_) continue;  // not events (§8.32)
    uint32_t p = pt_.find(a.patient_id);
    if (p == PatientTable::kNotFound) continue;
    if (a.amount < 0)
      add(p, a.date, Kind::AdjustDebit, -a.amount);
    else
      add(p, a.date, Kind::AdjustCredit, a.amount);
  }
}

void LedgerHistory::see(const VisitRow& r) {
  if (facts_) facts_->add(r);
  if (!is_counted(r, as_of_)) return;
  if (r.bonus_paid > 0) add(r.patient, r.date, Kind::Redeem, r.bonus_paid);
  // The base as cashback() computes it, saturated (only a negative bonus_paid beside an amount
  // near the int64 limit would reach it).
  __int128 paid = static_cast<__int128>(r.amount) - r.bonus_paid;
  if (paid > 0)
    add(r.patient, r.date, Kind::CashbackBase, paid > INT64_MAX ? INT64_MAX : Kopecks(paid));
}

void LedgerHistory::finish(const VisitFold& visits) {
  if (!facts_) return;
  // One event a referral: the credit is the rule set's; the order within a day plays no part in
  // the totals (a day's credits make lots of one date).
  for (const Referral& r : credited_referrals(pt_, *facts_, visits))
    add(r.referrer, r.date, Kind::Referral, 1);
  facts_.reset();
}

namespace {

// One thread's sums for one rule set: the journal's flows by month (index − the history's first
// month), the first month with a journal row, the overdrafts.
struct Flow {
  Kopecks issued = 0, redeemed = 0, expired = 0;
};
struct Partial {
  std::vector<Flow> months;
  int first = INT_MAX;
  Kopecks overdraft = 0;
};

// A history event as a replay reads it: its month is worked out once, for every rule set.
struct Placed {
  Kopecks amount;
  Day date;
  int month;
  LedgerHistory::Kind kind;
};

struct Lot {
  Kopecks left;
  Day date;
};

// One patient's events, sorted by (date, kind), under one rule set: what Ledger::run_patient
// does, without the journal rows — only their sums by month. Same-day order within debits or
// within credits changes no sum: debits of a day take what their sum takes, credits of a day
// make lots that expire together.
void replay_patient(const Placed* begin, const Placed* end, const LedgerRules& rules, Day as_of,
                    int base, Partial& out, std::vector<Lot>& lots) {
  using Kind = LedgerHistory::Kind;
  lots.clear();
  size_t head = 0;
  auto expire_through = [&](Day day) {
    if (rules.expire_days == 0) return;
    for (; head < lots.size() && lots[head].date + rules.expire_days <= day; ++head)
      out.months[month_index(static_cast<Day>(lots[head].date + rules.expire_days)) - base]
          .expired += lots[head].left;
  };
  for (const Placed* e = begin; e != end; ++e) {
    Kopecks amount = e->amount;
    if (e->kind == Kind::CashbackBase)
      amount = cashback(e->amount, 0, rules.cashback);
    else if (e->kind == Kind::Referral)
      amount = rules.credit;
    if (amount <= 0) continue;  // 0-kopeck cashback and --credit 0 are not events (§8.32)
    expire_through(e->date);
    Flow& m = out.months[e->month - base];
    out.first = std::min(out.first, e->month);
    if (e->kind >= Kind::CashbackBase) {
      lots.push_back({amount, e->date});
      m.issued += amount;
      continue;
    }
    Kopecks taken = 0;
    while (taken < amount && head < lots.size()) {
      Kopecks part = std::min(lots[head].left, amount - taken);
      lots[head].left -= part;
      taken += part;
      if (lots[head].left == 0) ++head;
    }
    m.redeemed += taken;
    out.overdraft += amount - taken;
  }
  expire_through(as_of);
}

// Replays buckets [from, to) under every rule set: each bucket is sorted by patient once, then
// every rule set walks it while it is in cache.
std::vector<Partial> replay_buckets(const LedgerHistory& h, size_t from, size_t to,
                                    const std::vector<LedgerRules>& rule_sets,
                                    const std::vector<bool>& population, int base, size_t months) {
  std::vector<Partial> parts(rule_sets.size());
  for (Partial& p : parts) p.months.resize(months);
  const size_t width = size_t{1} << LedgerHistory::kBucketBits;
  std::vector<uint32_t> starts(width + 1), at;
  std::vector<Placed> scratch;
  std::vector<Lot> lots;
  for (size_t b = from; b < to; ++b) {
    std::fill(starts.begin(), starts.end(), 0);
    h.for_each(b, [&](const LedgerHistory::Event& e) { ++starts[e.local + 1u]; });
    for (size_t i = 1; i < starts.size(); ++i) starts[i] += starts[i - 1];
    at.assign(starts.begin(), starts.end() - 1);
    scratch.resize(h.bucket_size(b));
    h.for_each(b, [&](const LedgerHistory::Event& e) {
      scratch[at[e.local]++] = {e.amount, e.date, month_index(e.date), e.kind};
    });
    for (size_t local = 0; local < width; ++local) {
      const size_t p = (b << LedgerHistory::kBucketBits) + local;
      if (p >= h.patients()) break;
      if (starts[local] == starts[local + 1] || !population[p]) continue;
      Placed* begin = scratch.data() + starts[local];
      Placed* end = scratch.data() + starts[local + 1];
      auto by_place = [](const Placed& x, const Placed& y) {
        return x.date != y.date ? x.date < y.date : x.kind < y.kind;
      };
      if (!std::is_sorted(begin, end, by_place)) std::sort(begin, end, by_place);
      for (size_t s = 0; s < rule_sets.size(); ++s)
        replay_patient(begin, end, rule_sets[s], h.as_of(), base, parts[s], lots);
    }
  }
  return parts;
}

// The months from the first journal row's to as-of's, empty months included, the outstanding
// balance carried (as MonthSummary::finish).
std::vector<MonthRow> month_rows(const Partial& p, int base, int last) {
  std::vector<MonthRow> rows;
  Kopecks outstanding = 0;
  for (int i = p.first; p.first != INT_MAX && i <= last; ++i) {
    const Flow& f = p.months[i - base];
    outstanding += f.issued - f.redeemed - f.expired;
    rows.push_back({i / 12, i % 12 + 1, f.issued, f.redeemed, f.expired, outstanding});
  }
  return rows;
}

}  // namespace

std::vector<LedgerReplay> replay(const LedgerHistory& h, const std::vector<LedgerRules>& rule_sets,
                                 const std::vector<bool>& population, bool two_threads) {
  std::vector<LedgerReplay> out(rule_sets.size());
  if (h.first_date() == kNoDay) return out;
  const int base = month_index(h.first_date()), last = month_index(h.as_of());
  const size_t months = static_cast<size_t>(last - base + 1);
  const size_t half = two_threads ? h.buckets() / 2 : h.buckets();
  // The second half on another thread; its exceptions come back through the future.
  std::future<std::vector<Partial>> second;
  if (half < h.buckets())
    second = std::async(std::launch::async, [&] {
      return replay_buckets(h, half, h.buckets(), rule_sets, population, base, months);
    });
  std::vector<Partial> parts = replay_buckets(h, 0, half, rule_sets, population, base, months);
  if (second.valid()) {
    std::vector<Partial> more = second.get();
    for (size_t s = 0; s < parts.size(); ++s) {
      for (size_t m = 0; m < months; ++m) {
        parts[s].months[m].issued += more[s].months[m].issued;
        parts[s].months[m].redeemed += more[s].months[m].redeemed;
        parts[s].months[m].expired += more[s].months[m].expired;
      }
      parts[s].first = std::min(parts[s].first, more[s].first);
      parts[s].overdraft += more[s].overdraft;
    }
  }
  for (size_t s = 0; s < parts.size(); ++s)
    out[s] = {month_rows(parts[s], base, last), parts[s].overdraft};
  return out;
}

std::string format_cost_pct(Kopecks part, Kopecks whole) {
  if (whole <= 0) return {};
  // Hundredths of a percent, half away from zero: (|part| × 10000 + whole / 2) ÷ whole.
  __int128 num = static_cast<__int128>(part < 0 ? -part : part) * 10000;
  __int128 q = (2 * num + whole) / (2 * static_cast<__int128>(whole));
  auto v = static_cast<int64_t>(q);
  return fmt::format("{}{}.{:02}", part < 0 && v != 0 ? "-" : "", v / 100, v % 100);
}

void what_if_rows(const std::vector<WhatIf>& sets, const std::vector<LedgerReplay>& replays,
                  Kopecks revenue, RowSink& out) {
  // §8.51: `expire_days` a count, the rubles money, the percentages decimal.
  const std::vector<Column> columns = {
      col::text("scenario"),          col::decimal("cashback"), col::count("expire_days"),
      col::money("credit"),           col::money("issued"),     col::money("redeemed"),
      col::money("expired"),          col::money("overdraft"),  col::money("outstanding"),
      col::money("peak_outstanding"), col::text("peak_month"),  col::money("revenue"),
      col::decimal("cost_pct")};
  out.columns(columns);
  std::vector<std::string> cells(columns.size());
  for (size_t s = 0; s < sets.size(); ++s) {
    const LedgerRules& r = sets[s].rules;
    const std::vector<MonthRow>& months = replays[s].months;
    MonthRow total{}, peak{};
    for (const MonthRow& m : months) {
      total.issued += m.issued;
      total.redeemed += m.redeemed;
      total.expired += m.expired;
      if (&m == &months.front() || m.outstanding > peak.outstanding) peak = m;  // earliest on a tie
    }
    cells = {sets[s].text,
             format_percent(r.cashback, 2),
             fmt::format("{}", r.expire_days),
             format_money(r.referrals() ? r.credit : 0),
             format_money(total.issued),
             format_money(total.redeemed),
             format_money(total.expired),
             format_money(replays[s].overdraft),
             format_money(months.empty() ? 0 : months.back().outstanding),
             months.empty() ? "" : format_money(peak.outstanding),
             months.empty() ? "" : fmt::format("{:04}-{:02}", peak.year, peak.month),
             format_money(revenue),
             format_cost_pct(total.redeemed, revenue)};
    out.row(cells);
  }
}

}  // namespace kartoteka
