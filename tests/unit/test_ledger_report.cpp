// bonus-ledger's views (rules/ledger_report: SPEC §6.5, §8.31–§8.35) over in-memory patients,
// rows and adjustments — no files. Expected values are worked out by hand in the comments.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "column_kinds.h"
#include "fixtures.h"
#include "rules/ledger_report.h"

using namespace kartoteka;

namespace {

Day d(int y, int m, int dd) {
  return days_from_ymd(y, m, dd);
}
using Rows = std::vector<std::vector<std::string>>;

// The clinic of tests/cli/cases/ledger-whatif-hand, as-of 2026-06-30: 102 was referred by 101.
//   1 101 2026-01-15 2000.00          2 102 2026-02-10 1000.00
//   3 101 2026-03-20  500.00 paid 300.00 in bonuses
//   4 103 2026-04-05 −100.00 (refund)  5 103 2026-05-01 800.00 paid 50.00 in bonuses
//   6 101 2026-07-01 (after as-of)     7 102 2026-06-01 700.00 cancelled
// Adjustments: +25.00 for 102 on 2026-03-01; −10.00 for the unknown card 999 on 2026-03-20.
struct Clinic {
  PatientTable pt;
  std::vector<VisitRow> rows;
  std::vector<Adjustment> adjustments = {{d(2026, 3, 1), "102", 2500, "подарок", 2},
                                         {d(2026, 3, 20), "999", -1000, "чужая", 3}};
  const Day as_of = d(2026, 6, 30);

  Clinic() {
    const char* people[][4] = {{"101", "Анна", "+79160000001", ""},
                               {"102", "Борис", "+79160000002", "101"},
                               {"103", "Вера", "+79160000003", ""}};
    for (auto& p : people)
      test::add_patient(pt, {{PText::id, p[0]},
                             {PText::name, p[1]},
                             {PText::phone, p[2]},
                             {PText::referrer_id, p[3]}});
    static const char* ids[] = {"1", "2", "3", "4", "5", "6", "7"};
    auto row = [&](int n, uint32_t p, Day date, Kopecks amount, Kopecks bonus,
                   Status st = Status::Completed) {
      VisitRow r;
      r.patient = p;
      r.seq = static_cast<uint64_t>(n);
      r.date = date;
      r.amount = amount;
      r.bonus_paid = bonus;
      r.status = st;
      r.visit_id = ids[n - 1];
      rows.push_back(r);
    };
    row(1, 0, d(2026, 1, 15), 200000, 0);
    row(2, 1, d(2026, 2, 10), 100000, 0);
    row(3, 0, d(2026, 3, 20), 50000, 30000);
    row(4, 2, d(2026, 4, 5), -10000, 0);
    row(5, 2, d(2026, 5, 1), 80000, 5000);
    row(6, 0, d(2026, 7, 1), 999900, 0);
    row(7, 1, d(2026, 6, 1), 70000, 0, Status::Cancelled);
  }
  VisitFold fold() const {
    VisitFold f(pt.size(), as_of, {});
    for (const VisitRow& r : rows) f.add(r);
    f.finish();
    return f;
  }
  // A book at 5 % cashback, 180 days, 100.00 a referral.
  LedgerBook book(LedgerView view, const VisitFold& f) const {
    LedgerBook b(pt, as_of, LedgerRules{180, 500, 10000}, view);
    b.add_adjustments(adjustments);
    for (const VisitRow& r : rows) b.see(r);
    b.finish(f);
    return b;
  }
};

}  // namespace

TEST_CASE("journal: processing order, debits before credits, notes") {
  // 02-10: credits go cashback (file order) then referral → 102's 50.00 before 101's 100.00.
  // 03-20: 101's redeem of 300.00 finds 200.00 (100 + 100), then +10.00 cashback on 200.00.
  // 05-01: 103's redeem of 50.00 finds nothing (0.00), then +37.50 on 750.00.
  Clinic c;
  VisitFold f = c.fold();
  LedgerBook b = c.book(LedgerView::Journal, f);
  Table t = collect_table([&](RowSink& out) { ledger_journal(b, {0, 1, 2}, out); });
  CHECK(t.titles() == std::vector<std::string>{"date", "id", "kind", "amount", "balance", "note"});
  // §3 dates, §8.39 money; `id` names the patient (--mask finds the name through it).
  CHECK(test::kinds_of(t.columns) ==
        "date:date id:id kind:text amount:money balance:money note:text");
  CHECK(t.rows == Rows{{"2026-01-15", "101", "cashback", "100.00", "100.00", "1"},
                       {"2026-02-10", "102", "cashback", "50.00", "50.00", "2"},
                       {"2026-02-10", "101", "referral", "100.00", "200.00", "102"},
                       {"2026-03-01", "102", "adjust", "25.00", "75.00", "подарок"},
                       {"2026-03-20", "101", "redeem", "-200.00", "0.00", "3"},
                       {"2026-03-20", "101", "cashback", "10.00", "10.00", "3"},
                       {"2026-05-01", "103", "redeem", "0.00", "0.00", "5"},
                       {"2026-05-01", "103", "cashback", "37.50", "37.50", "5"}});
}

TEST_CASE("audit: overdrafts and unknown cards by date and id; narrowed, no unknown cards") {
  Clinic c;
  VisitFold f = c.fold();
  LedgerBook all = c.book(LedgerView::Audit, f);
  const Table audit = ledger_audit(all, {0, 1, 2}, false);
  CHECK(test::kinds_of(audit.columns) == "date:date id:id issue:text amount:money");
  CHECK(audit.rows == Rows{{"2026-03-20", "101", "overdraft", "100.00"},
                           {"2026-03-20", "999", "unknown_patient", "-10.00"},
                           {"2026-05-01", "103", "overdraft", "50.00"}});
  LedgerBook some = c.book(LedgerView::Audit, f);
  CHECK(ledger_audit(some, {2}, true).rows == Rows{{"2026-05-01", "103", "overdraft", "50.00"}});
}

TEST_CASE("summary: months of the population's journal, outstanding carried") {
  // Jan +100; Feb +50 +100 → 250; Mar +25 −200 +10 → 85; Apr nothing; May 0.00 taken, +37.50 →
  // 122.50; Jun nothing. Only 103 (--from): Apr has no row of 103's → the summary starts in May.
  Clinic c;
  VisitFold f = c.fold();
  LedgerBook all = c.book(LedgerView::Summary, f);
  const Table summary = ledger_summary(all, {0, 1, 2});
  CHECK(test::kinds_of(summary.columns) ==
        "month:text issued:money redeemed:money expired:money outstanding:money");
  CHECK(summary.rows == Rows{{"2026-01", "100.00", "0.00", "0.00", "100.00"},
                             {"2026-02", "150.00", "0.00", "0.00", "250.00"},
                             {"2026-03", "35.00", "200.00", "0.00", "85.00"},
                             {"2026-04", "0.00", "0.00", "0.00", "85.00"},
                             {"2026-05", "37.50", "0.00", "0.00", "122.50"},
                             {"2026-06", "0.00", "0.00", "0.00", "122.50"}});
  LedgerBook one = c.book(LedgerView::Summary, f);
  CHECK(ledger_summary(one, {2}).rows == Rows{{"2026-05", "37.50", "0.00", "0.00", "37.50"},
                                              {"2026-06", "0.00", "0.00", "0.00", "37.50"}});
}

TEST_CASE("balances: by balance desc, lots' expiry, tiers by spent") {
  // 102: lots 50.00 (02-10 → 2026-08-09) and 25.00 (03-01 → 08-28); spent 1000.00 (the
  //   cancelled row does not count) reaches the 1000 tier (5 %), the top: no gap.
  // 103: 37.50 (05-01 → 10-28); spent −100 + 800 = 700.00 → 0 %, 300.00 to go.
  // 101: 10.00 left (03-20 → 09-16); earned 210.00, redeemed 200.00; spent 2500.00 (row 6 is
  //   after as-of). Nothing expires within 30 days of 2026-06-30.
  Clinic c;
  VisitFold f = c.fold();
  LedgerBook b = c.book(LedgerView::Balances, f);
  BalanceTerms terms{parse_tiers("1000:5"), 30};
  Table t = collect_table([&](RowSink& out) {
    ledger_balances(b, f, {0, 1, 2}, terms, nullptr, out);
  });
  // §3 id,name,phone first; §8.39: the rubles money (§8.61), discount_pct a decimal.
  CHECK(test::kinds_of(t.columns) ==
        "id:id name:text/name phone:text/phone balance:money expiring:money next_expiry:date "
        "earned:money redeemed:money expired:money spent:money discount_pct:decimal "
        "next_tier_gap:money");
  CHECK(t.rows == Rows{{"102", "Борис", "+79160000002", "75.00", "0.00", "2026-08-09", "75.00",
                        "0.00", "0.00", "1000.00", "5", ""},
                       {"103", "Вера", "+79160000003", "37.50", "0.00", "2026-10-28", "37.50",
                        "0.00", "0.00", "700.00", "0", "300.00"},
                       {"101", "Анна", "+79160000001", "10.00", "0.00", "2026-09-16", "210.00",
                        "200.00", "0.00", "2500.00", "5", ""}});
}

TEST_CASE("whole days: digits only, at most six") {
  CHECK(parse_whole_days("0") == 0);
  CHECK(parse_whole_days("180") == 180);
  CHECK(parse_whole_days("999999") == 999999);
  CHECK_FALSE(parse_whole_days("1000000"));
  CHECK_FALSE(parse_whole_days("-1"));
  CHECK_FALSE(parse_whole_days("1.5"));
  CHECK_FALSE(parse_whole_days(""));
}
