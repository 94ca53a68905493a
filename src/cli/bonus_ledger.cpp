// bonus-ledger — the internal bonus account (SPEC §6.5, §8.31–§8.35, §8.59): options → rule
// (rules/ledger_report, rules/ledger_whatif) → writer.
//
//   kartoteka bonus-ledger --patients p.csv --visits v.csv --cashback 5
//   kartoteka bonus-ledger --patients p.csv --visits v.csv --cashback 3 --journal --from one.csv
//   kartoteka bonus-ledger --patients p.csv --visits v.csv --adjustments adj.csv --audit
//   kartoteka bonus-ledger --patients p.csv --visits v.csv --cashback 5 --what-if 'cashback=3'
#include <fmt/format.h>

#include "base/threads.h"
#include "cli/command.h"
#include "cli/common.h"
#include "cli/ledger_options.h"
#include "cli/manual.h"
#include "model/errors.h"
#include "rules/ledger_report.h"
#include "rules/ledger_whatif.h"
#include "rules/table.h"

namespace kartoteka {
namespace {

struct LedgerOptions {
  CommonOptions common;
  std::string expire_days = "180", cashback = "0", credit, tiers = "30000:5,45000:10",
              expiring_within = "30", adjustments;
  bool no_referrals = false, journal = false, audit = false, summary = false;
  std::vector<std::string> what_if;
};

// In the order the options have always been checked: the first bad one is reported.
LedgerRules parse_rules(const LedgerOptions& o, BalanceTerms& terms) {
  LedgerRules rules;
  rules.expire_days = parse_days("--expire-days", o.expire_days);
  terms.expiring_within = parse_days("--expiring-within", o.expiring_within);
  parse_cashback_credit(o.cashback, o.credit, o.no_referrals, rules);
  terms.tiers = parse_tiers(o.tiers);
  return rules;
}

LedgerView view_of(const LedgerOptions& o) {
  if (o.journal) return LedgerView::Journal;
  if (o.audit) return LedgerView::Audit;
  if (o.summary) return LedgerView::Summary;
  return LedgerView::Balances;
}

// The visits folded once through `ledger` (LedgerBook or LedgerHistory), --adjustments read
// into it first: the visits' end reports the run's skipped bad rows (adjustments' too).
template <class Ledger>
VisitFold fold_into(const LedgerOptions& o, Session& s, Ledger& ledger) {
  if (!o.adjustments.empty())
    ledger.add_adjustments(read_adjustments(o.adjustments, s.input_options(), s.diag()));
  VisitObserver observe;
  observe.see = [&](const VisitRow& r) { ledger.see(r); };
  // The ledger appends to a few hundred hot blocks; the referral facts are a line per patient.
  if (ledger.wants_ahead()) observe.ahead = [&](const VisitRow& r) { ledger.ahead(r); };
  VisitFold fold = s.fold_visits(StatsNeeds{}, observe);
  ledger.finish(fold);
  return fold;
}

// --what-if (§6.5): the visits read and folded once, every rule set replayed.
void run_what_if(const LedgerOptions& o, const LedgerRules& rules) {
  std::vector<WhatIf> sets = {{"current", rules}};
  for (const std::string& text : o.what_if) {
    if (o.journal || o.audit || o.summary)
      throw UsageError(fmt::format("--what-if '{}' excludes --{}", text,
                                   o.journal ? "journal"
                                   : o.audit ? "audit"
                                             : "summary"));
    sets.push_back({text, parse_what_if(text, rules)});
  }
  std::vector<LedgerRules> rule_sets;
  bool referrals = false;
  for (const WhatIf& w : sets) {
    rule_sets.push_back(w.rules);
    referrals = referrals || w.rules.referrals();
  }
  Session s(o.common, true, PatientNeeds::none().add(PText::referrer_id));
  LedgerHistory history(s.patients(), s.as_of(), referrals);
  history.prefault_ahead(use_two_threads());
  VisitFold fold = fold_into(o, s, history);
  const std::vector<uint32_t> population = s.population();
  Kopecks revenue = 0;
  for (uint32_t p : population) revenue += fold.stats(p).spent;
  const std::vector<LedgerReplay> replays = replay(
      history, rule_sets, population_flags(s.patients().size(), population), use_two_threads());
  s.write(collect_table([&](RowSink& out) { what_if_rows(sets, replays, revenue, out); }));
}

void run(const LedgerOptions& o) {
  BalanceTerms terms;
  const LedgerRules rules = parse_rules(o, terms);
  if (!o.what_if.empty()) return run_what_if(o, rules);
  const LedgerView view = view_of(o);
  // The balance list shows name and phone; referral credits read the patients' referrer cell.
  Session s(o.common, true,
            PatientNeeds::none().add(PText::name).add(PText::phone).add(PText::referrer_id));
  LedgerBook book(s.patients(), s.as_of(), rules, view, use_two_threads());
  VisitFold fold = fold_into(o, s, book);

  // --from and --contactable scope what is reported, never the ledger itself (§4, §8.35).
  const std::vector<uint32_t> population = s.population();
  const bool narrowed = s.from() || o.common.contactable;
  if (view == LedgerView::Summary) return s.write(ledger_summary(book, population));
  if (view == LedgerView::Audit) return s.write(ledger_audit(book, population, narrowed));
  Session::Output out = s.output();
  if (view == LedgerView::Journal)
    ledger_journal(book, population, out);
  else
    ledger_balances(book, fold, population, terms, s.from(), out);
  out.finish();
}

// The alternative views (--journal, --audit, --summary: one at most) and --what-if.
void add_view_options(CLI::App& cmd, LedgerOptions& o) {
  auto* journal = cmd.add_flag("--journal", o.journal, "every ledger row in processing order");
  auto* audit = cmd.add_flag("--audit", o.audit, "overdrafts and adjustments for unknown cards");
  auto* summary =
      cmd.add_flag("--summary", o.summary, "issued, redeemed, expired, outstanding by month");
  cmd.add_option("--what-if", o.what_if,
                 "replay the history under other rules: 'cashback=PCT expire-days=N credit=RUB "
                 "no-referrals' (repeatable); one row per rule set")
      ->allow_extra_args(false)
      ->type_name("'OPTIONS'");
  journal->excludes(audit)->excludes(summary);
  audit->excludes(journal)->excludes(summary);
  summary->excludes(journal)->excludes(audit);
}

}  // namespace

void register_bonus_ledger(CLI::App& app, std::vector<std::pair<CLI::App*, CommandRunner>>& out) {
  const auto [cmd, o] = add_command(app, out, "bonus-ledger",
                                    "The internal bonus account: balances, journal, audit", run);
  cmd->add_option("--expire-days", o->expire_days,
                  "a lot expires N days after its date (0 = never)")
      ->type_name("DAYS")
      ->default_str("180");
  cmd->add_option("--cashback", o->cashback, "cashback PCT of the money paid (up to 2 decimals)")
      ->type_name("PCT")
      ->default_str("0");
  add_credit_options(*cmd, o->credit, o->no_referrals);
  cmd->add_option("--adjustments", o->adjustments,
                  "manual adjustments: date,patient_id,amount,note")
      ->type_name("FILE");
  add_tiers_option(*cmd, o->tiers);
  cmd->add_option("--expiring-within", o->expiring_within, "DAYS for the expiring column")
      ->type_name("DAYS")
      ->default_str("30");
  add_view_options(*cmd, *o);
  cmd->footer(
      "Examples:\n"
      "  kartoteka bonus-ledger --patients patients.csv --visits visits.csv --as-of 2026-11-22 \\\n"
      "      --cashback 5 --tiers 30000:5,45000:10 --expiring-within 30\n"
      "  echo id > one.csv; echo 000326 >> one.csv\n"
      "  kartoteka bonus-ledger --patients patients.csv --visits visits.csv --as-of 2026-11-22 \\\n"
      "      --cashback 3 --adjustments adjustments.csv --journal --from one.csv\n"
      "  kartoteka bonus-ledger --patients patients.csv --visits visits.csv --as-of 2026-11-22 \\\n"
      "      --cashback 5 --what-if 'cashback=3' --what-if 'cashback=7 expire-days=90'");
  set_manual(*cmd,
             {"The internal bonus account: cashback on the money paid and referral credits are "
              "earned, bonus_paid on visits is redeemed, lots expire --expire-days after their "
              "date (oldest spent first), manual --adjustments are applied; with the discount "
              "scale of --tiers by money spent.",
              "Default: "
              "id,name,phone,balance,expiring,next_expiry,earned,redeemed,expired,spent,discount_"
              "pct,next_tier_gap, one row per patient.\n"
              "\n"
              "With --journal: date,id,kind,amount,balance,note, every ledger row in processing "
              "order. With --audit: date,id,issue,amount (overdraft, unknown_patient). With "
              "--summary: month,issued,redeemed,expired,outstanding. With --what-if: "
              "scenario,cashback,expire_days,credit,issued,redeemed,expired,overdraft,"
              "outstanding,peak_outstanding,peak_month,revenue,cost_pct, one row per rule set, "
              "current first."});
}

}  // namespace kartoteka
