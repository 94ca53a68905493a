#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <map>
#include <numeric>
#include <random>
#include <stdexcept>

#include "model/errors.h"
#include "rules/ledger.h"

using namespace kartoteka;

namespace {

Day day(int y, int m, int d) {
  return days_from_ymd(y, m, d);
}

std::vector<JournalEntry> run_all(Ledger& l, Day as_of) {
  std::vector<JournalEntry> out;
  l.run(as_of, [&](const JournalEntry& e) { out.push_back(e); });
  return out;
}

LedgerEvent ev(LedgerKind k, uint32_t patient, Day date, Kopecks amount, uint32_t seq = 0) {
  LedgerEvent e;
  e.kind = k;
  e.patient = patient;
  e.date = date;
  e.amount = amount;
  e.seq = seq;
  return e;
}

}  // namespace

TEST_CASE("cashback: earned on the money paid, floored, never on refunds") {
  // 1000.00 paid, 5 % (500 hundredths) → 50.00.
  CHECK(cashback(100000, 0, 500) == 5000);
  // 1000.00 of which 300.00 in bonuses: 700.00 × 5 % = 35.00.
  CHECK(cashback(100000, 30000, 500) == 3500);
  // 333.33 × 2.5 % = 8.33325 → 8.33 (floor).
  CHECK(cashback(33333, 0, 250) == 833);
  // 0.39 × 2.5 % = 0.00975 → 0 kopecks: no event.
  CHECK(cashback(39, 0, 250) == 0);
  // A refund row and a row paid wholly in bonuses earn nothing.
  CHECK(cashback(-500000, 0, 500) == 0);
  CHECK(cashback(100000, 100000, 500) == 0);
  CHECK(cashback(100000, 0, 0) == 0);
  // Large amounts do not overflow: 9e16 kopecks × 99.99 % = 89991e12 kopecks exactly.
  CHECK(cashback(90'000'000'000'000'000, 0, 9999) == 89'991'000'000'000'000);
}

TEST_CASE("percentages parse exactly and print plainly") {
  CHECK(parse_percent("5", 2) == 500);
  CHECK(parse_percent("2.5", 2) == 250);
  CHECK(parse_percent("3,33", 2) == 333);
  CHECK(parse_percent("0", 2) == 0);
  CHECK_FALSE(parse_percent("1.234", 2));
  CHECK_FALSE(parse_percent("-1", 2));
  CHECK_FALSE(parse_percent("5.", 2));
  CHECK_FALSE(parse_percent(".5", 2));
  CHECK_FALSE(parse_percent("5%", 2));
  CHECK_FALSE(parse_percent("", 2));
  CHECK(format_percent(500, 2) == "5");
  CHECK(format_percent(750, 2) == "7.5");
  CHECK(format_percent(0, 4) == "0");
  CHECK(format_percent(123400, 4) == "12.34");
}

TEST_CASE("tiers: any order, boundary reached exactly, gap to the next") {
  auto tiers = parse_tiers("45000:10,30000:5");
  REQUIRE(tiers.size() == 2);
  CHECK(tiers[0].threshold == 3000000);
  CHECK(tiers[1].pct == 100000);  // 10 % in 1/10000 %
  // 29 999.99 spent: tier 0, 0.01 to 30 000.
  auto a = tier_standing(tiers, 2999999);
  CHECK(a.pct == 0);
  CHECK(a.gap == 1);
  // Exactly 30 000.00 reaches 5 %; 15 000.00 left to 45 000.
  auto b = tier_standing(tiers, 3000000);
  CHECK(b.pct == 50000);
  CHECK(b.gap == 1500000);
  // At the top: no gap.
  auto c = tier_standing(tiers, 4500000);
  CHECK(c.pct == 100000);
  CHECK_FALSE(c.gap);
  // Negative spent (refunds only) is below every tier.
  CHECK(tier_standing(tiers, -100).gap == 3000100);
  CHECK(parse_tiers("20 000:7.5")[0].pct == 75000);
  CHECK_THROWS_AS(parse_tiers("30000:5,30000:7"), UsageError);
  CHECK_THROWS_AS(parse_tiers("30000:5,30 000.00:7"), UsageError);
  CHECK_THROWS_AS(parse_tiers("30000"), UsageError);
  CHECK_THROWS_AS(parse_tiers("-5:3"), UsageError);
  CHECK_THROWS_AS(parse_tiers("30000:x"), UsageError);
  CHECK_THROWS_AS(parse_tiers(""), UsageError);
  CHECK_THROWS_AS(parse_tiers("30000:5,"), UsageError);
}

TEST_CASE("notes: numeric visit ids inline, other text in the arena") {
  NoteArena n;
  NoteRef a = n.add("1000001"), b = n.add("000006"), c = n.add("акция"), d = n.add("акция");
  CHECK(n.get(a) == "1000001");
  CHECK(n.get(b) == "000006");
  CHECK(n.get(c) == "акция");
  CHECK(c == d);
  CHECK(n.get(n.add("")) == "");
  CHECK(n.get(n.add("999999999999999999")) == "999999999999999999");
  CHECK(n.get(n.add("1234567890123456789")) == "1234567890123456789");
}

TEST_CASE("a lot expiring exactly on as-of expires that day") {
  // 100.00 credited 2026-05-26 with expire-days 180 → expiry 2026-11-22 (5 days to May 31, then
  // 30+31+31+30+31 to Oct 31, + 22 = 180), which is as-of: the expire row is journalled.
  Ledger l({0}, 180);
  l.add(ev(LedgerKind::Cashback, 0, day(2026, 5, 26), 10000));
  auto j = run_all(l, day(2026, 11, 22));
  REQUIRE(j.size() == 2);
  CHECK(j[1].kind == LedgerKind::Expire);
  CHECK(j[1].date == day(2026, 11, 22));
  CHECK(j[1].amount == -10000);
  CHECK(l.account(0).balance == 0);
  CHECK(l.account(0).expired == 10000);
  CHECK(l.next_expiry(0) == kNoDay);

  // As-of one day earlier: the lot remains; it expires within 1 day but not within 0.
  Ledger m({0}, 180);
  m.add(ev(LedgerKind::Cashback, 0, day(2026, 5, 26), 10000));
  run_all(m, day(2026, 11, 21));
  CHECK(m.account(0).balance == 10000);
  CHECK(m.next_expiry(0) == day(2026, 11, 22));
  CHECK(m.expiring(0, day(2026, 11, 21)) == 0);
  CHECK(m.expiring(0, day(2026, 11, 22)) == 10000);
}

TEST_CASE("a redemption on the day a lot expires finds it gone") {
  // Lot A 50.00 on day 0, lot B 30.00 on day 5, expire-days 10: A expires on day 10 before that
  // day's redeem of 40.00, which takes B's 30.00 and is short 10.00.
  Ledger l({0}, 10);
  l.add(ev(LedgerKind::Cashback, 0, 0, 5000, 1));
  l.add(ev(LedgerKind::Cashback, 0, 5, 3000, 2));
  l.add(ev(LedgerKind::Redeem, 0, 10, 4000, 3));
  auto j = run_all(l, 12);
  REQUIRE(j.size() == 4);
  CHECK(j[2].kind == LedgerKind::Expire);
  CHECK(j[2].amount == -5000);
  CHECK(j[2].balance == 3000);
  CHECK(j[3].kind == LedgerKind::Redeem);
  CHECK(j[3].amount == -3000);
  CHECK(j[3].balance == 0);
  CHECK(j[3].shortfall == 1000);
  CHECK(l.account(0).redeemed == 3000);
  CHECK(l.account(0).expired == 5000);
}

TEST_CASE("a redemption spans two lots, oldest first") {
  // Lots 50.00 (day 0) and 30.00 (day 5); a 60.00 redeem on day 6 empties the first and takes
  // 10.00 of the second; 20.00 remains, expiring on day 5 + 30 = 35; nothing on day 0 + 30 = 30.
  Ledger l({0}, 30);
  l.add(ev(LedgerKind::Cashback, 0, 0, 5000, 1));
  l.add(ev(LedgerKind::Cashback, 0, 5, 3000, 2));
  l.add(ev(LedgerKind::Redeem, 0, 6, 6000, 3));
  auto j = run_all(l, 40);
  REQUIRE(j.size() == 4);
  CHECK(j[2].amount == -6000);
  CHECK(j[2].balance == 2000);
  CHECK(j[3].kind == LedgerKind::Expire);
  CHECK(j[3].date == 35);
  CHECK(j[3].amount == -2000);
}

TEST_CASE(
    "same-day order: expiries, redeems, negative adjustments, cashback, referrals, positive "
    "adjustments") {
  // Patients 0 ("B") and 1 ("A"): id rank puts 1 first. Both lots expire on day 3.
  Ledger l({1, 0}, 3);
  l.add(ev(LedgerKind::Cashback, 0, 0, 100, 5));
  l.add(ev(LedgerKind::Cashback, 1, 0, 200, 6));
  l.add(ev(LedgerKind::AdjustCredit, 0, 3, 700, 0));
  l.add(ev(LedgerKind::Referral, 0, 3, 600, 0));
  l.add(ev(LedgerKind::Cashback, 0, 3, 500, 9));
  l.add(ev(LedgerKind::AdjustDebit, 0, 3, 400, 1));
  l.add(ev(LedgerKind::Redeem, 0, 3, 300, 8));
  auto j = run_all(l, 3);
  REQUIRE(j.size() == 9);
  CHECK((j[2].patient == 1 && j[2].kind == LedgerKind::Expire));  // "A" before "B"
  CHECK((j[3].patient == 0 && j[3].kind == LedgerKind::Expire));
  CHECK(j[4].kind == LedgerKind::Redeem);
  CHECK(j[4].shortfall == 300);
  CHECK(j[5].kind == LedgerKind::AdjustDebit);
  CHECK(j[6].kind == LedgerKind::Cashback);
  CHECK(j[7].kind == LedgerKind::Referral);
  CHECK(j[8].kind == LedgerKind::AdjustCredit);
  CHECK(j[8].balance == 1800);  // 500 + 600 + 700
}

TEST_CASE("expire-days 0: lots never expire") {
  Ledger l({0}, 0);
  l.add(ev(LedgerKind::Cashback, 0, 0, 100));
  run_all(l, 100000);
  CHECK(l.account(0).balance == 100);
  CHECK(l.next_expiry(0) == kNoDay);
  CHECK(l.expiring(0, 200000) == 0);
}

TEST_CASE("events after as-of are ignored") {
  Ledger l({0}, 10);
  l.add(ev(LedgerKind::Cashback, 0, 5, 100));
  l.add(ev(LedgerKind::Cashback, 0, 6, 100));
  auto j = run_all(l, 5);
  CHECK(j.size() == 1);
  CHECK(l.account(0).balance == 100);
}

TEST_CASE("monthly summary: empty months carry the outstanding balance") {
  MonthSummary s;
  // 2026-01: +100.00; 2026-03: −30.00 redeemed, −20.00 expired; as-of in 2026-04.
  s.add({day(2026, 1, 10), 0, LedgerKind::Cashback, 10000, 10000, 0, 0});
  s.add({day(2026, 3, 1), 0, LedgerKind::Redeem, -3000, 7000, 500, 0});
  s.add({day(2026, 3, 2), 0, LedgerKind::Expire, -2000, 5000, 0, 0});
  auto m = s.finish(day(2026, 4, 15));
  REQUIRE(m.size() == 4);
  CHECK((m[0].month == 1 && m[0].issued == 10000 && m[0].outstanding == 10000));
  CHECK((m[1].month == 2 && m[1].issued == 0 && m[1].outstanding == 10000));
  CHECK((m[2].redeemed == 3000 && m[2].expired == 2000 && m[2].outstanding == 5000));
  CHECK((m[3].month == 4 && m[3].outstanding == 5000));
  CHECK(MonthSummary{}.finish(day(2026, 4, 15)).empty());

  // The same rows in another order (as per-patient processing hands them) add up the same.
  MonthSummary r;
  r.add({day(2026, 3, 2), 0, LedgerKind::Expire, -2000, 5000, 0, 0});
  r.add({day(2026, 3, 1), 0, LedgerKind::Redeem, -3000, 7000, 500, 0});
  r.add({day(2026, 1, 10), 0, LedgerKind::Cashback, 10000, 10000, 0, 0});
  auto n = r.finish(day(2026, 4, 15));
  REQUIRE(n.size() == 4);
  for (size_t i = 0; i < 4; ++i)
    CHECK((n[i].month == m[i].month && n[i].issued == m[i].issued &&
           n[i].redeemed == m[i].redeemed && n[i].expired == m[i].expired &&
           n[i].outstanding == m[i].outstanding));
}

TEST_CASE("patients in different buckets, notes kept only when asked") {
  // 5000 patients span two buckets of 4096; patient 4999 ("id" rank 0) and 1 both earn on day 0;
  // lots expire on day 10: the journal puts 4999's expiry first (by id), the credits by seq.
  std::vector<uint32_t> rank(5000);
  std::iota(rank.begin(), rank.end(), 1u);
  rank[4999] = 0;
  NoteArena notes;
  Ledger l(rank, 10);
  l.add({300, notes.add("77"), 0, 4999, 2, LedgerKind::Cashback});
  l.add({100, notes.add("76"), 0, 1, 1, LedgerKind::Cashback});
  auto j = run_all(l, 10);
  REQUIRE(j.size() == 4);
  CHECK((j[0].patient == 1 && notes.get(j[0].note) == "76"));  // seq 1 before seq 2
  CHECK((j[1].patient == 4999 && notes.get(j[1].note) == "77"));
  CHECK((j[2].patient == 4999 && j[2].kind == LedgerKind::Expire && j[2].date == 10));
  CHECK((j[3].patient == 1 && j[3].amount == -100));
  CHECK(l.account(4999).expired == 300);
  CHECK_FALSE(l.account(2).has_journal);

  Ledger quiet(rank, 10, false);
  quiet.add({300, notes.add("77"), 0, 4999, 2, LedgerKind::Cashback});
  auto q = run_all(quiet, 5);
  REQUIRE(q.size() == 1);
  CHECK(q[0].note == NoteArena::kEmpty);
  CHECK(quiet.next_expiry(4999) == 10);
  CHECK(quiet.expiring(4999, 10) == 300);
  CHECK(quiet.next_expiry(4998) == kNoDay);
}

// ---- Property test: the engine against an obviously correct day-by-day model. ----

namespace {

struct RefLot {
  Day date;
  Kopecks left;
};

// Walks every day from the first event to as-of; keeps every lot forever (zeroed when used up).
std::vector<JournalEntry> reference(const std::vector<LedgerEvent>& events,
                                    const std::vector<uint32_t>& rank, int64_t expire, Day as_of,
                                    std::vector<Kopecks>& balance,
                                    std::vector<std::vector<RefLot>>& lots) {
  size_t n = rank.size();
  balance.assign(n, 0);
  lots.assign(n, {});
  std::vector<uint32_t> by_id(n);
  std::iota(by_id.begin(), by_id.end(), 0u);
  std::sort(by_id.begin(), by_id.end(), [&](uint32_t a, uint32_t b) { return rank[a] < rank[b]; });
  std::vector<JournalEntry> out;
  if (events.empty()) return out;
  Day first = events[0].date;
  for (const auto& e : events) first = std::min(first, e.date);
  for (Day d = first; d <= as_of; ++d) {
    if (expire > 0)
      for (uint32_t p : by_id)
        for (RefLot& lot : lots[p])
          if (lot.date + expire == d && lot.left > 0) {
            balance[p] -= lot.left;
            out.push_back({d, p, LedgerKind::Expire, -lot.left, balance[p], 0, 0});
            lot.left = 0;
          }
    for (int k = 0; k <= static_cast<int>(LedgerKind::AdjustCredit); ++k) {
      std::vector<LedgerEvent> today;
      for (const auto& e : events)
        if (e.date == d && static_cast<int>(e.kind) == k) today.push_back(e);
      std::sort(today.begin(), today.end(),
                [](const LedgerEvent& a, const LedgerEvent& b) { return a.seq < b.seq; });
      for (const auto& e : today) {
        uint32_t p = e.patient;
        if (is_credit(e.kind)) {
          lots[p].push_back({d, e.amount});
          balance[p] += e.amount;
          out.push_back({d, p, e.kind, e.amount, balance[p], 0, 0});
        } else {
          Kopecks want = e.amount;
          for (RefLot& lot : lots[p]) {  // oldest first: lots are appended in date order
            Kopecks part = std::min(lot.left, want);
            lot.left -= part;
            want -= part;
          }
          Kopecks taken = e.amount - want;
          balance[p] -= taken;
          out.push_back({d, p, e.kind, -taken, balance[p], want, 0});
        }
      }
    }
  }
  return out;
}

// The ledger's view of what remains of patient p's lots against the model's `lots` (never
// expiring when expire is 0): the first expiry of a lot with something left, and the sum left in
// lots expiring on or before `until`.
void check_remaining(const Ledger& l, uint32_t p, const std::vector<RefLot>& lots, int64_t expire,
                     Day until) {
  Day next = kNoDay;
  Kopecks soon = 0;
  for (const RefLot& lot : lots)
    if (lot.left > 0 && expire > 0) {
      if (next == kNoDay) next = static_cast<Day>(lot.date + expire);
      if (lot.date + expire <= until) soon += lot.left;
    }
  CHECK(l.next_expiry(p) == next);
  CHECK(l.expiring(p, until) == soon);
}

}  // namespace

TEST_CASE("property: engine matches the day-by-day model on random event streams") {
  std::mt19937_64 rng(20261122);  // fixed seed: failures reproduce
  auto pick = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  const int64_t expiries[] = {0, 1, 2, 5, 10, 30};
  for (int round = 0; round < 3000; ++round) {
    size_t n = static_cast<size_t>(pick(1, 5));
    std::vector<uint32_t> rank(n);
    std::iota(rank.begin(), rank.end(), 0u);
    std::shuffle(rank.begin(), rank.end(), rng);
    int64_t expire = expiries[pick(0, 5)];
    Day as_of = static_cast<Day>(pick(0, 70));
    std::vector<LedgerEvent> events;
    int count = static_cast<int>(pick(0, 40));
    uint32_t seq = 0;
    for (int i = 0; i < count; ++i) {
      auto kind = static_cast<LedgerKind>(pick(0, 4));
      // Seq unique per stream, as file order is; dates may pass as-of (ignored by both).
      events.push_back(ev(kind, static_cast<uint32_t>(pick(0, static_cast<int64_t>(n) - 1)),
                          static_cast<Day>(pick(0, 80)), pick(1, 900), seq++));
    }
    Ledger l(rank, expire);
    for (const auto& e : events) l.add(e);
    auto got = run_all(l, as_of);
    std::vector<Kopecks> balance;
    std::vector<std::vector<RefLot>> lots;
    auto want = reference(events, rank, expire, as_of, balance, lots);

    INFO("round " << round);
    // Per-patient order: the same rows, each patient's in the model's order, patients ascending.
    Ledger pp(rank, expire, false);
    for (const auto& e : events) pp.add(e);
    std::vector<JournalEntry> per;
    pp.run(
        as_of, [&](const JournalEntry& e) { per.push_back(e); }, JournalOrder::PerPatient);
    std::vector<JournalEntry> want_per = want;
    std::stable_sort(
        want_per.begin(), want_per.end(),
        [](const JournalEntry& a, const JournalEntry& b) { return a.patient < b.patient; });
    REQUIRE(per.size() == want_per.size());
    for (size_t i = 0; i < per.size(); ++i) {
      CHECK(per[i].patient == want_per[i].patient);
      CHECK(per[i].date == want_per[i].date);
      CHECK(per[i].kind == want_per[i].kind);
      CHECK(per[i].amount == want_per[i].amount);
      CHECK(per[i].balance == want_per[i].balance);
      CHECK(per[i].shortfall == want_per[i].shortfall);
    }
    REQUIRE(got.size() == want.size());
    for (size_t i = 0; i < got.size(); ++i) {
      INFO("row " << i);
      CHECK(got[i].date == want[i].date);
      CHECK(got[i].patient == want[i].patient);
      CHECK(got[i].kind == want[i].kind);
      CHECK(got[i].amount == want[i].amount);
      CHECK(got[i].balance == want[i].balance);
      CHECK(got[i].shortfall == want[i].shortfall);
    }
    // Invariants: each journal balance is the running sum of that patient's amounts; the
    // ledger identity holds; balances are never negative; expiring/next_expiry match the lots.
    std::vector<Kopecks> running(n, 0);
    for (const auto& e : got) {
      running[e.patient] += e.amount;
      CHECK(e.balance == running[e.patient]);
      CHECK(e.balance >= 0);
    }
    for (uint32_t p = 0; p < n; ++p) {
      const Account& a = l.account(p);
      CHECK(a.earned - a.redeemed - a.expired == a.balance);
      CHECK(a.balance == balance[p]);
      CHECK(a.balance == running[p]);
      CHECK(a.balance >= 0);
      check_remaining(l, p, lots[p], expire, as_of + 7);
    }
  }
}

TEST_CASE("property: long streams, many lots per patient") {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 20; ++round) {
    std::vector<uint32_t> rank = {1, 0};
    std::vector<LedgerEvent> events;
    for (uint32_t i = 0; i < 3000; ++i)
      events.push_back(ev(static_cast<LedgerKind>(rng() % 5), static_cast<uint32_t>(rng() % 2),
                          static_cast<Day>(rng() % 400), 1 + static_cast<Kopecks>(rng() % 500), i));
    int64_t expire = round % 2 ? 20 : 0;
    Ledger l(rank, expire);
    for (const auto& e : events) l.add(e);
    auto got = run_all(l, 400);
    std::vector<Kopecks> balance;
    std::vector<std::vector<RefLot>> lots;
    auto want = reference(events, rank, expire, 400, balance, lots);
    REQUIRE(got.size() == want.size());
    bool same = true;
    for (size_t i = 0; i < got.size(); ++i)
      same = same && got[i].amount == want[i].amount && got[i].balance == want[i].balance &&
             got[i].kind == want[i].kind && got[i].patient == want[i].patient;
    CHECK(same);
  }
}

TEST_CASE("a ledger without id ranks runs per patient, and refuses the processing order") {
  // 100.00 credited on day 0 and 30.00 redeemed on day 2 for patient 1 of 2: balance 70.00.
  Ledger l = Ledger::without_ranks(2, 0, false);
  l.add(ev(LedgerKind::Cashback, 1, 0, 10000, 1));
  l.add(ev(LedgerKind::Redeem, 1, 2, 3000, 2));
  std::vector<JournalEntry> rows;
  l.run(
      5, [&](const JournalEntry& e) { rows.push_back(e); }, JournalOrder::PerPatient);
  REQUIRE(rows.size() == 2);
  CHECK(rows[1].balance == 7000);
  CHECK(l.account(1).balance == 7000);
  CHECK(l.account(0).balance == 0);

  Ledger m = Ledger::without_ranks(2, 0, false);
  CHECK_THROWS_AS(run_all(m, 5), std::logic_error);
  Ledger quiet = Ledger::without_ranks(2, 0, false);  // no journal at all: no order needed
  quiet.add(ev(LedgerKind::Cashback, 0, 0, 500, 1));
  quiet.run(5, {});
  CHECK(quiet.account(0).balance == 500);
}

TEST_CASE("without a journal, two threads run the patients in halves: the same accounts and lots") {
  // 10000 patients fill three buckets of 4096, so the second thread runs two of them. Lots expire
  // after 30 days. Patient p: a credit of (p+1)·100 on day 0 (expires day 30); if p is even, 50
  // redeemed on day 10 (taken from that lot); if p is a multiple of 3, 7 more on day 15 (expires
  // day 45). As of day 20 nothing has expired, so:
  //   balance = (p+1)·100 − (even ? 50 : 0) + (p%3 == 0 ? 7 : 0)
  //   expiring by day 30 = the first lot's rest = (p+1)·100 − (even ? 50 : 0)
  //   expiring by day 45 = balance; next expiry = day 30.
  const uint32_t n = 10000;
  for (bool two : {false, true}) {
    CAPTURE(two);
    Ledger l = Ledger::without_ranks(n, 30, false);
    for (uint32_t p = 0; p < n; ++p) {
      l.add(ev(LedgerKind::Cashback, p, 0, (p + 1) * 100, p));
      if (p % 2 == 0) l.add(ev(LedgerKind::Redeem, p, 10, 50, p));
      if (p % 3 == 0) l.add(ev(LedgerKind::Cashback, p, 15, 7, p));
    }
    l.run(20, {}, JournalOrder::PerPatient, two);
    uint32_t wrong = n;  // the first patient whose account or lots differ
    for (uint32_t p = 0; p < n && wrong == n; ++p) {
      const Kopecks first = Kopecks{p + 1} * 100 - (p % 2 == 0 ? 50 : 0);
      const Kopecks balance = first + (p % 3 == 0 ? 7 : 0);
      if (l.account(p).balance != balance || l.expiring(p, 30) != first ||
          l.expiring(p, 45) != balance || l.next_expiry(p) != 30)
        wrong = p;
    }
    CHECK(wrong == n);
  }
}

TEST_CASE("coalesced: one visit's rows make one lot; accounts and lots as row by row") {
  // Patient 0, lots expire after 30 days. Day 0: cashback 10.00 + 20.00 + 30.00 (three service
  // lines) → one lot of 60.00. Day 5: redeem 15.00 and cashback 1.00, then redeem 5.00 and
  // cashback 2.00 (two lines paid partly with bonuses): the redeems take 20.00 of the first lot
  // (40.00 left), the cashbacks make a lot of 3.00. Day 6: cashback 4.00 → a third lot.
  // As of day 32 the first lot (day 0 + 30) has expired: expired 40.00, balance 3.00 + 4.00 =
  // 7.00, earned 67.00, redeemed 20.00; next expiry day 35; expiring by day 35: 3.00.
  Ledger l = Ledger::without_ranks(1, 30, false);
  l.coalesce_same_day(true);
  l.add(ev(LedgerKind::Cashback, 0, 0, 1000, 1));
  l.add(ev(LedgerKind::Cashback, 0, 0, 2000, 2));
  l.add(ev(LedgerKind::Cashback, 0, 0, 3000, 3));
  l.add(ev(LedgerKind::Redeem, 0, 5, 1500, 4));
  l.add(ev(LedgerKind::Cashback, 0, 5, 100, 4));
  l.add(ev(LedgerKind::Redeem, 0, 5, 500, 5));
  l.add(ev(LedgerKind::Cashback, 0, 5, 200, 5));
  l.add(ev(LedgerKind::Cashback, 0, 6, 400, 6));
  l.run(32, {});
  const Account& a = l.account(0);
  CHECK(a.balance == 700);
  CHECK(a.earned == 6700);
  CHECK(a.redeemed == 2000);
  CHECK(a.expired == 4000);
  CHECK(a.has_journal);
  CHECK(l.next_expiry(0) == 35);
  CHECK(l.expiring(0, 35) == 300);
  CHECK(l.expiring(0, 36) == 700);

  Ledger j = Ledger::without_ranks(1, 30, false);
  j.coalesce_same_day(true);
  j.add(ev(LedgerKind::Cashback, 0, 0, 1000, 1));
  CHECK_THROWS_AS(j.run(
                      32, [](const JournalEntry&) {}, JournalOrder::PerPatient),
                  std::logic_error);
}

TEST_CASE("property: coalesced accounts and lots match the day-by-day model") {
  // Streams shaped like a visits file: runs of rows of one patient and day, each row a cashback
  // and sometimes a redeem before it, with adjustments and referrals in between; few days, so
  // the same (patient, day, kind) also comes back after other events.
  std::mt19937_64 rng(20261206);  // fixed seed: failures reproduce
  auto pick = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  size_t mergeable = 0;  // events of the same patient, day and kind as one of the two before
  for (int round = 0; round < 2000; ++round) {
    const uint32_t n = static_cast<uint32_t>(pick(1, 3));
    const int64_t expire = std::array<int64_t, 4>{0, 1, 3, 10}[static_cast<size_t>(pick(0, 3))];
    const Day as_of = static_cast<Day>(pick(0, 25));
    std::vector<LedgerEvent> events;
    uint32_t seq = 0;
    for (int visit = 0, visits = static_cast<int>(pick(0, 12)); visit < visits; ++visit) {
      const auto p = static_cast<uint32_t>(pick(0, n - 1));
      const auto d = static_cast<Day>(pick(0, 20));
      for (int line = 0, lines = static_cast<int>(pick(1, 4)); line < lines; ++line, ++seq) {
        if (pick(0, 2) == 0) events.push_back(ev(LedgerKind::Redeem, p, d, pick(1, 900), seq));
        events.push_back(ev(LedgerKind::Cashback, p, d, pick(1, 900), seq));
      }
      if (pick(0, 4) == 0)
        events.push_back(ev(static_cast<LedgerKind>(pick(1, 4)), p, static_cast<Day>(pick(0, 20)),
                            pick(1, 900), seq++));
    }
    std::vector<uint32_t> rank(n);
    std::iota(rank.begin(), rank.end(), 0u);
    std::vector<Kopecks> balance;
    std::vector<std::vector<RefLot>> lots;
    reference(events, rank, expire, as_of, balance, lots);

    Ledger whole = Ledger::without_ranks(n, expire, false);  // row by row, for `earned` & co.
    Ledger l = Ledger::without_ranks(n, expire, false);
    l.coalesce_same_day(true);
    for (const auto& e : events) {
      whole.add(e);
      l.add(e);
    }
    whole.run(as_of, {});
    l.run(as_of, {});
    INFO("round " << round);
    for (uint32_t p = 0; p < n; ++p) {
      const Account& a = l.account(p);
      CHECK(a.balance == balance[p]);
      CHECK(a.earned == whole.account(p).earned);
      CHECK(a.redeemed == whole.account(p).redeemed);
      CHECK(a.expired == whole.account(p).expired);
      CHECK(a.has_journal == whole.account(p).has_journal);
      check_remaining(l, p, lots[p], expire, as_of + 3);
    }
    for (size_t i = 1; i < events.size(); ++i)
      for (size_t back = 1; back <= std::min<size_t>(2, i); ++back) {
        const LedgerEvent &x = events[i], &y = events[i - back];
        if (x.patient == y.patient && x.date == y.date && x.kind == y.kind) {
          ++mergeable;
          break;
        }
      }
  }
  CHECK(mergeable > 5000);  // the streams do have plenty to merge
}
