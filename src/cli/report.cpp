// report — the whole clinic on one self-contained HTML page with charts (SPEC §6.7, §8.60).
//
//   kartoteka report --patients p.csv --visits v.csv --as-of 2026-11-22 -o report.html
//   kartoteka report --patients p.csv --visits v.csv --title 'Улыбка' --months 12 --cashback 5
//
// One read: the visits stream once through the fold and the observers that the months, the
// referrals and the bonus ledger need; every table then comes from the commands' own rules.
#include <fmt/format.h>

#include <array>

#include "base/background.h"
#include "base/threads.h"
#include "cli/common.h"
#include "cli/ledger_options.h"
#include "cli/manual.h"
#include "io/output_file.h"
#include "model/errors.h"
#include "model/whole_number.h"
#include "rules/ledger_report.h"
#include "rules/referral_report.h"
#include "rules/referrals.h"
#include "rules/report_html.h"
#include "rules/report_months.h"
#include "rules/report_tables.h"
#include "rules/rfm.h"
#include "rules/segment.h"
#include "rules/sleeping.h"

namespace kartoteka {
namespace {

struct ReportCliOptions {
  CommonOptions common;
  std::string title = "Отчёт по пациентской базе", months = "24", after = "180",
              lost_after = "1095", expire_days = "180", cashback = "0", credit,
              tiers = "30000:5,45000:10", adjustments;
  bool no_referrals = false;
};

// Options of other commands that make no sense for one page about the whole clinic (§8.60):
// given to `report`, each is a usage error. Options added to every command later join the list;
// a name that no longer exists is skipped.
constexpr std::array<std::string_view, 6> kNotForReport = {"--from", "--contactable", "--format",
                                                           "--sort", "--limit",       "--from-key"};

void reject_options(const CLI::App& cmd) {
  for (std::string_view name : kNotForReport) {
    const CLI::Option* opt = cmd.get_option_no_throw(std::string(name));
    if (opt && opt->count() > 0)
      throw UsageError(fmt::format(
          "report: {} is not an option of report (the page covers the whole clinic, as HTML)",
          name));
  }
}

// A whole number of days or months ≥ `min` (§8.38), at most `max_digits` digits.
int64_t parse_count(std::string_view option, const std::string& text, int64_t min,
                    size_t max_digits) {
  const std::optional<int64_t> n = parse_whole_number(text, max_digits);
  if (!n || *n < min)
    throw UsageError(fmt::format("{} {}: expected a whole number ≥ {}", option, text, min));
  return *n;
}

// The bonus-ledger options, as `bonus-ledger` reads them (§6.5).
LedgerRules parse_ledger_rules(const ReportCliOptions& o) {
  LedgerRules rules;
  rules.expire_days = parse_days("--expire-days", o.expire_days);
  parse_cashback_credit(o.cashback, o.credit, o.no_referrals, rules);
  return rules;
}

// tiers: the balance list's patients — those with visits or journal rows (§6.5) — by the
// discount their spent reaches. After the ledger has run.
Table tiers_table(LedgerBook& book, const VisitFold& fold, const std::vector<uint32_t>& population,
                  const std::vector<Tier>& tiers) {
  std::vector<Kopecks> spent;
  for (uint32_t p : population)
    if (fold.stats(p).visits > 0 || book.ledger().account(p).has_journal)
      spent.push_back(fold.stats(p).spent);
  return tier_counts(tiers, spent);
}

Table group_by(const FieldContext& ctx, const std::vector<uint32_t>& population,
               std::string_view field) {
  auto ref = resolve_field(field, ctx.patients, {});
  return segment_groups(ctx, population, {NamedField{std::string(field), *ref}});
}

// Every option, checked before any file is read: a usage error wins over an input error.
struct ReportSettings {
  int months = 24;
  SleepingOptions sleeping;
  LedgerRules rules;
  std::vector<Tier> tiers;
  RewardTerms terms;
};

ReportSettings parse_settings(const ReportCliOptions& o, const CLI::App& cmd) {
  reject_options(cmd);
  ReportSettings st;
  st.months = static_cast<int>(parse_count("--months", o.months, 1, 4));
  st.sleeping.after = parse_count("--after", o.after, 0, 9);
  st.sleeping.lost_after = parse_count("--lost-after", o.lost_after, 0, 9);
  st.rules = parse_ledger_rules(o);
  st.tiers = parse_tiers(o.tiers);
  st.terms.credit = st.rules.credit;  // 0.00 under --no-referrals (§8.60)
  return st;
}

// Everything after the read: each table from the rule functions of its command.
ReportTables tables_from(const ReportSettings& st, Session& s, const VisitFold& fold,
                         const ReferralFacts& facts, const VisitMonths& visit_months,
                         LedgerBook& book, MonthWindow window) {
  const PatientTable& pt = s.patients();
  const std::vector<uint32_t> population = s.population();
  const FieldContext ctx{pt, fold, s.as_of(), nullptr};
  ReportTables t;
  // The ledger's run (its months, then the tiers from its accounts) and the months table read only
  // what the fold and the book hold: on threads of their own beside the other tables, they take
  // report at 10^7 rows from 1.87 to 1.49 x bonus-ledger's time (hyperfine, 4 runs; §6.7's
  // budget is 1.5 x). Each table is written by one thread only.
  Background ledger([&] {
    t.ledger = months_in_window(ledger_summary(book, population), window);
    t.tiers = tiers_table(book, fold, population, st.tiers);
  });
  Background months([&] { t.months = visit_months.table(fold); });
  t.overview = report_overview(fold, population, s.as_of());
  t.activity = group_by(ctx, population, "activity");
  t.branches = group_by(ctx, population, "home_branch");
  const std::vector<RfmRow> rfm = score_rfm(fold, population, RfmOptions{});
  t.rfm_grid = rfm_grid(rfm);
  t.rfm = rfm_summary(rfm);
  SleepingBuckets buckets(st.sleeping.after, st.sleeping.lost_after);
  sleeping_list(ctx, population, st.sleeping, buckets);
  t.sleeping = buckets.table();
  const std::vector<Referral> referrals = find_referrals(pt, facts, fold);
  ReferralMonths referral_months(window);
  reward_list(pt, referrals, st.terms, ReferralSms::standard(st.terms), ReportFilter{},
              referral_months);
  t.referrals = referral_months.table();
  t.referral_audit = audit_counts(referral_audit(pt, referrals, ReportFilter{}));
  months.join();
  ledger.join();
  return t;
}

void run(const ReportCliOptions& o, const CLI::App& cmd) {
  const ReportSettings st = parse_settings(o, cmd);
  // No name, phone or e-mail is even read: the page names no patient (§6.7).
  Session s(o.common, true, PatientNeeds::none().add(PText::branch).add(PText::referrer_id));
  const MonthWindow window = MonthWindow::ending_at(s.as_of(), st.months);
  // One read: the fold and, beside it, what the referrals, the months and the ledger collect.
  ReferralFacts facts(s.patients().size(), s.as_of());
  VisitMonths visit_months(window, s.as_of());
  // The summary view: the ledger keeps every event (its months need the journal).
  LedgerBook book(s.patients(), s.as_of(), st.rules, LedgerView::Summary, use_two_threads());
  // Read before the visits, whose end reports the run's skipped bad rows (adjustments' too).
  if (!o.adjustments.empty())
    book.add_adjustments(read_adjustments(o.adjustments, s.input_options(), s.diag()));
  StatsNeeds needs;
  needs.home_branch = true;
  VisitObserver observe;
  observe.see = [&](const VisitRow& r) {
    facts.add(r);
    visit_months.add(r);
    book.see(r);
  };
  observe.ahead = [&](const VisitRow& r) {
    facts.prefetch(r);
    visit_months.prefetch(r);
    if (book.wants_ahead()) book.ahead(r);
  };
  const VisitFold fold = s.fold_visits(needs, observe);
  book.finish(fold);
  const ReportTables t = tables_from(st, s, fold, facts, visit_months, book, window);

  ReportHeading heading;
  heading.title = o.title;
  heading.as_of = s.as_of();
  heading.window = window;
  heading.after = st.sleeping.after;
  heading.lost_after = st.sleeping.lost_after;
  heading.version = KARTOTEKA_VERSION;
  const std::string page = report_html(heading, t);
  // Only now, with every input read, is the output opened (§5).
  OutputTarget target(o.common.output, parse_mode_option(o.common.mode));
  target.sink().write(page);
  target.commit();
}

// The bonus ledger's and the referral credit's options (as bonus-ledger and referrals take them).
void add_ledger_options(CLI::App& cmd, ReportCliOptions& o) {
  cmd.add_option("--expire-days", o.expire_days,
                 "bonus ledger: a lot expires N days after its date (0 = never)")
      ->type_name("N")
      ->default_str("180");
  cmd.add_option("--cashback", o.cashback, "bonus ledger: cashback PCT of the money paid")
      ->type_name("PCT")
      ->default_str("0");
  add_credit_options(cmd, o.credit, o.no_referrals);
  cmd.add_option("--adjustments", o.adjustments,
                 "bonus ledger: manual adjustments date,patient_id,amount,note")
      ->type_name("FILE");
  add_tiers_option(cmd, o.tiers);
}

}  // namespace

void register_report(CLI::App& app, std::vector<std::pair<CLI::App*, CommandRunner>>& out) {
  auto o = std::make_shared<ReportCliOptions>();
  CLI::App* cmd =
      add_command(app, "report", "The whole clinic on one HTML page with charts", o->common);
  // An option of report's own, its value shown as `type` and its default in --help.
  auto own = [&](const char* name, std::string& value, const char* help, const char* type) {
    cmd->add_option(name, value, help)->type_name(type)->default_str(value);
  };
  own("--title", o->title, "heading of the page (the clinic's name)", "TEXT");
  own("--months", o->months, "months of the monthly tables, up to the as-of month", "N");
  own("--after", o->after, "sleeping: asleep after DAYS without a visit", "DAYS");
  own("--lost-after", o->lost_after, "sleeping: lost (not counted) after DAYS", "DAYS");
  add_ledger_options(*cmd, *o);
  // The options of other commands that report refuses stay parsed (to say why they are refused)
  // but out of its help.
  for (std::string_view name : kNotForReport)
    if (CLI::Option* opt = cmd->get_option_no_throw(std::string(name))) opt->group("");
  cmd->footer(
      "One self-contained HTML page (no scripts, nothing fetched, no patient named): overview,\n"
      "activity, branches, months, RFM grid and segments, sleeping patients, referrals and their\n"
      "audit, the bonus ledger's liability and the discount tiers, each chart beside its table.\n"
      "Examples:\n"
      "  kartoteka report --patients patients.csv --visits visits.csv --as-of 2026-11-22 \\\n"
      "      -o report.html\n"
      "  kartoteka report --patients patients.csv --visits visits.csv --title 'Улыбка' \\\n"
      "      --months 12 --cashback 5 --adjustments adjustments.csv -o report.html");
  set_manual(
      *cmd,
      {"One self-contained HTML page for the owner and the chief doctor: HTML5 with its CSS "
       "in one <style>, charts as inline SVG, no script and nothing a browser would fetch, so "
       "it opens offline, prints on A4 and can be e-mailed. It names no patient: only counts, "
       "sums and the clinic's own labels. People read Russian numbers, money and months; "
       "scripts read every table as <table data-table=\"NAME\"> whose header cells carry "
       "data-key=\"COLUMN\" and data cells data-value=\"...\", the value exactly as the csv "
       "output of the matching command prints it. Everything comes from one read of each "
       "file. --from, --contactable, --format, --sort and --limit are usage errors here.",
       "Tables, in page order: overview (patients,with_visits,visits,spent,first_visit,"
       "last_visit,as_of); activity (segment --by activity); branches (segment --by "
       "home_branch); months (month,new_patients,patients,visits,revenue, one row per month "
       "of the --months window); rfm_grid (r,f,patients, 25 rows); rfm (rfm --summary); "
       "sleeping (bucket,patients,spent: the sleeping list by days since the last visit); "
       "referrals (month,referrals,topup,credit,welcome); referral_audit (issue,referrals, "
       "all time); ledger (bonus-ledger --summary in the window); tiers "
       "(discount_pct,patients: the bonus-ledger list per discount)."});
  out.emplace_back(cmd, [o, cmd] { run(*o, *cmd); });
}

}  // namespace kartoteka
