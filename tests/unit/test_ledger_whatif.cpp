// bonus-ledger --what-if (SPEC §6.5 "What if", §8.59): OPTIONS parsing, cost_pct, and the
// property that every replayed rule set equals separate --summary and --audit runs of the
// ledger (rules/ledger_report: LedgerBook over the same rows) under the same rules.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <random>
#include <string>
#include <vector>

#include "fixtures.h"
#include "model/errors.h"
#include "rules/ledger_report.h"
#include "rules/ledger_whatif.h"

using namespace kartoteka;

namespace {

Day d(int y, int m, int dd) {
  return days_from_ymd(y, m, dd);
}

Kopecks money(const std::string& text) {
  Kopecks k = 0;
  REQUIRE(parse_money(text, k));
  return k;
}

// A world of patients and rows the ledger is booked from twice: by a LedgerBook per rule set and
// view (the oracle: what `--summary` and `--audit` print) and by one LedgerHistory replayed.
struct World {
  PatientTable pt;
  std::vector<VisitRow> rows;
  std::vector<std::string> visit_ids;  // rows' views point here
  std::vector<Adjustment> adjustments;
  Day as_of = kNoDay;

  void patient(const std::string& id, const std::string& referrer) {
    test::add_patient(pt, {{PText::id, id}, {PText::referrer_id, referrer}});
  }
  VisitFold fold() const {
    VisitFold f(pt.size(), as_of, {});
    for (const VisitRow& r : rows) f.add(r);
    f.finish();
    return f;
  }
  template <class Book>
  void feed(Book& book, const VisitFold& f) const {
    book.add_adjustments(adjustments);
    for (const VisitRow& r : rows) book.see(r);
    book.finish(f);
  }
};

// The what-if row that separate runs of the ledger make: totals of the --summary table, the
// audit's overdrafts, the peak month-end outstanding (earliest on a tie), cost_pct.
std::vector<std::string> oracle_row(const World& w, const VisitFold& f, const WhatIf& set,
                                    const std::vector<uint32_t>& population, Kopecks revenue) {
  LedgerBook summary(w.pt, w.as_of, set.rules, LedgerView::Summary);
  w.feed(summary, f);
  Table months = ledger_summary(summary, population);
  LedgerBook audit(w.pt, w.as_of, set.rules, LedgerView::Audit);
  w.feed(audit, f);
  Table issues = ledger_audit(audit, population, true);
  Kopecks issued = 0, redeemed = 0, expired = 0, overdraft = 0, peak = 0;
  std::string outstanding = "0.00", peak_out, peak_month;
  for (const auto& m : months.rows) {
    issued += money(m[1]);
    redeemed += money(m[2]);
    expired += money(m[3]);
    outstanding = m[4];
    if (peak_month.empty() || money(m[4]) > peak) {
      peak = money(m[4]);
      peak_out = m[4];
      peak_month = m[0];
    }
  }
  for (const auto& a : issues.rows)
    if (a[2] == "overdraft") overdraft += money(a[3]);
  return {set.text,
          format_percent(set.rules.cashback, 2),
          fmt::format("{}", set.rules.expire_days),
          format_money(set.rules.credit),
          format_money(issued),
          format_money(redeemed),
          format_money(expired),
          format_money(overdraft),
          outstanding,
          peak_out,
          peak_month,
          format_money(revenue),
          format_cost_pct(redeemed, revenue)};
}

// A random clinic: up to `n` patients (some named as referrers, some self, some unknown), rows
// over about a year with refunds, free rows, bonus payments beyond any balance, cancelled and
// planned rows and rows after as-of, and adjustments of every kind.
World random_world(std::mt19937_64& rng, size_t n, int rows) {
  auto pick = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  World w;
  w.as_of = d(2026, 1, 1) + static_cast<Day>(pick(0, 400));
  for (size_t i = 0; i < n; ++i) {
    std::string referrer;
    int64_t r = pick(0, 9);
    if (r < 4) referrer = fmt::format("{:03}", pick(0, static_cast<int64_t>(n) - 1));
    if (r == 4) referrer = "999999";  // unknown
    w.patient(fmt::format("{:03}", i), referrer);
  }
  w.visit_ids.reserve(static_cast<size_t>(rows));
  for (int i = 0; i < rows; ++i) {
    VisitRow r;
    r.patient = static_cast<uint32_t>(pick(0, static_cast<int64_t>(n) - 1));
    r.seq = static_cast<uint64_t>(i);
    r.line = i + 2;
    r.date = d(2026, 1, 1) + static_cast<Day>(pick(0, 420));
    int64_t kind = pick(0, 9);
    r.amount = kind == 0 ? -pick(1, 50000) : kind == 1 ? 0 : pick(1, 900000);
    r.bonus_paid = pick(0, 3) == 0 ? pick(1, 20000) : 0;
    r.status = kind == 2 ? Status::Cancelled : kind == 3 ? Status::Planned : Status::Completed;
    w.visit_ids.push_back(fmt::format("{}", pick(1, 99999)));
    r.visit_id = w.visit_ids.back();
    w.rows.push_back(r);
  }
  for (int64_t i = 0, k = pick(0, 6); i < k; ++i) {
    std::string id = pick(0, 5) == 0 ? "777777" : fmt::format("{:03}", pick(0, n - 1));
    w.adjustments.push_back({d(2026, 1, 1) + static_cast<Day>(pick(0, 430)), id,
                             pick(0, 4) == 0 ? 0 : pick(-30000, 30000), "note", i + 2});
  }
  return w;
}

LedgerRules random_rules(std::mt19937_64& rng) {
  static const int64_t expiries[] = {0, 1, 7, 30, 90, 180};
  static const int64_t pcts[] = {0, 1, 250, 300, 500, 733, 10000};
  static const Kopecks credits[] = {0, 1, 10000, 12345};
  LedgerRules r;
  r.expire_days = expiries[rng() % 6];
  r.cashback = pcts[rng() % 7];
  r.credit = credits[rng() % 4];
  return r;
}

void check_world(std::mt19937_64& rng, const World& w, int sets, bool everyone) {
  const VisitFold f = w.fold();
  std::vector<WhatIf> what_if;
  std::vector<LedgerRules> rules;
  for (int s = 0; s < sets; ++s) {
    what_if.push_back({fmt::format("set {}", s), random_rules(rng)});
    rules.push_back(what_if.back().rules);
  }
  std::vector<uint32_t> population;
  for (uint32_t p = 0; p < w.pt.size(); ++p)
    if (everyone || rng() % 3 != 0) population.push_back(p);
  Kopecks revenue = 0;
  for (uint32_t p : population) revenue += f.stats(p).spent;
  LedgerHistory history(w.pt, w.as_of, true);
  w.feed(history, f);
  const std::vector<LedgerReplay> replays =
      replay(history, rules, population_flags(w.pt.size(), population), rng() % 2 == 0);
  const Table got =
      collect_table([&](RowSink& out) { what_if_rows(what_if, replays, revenue, out); });
  REQUIRE(got.rows.size() == what_if.size());
  for (size_t s = 0; s < what_if.size(); ++s) {
    INFO("rule set " << s << ": expire " << rules[s].expire_days << ", cashback "
                     << rules[s].cashback << ", credit " << rules[s].credit);
    CHECK(got.rows[s] == oracle_row(w, f, what_if[s], population, revenue));
  }
}

}  // namespace

TEST_CASE("what-if OPTIONS: keys override the command's rules") {
  LedgerRules base;  // 180 days, 0 %, 100.00
  base.cashback = 500;
  LedgerRules r = parse_what_if("cashback=3 \t expire-days=90", base);
  CHECK(r.cashback == 300);
  CHECK(r.expire_days == 90);
  CHECK(r.credit == 10000);
  r = parse_what_if("no-referrals", base);
  CHECK(r.credit == 0);
  CHECK(r.cashback == 500);
  // credit= turns referral credits on under --no-referrals (§8.59).
  LedgerRules none = base;
  none.credit = 0;
  r = parse_what_if(" credit=250,50 ", none);
  CHECK(r.credit == 25050);
  CHECK(r.referrals());
  CHECK(parse_what_if("cashback=7.5", base).cashback == 750);
  CHECK(parse_what_if("expire-days=0", base).expire_days == 0);
}

TEST_CASE("what-if OPTIONS: usage errors name the --what-if") {
  LedgerRules base;
  for (const char* bad :
       {"", " \t ", "cashback=3 cashback=4", "foo=1", "cashback=x", "cashback=1.234", "cashback=-1",
        "expire-days=-1", "expire-days=1.5", "expire-days=", "credit=-5", "credit=1,234",
        "credit=5 no-referrals", "no-referrals credit=5", "no-referrals=1", "cashback",
        "no-referrals no-referrals", "Cashback=3"}) {
    INFO("OPTIONS '" << bad << "'");
    try {
      parse_what_if(bad, base);
      FAIL("accepted");
    } catch (const UsageError& e) {
      CHECK(std::string(e.what()).starts_with(fmt::format("--what-if '{}'", bad)));
    }
  }
}

TEST_CASE("cost_pct: two decimals, half away from zero, empty without revenue") {
  CHECK(format_cost_pct(500, 413450) == "0.12");  // 0.1209… %
  CHECK(format_cost_pct(1, 8) == "12.50");        // exactly 12.5 %
  CHECK(format_cost_pct(1, 80000) == "0.00");     // 0.00125 % → 0.00
  CHECK(format_cost_pct(1, 40000) == "0.00");     // 0.0025 % → 0.00
  CHECK(format_cost_pct(1, 20000) == "0.01");     // 0.005 % → half away from zero: 0.01
  CHECK(format_cost_pct(3, 2) == "150.00");
  CHECK(format_cost_pct(0, 100) == "0.00");
  CHECK(format_cost_pct(10, 0) == "");
  CHECK(format_cost_pct(10, -5) == "");
}

TEST_CASE("what-if rows worked by hand: one patient, lots expiring, overdraft") {
  // Patient 001 pays 1000.00 on 2026-01-10 (cashback base 1000.00) and redeems 80.00 on
  // 2026-03-01 (a row of 200.00 paid 80.00 in bonuses: base 120.00); as-of 2026-03-31.
  //   5 %, 30 days: +50.00 (Jan), lot expires 2026-02-09 → expired 50.00; 2026-03-01 redeem
  //     finds 0.00 → overdraft 80.00; then +6.00 cashback, whose lot expires 2026-03-31 = as-of
  //     (a lot expiring on as-of expires that day). issued 56.00, redeemed 0.00, expired 56.00,
  //     outstanding 0.00; month ends: Jan 50.00, Feb 0.00, Mar 0.00 → peak 50.00 in 2026-01.
  //   10 %, never: +100.00; redeem 80.00 → 20.00; +12.00 → 32.00. issued 112.00, redeemed
  //     80.00, overdraft 0.00; month ends 100.00, 100.00, 32.00 → peak 100.00 in 2026-01.
  //   revenue 1200.00; cost_pct 0 → 0.00, 80 / 1200 = 6.666… % → 6.67.
  World w;
  w.as_of = d(2026, 3, 31);
  w.patient("001", "");
  VisitRow a;
  a.date = d(2026, 1, 10);
  a.amount = 100000;
  VisitRow b;
  b.date = d(2026, 3, 1);
  b.amount = 20000;
  b.bonus_paid = 8000;
  b.seq = 1;
  w.rows = {a, b};
  const VisitFold f = w.fold();
  LedgerHistory h(w.pt, w.as_of, false);
  w.feed(h, f);
  LedgerRules five{30, 500, 0}, ten{0, 1000, 0};
  auto replays = replay(h, {five, ten}, {true}, false);
  Table t = collect_table([&](RowSink& out) {
    what_if_rows({{"current", five}, {"cashback=10 expire-days=0", ten}}, replays, 120000, out);
  });
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[0] == std::vector<std::string>{"current", "5", "30", "0.00", "56.00", "0.00",
                                              "56.00", "80.00", "0.00", "50.00", "2026-01",
                                              "1200.00", "0.00"});
  CHECK(t.rows[1] == std::vector<std::string>{"cashback=10 expire-days=0", "10", "0", "0.00",
                                              "112.00", "80.00", "0.00", "0.00", "32.00", "100.00",
                                              "2026-01", "1200.00", "6.67"});
}

TEST_CASE("what-if without events: zeros, empty peak") {
  World w;
  w.as_of = d(2026, 3, 31);
  w.patient("001", "");
  const VisitFold f = w.fold();
  LedgerHistory h(w.pt, w.as_of, true);
  w.feed(h, f);
  auto replays = replay(h, {LedgerRules{}}, {true}, true);
  Table t = collect_table([&](RowSink& out) {
    what_if_rows({{"current", LedgerRules{}}}, replays, 0, out);
  });
  CHECK(t.rows[0] == std::vector<std::string>{"current", "0", "180", "100.00", "0.00", "0.00",
                                              "0.00", "0.00", "0.00", "", "", "0.00", ""});
}

TEST_CASE("property: every what-if row equals separate --summary and --audit runs") {
  std::mt19937_64 rng(20261207);  // fixed seed: failures reproduce
  for (int round = 0; round < 300; ++round) {
    INFO("round " << round);
    World w = random_world(rng, 1 + rng() % 8, static_cast<int>(rng() % 60));
    check_world(rng, w, 1 + static_cast<int>(rng() % 4), round % 2 == 0);
  }
}

TEST_CASE("property: many patients in several buckets, replayed on two threads") {
  std::mt19937_64 rng(77);
  for (int round = 0; round < 3; ++round) {
    INFO("round " << round);
    World w = random_world(rng, 9000, 6000);
    check_world(rng, w, 3, round != 1);
  }
}
