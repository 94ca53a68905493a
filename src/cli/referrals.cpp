// referrals — the referral regulation: rewards to pay, per-referrer summary, audit (SPEC §6.4).
//
//   kartoteka referrals --patients p.csv --visits v.csv --as-of 2026-11-22
//   kartoteka referrals --patients p.csv --visits v.csv --since 2026-11-01 --summary
//   kartoteka referrals --patients p.csv --visits v.csv --audit
#include "rules/referrals.h"

#include "cli/command.h"
#include "cli/common.h"
#include "cli/manual.h"
#include "rules/referral_report.h"

namespace kartoteka {
namespace {

struct ReferralsCliOptions {
  CommonOptions common;
  std::string since, until, topup, credit, welcome, clinic, clinic_phone, sms_template;
  bool summary = false, audit = false, has_template = false;
};

void run(const ReferralsCliOptions& o) {
  // Option values (template fields included) are checked before any file is read, so nothing is
  // written on a usage error.
  ReportFilter filter;
  if (!o.since.empty()) filter.since = parse_day_option("--since", o.since);
  if (!o.until.empty()) filter.until = parse_day_option("--until", o.until);
  RewardTerms terms;
  if (!o.topup.empty()) terms.topup = parse_money_option("--topup", o.topup);
  if (!o.credit.empty()) terms.credit = parse_money_option("--credit", o.credit);
  if (!o.welcome.empty()) terms.welcome = parse_money_option("--welcome", o.welcome);
  terms.clinic = o.clinic;
  terms.clinic_phone = o.clinic_phone;
  ReferralSms sms =
      o.has_template ? ReferralSms::parse(o.sms_template) : ReferralSms::standard(terms);

  // The report and its SMS show names and phones; referrals read the patients' referrer cell.
  Session s(o.common, true,
            PatientNeeds::none().add(PText::name).add(PText::phone).add(PText::referrer_id));
  const PatientTable& pt = s.patients();
  ReferralFacts facts(pt.size(), s.as_of());
  VisitFold fold = s.fold_visits(StatsNeeds{}, {[&](const VisitRow& r) { facts.add(r); },
                                                [&](const VisitRow& r) { facts.prefetch(r); }});
  // Referrals are found over the full files; --from/--contactable only choose the rows shown (§4).
  std::vector<Referral> referrals = find_referrals(pt, facts, fold);
  if (s.from() || o.common.contactable) {
    filter.population.assign(pt.size(), false);
    for (uint32_t p : s.population()) filter.population[p] = true;
  }
  if (o.summary) {
    s.write(referral_summary(pt, referrals, fold, terms, filter));
  } else if (o.audit) {
    s.write(referral_audit(pt, referrals, filter));
  } else {
    Session::Output out = s.output();
    reward_list(pt, referrals, terms, sms, filter, out);
    out.finish();
  }
}

}  // namespace

void register_referrals(CLI::App& app, std::vector<std::pair<CLI::App*, CommandRunner>>& out) {
  const auto [cmd, o] =
      add_command(app, out, "referrals", "Referral rewards to pay, summary and audit", run);
  cmd->add_option("--since", o->since,
                  "only referrals whose date (first paid visit) is on or after DATE")
      ->type_name("DATE");
  cmd->add_option("--until", o->until, "only referrals whose date is on or before DATE")
      ->type_name("DATE");
  auto* summary =
      cmd->add_flag("--summary", o->summary, "one row per referrer instead of the reward list");
  auto* audit = cmd->add_flag("--audit", o->audit,
                              "list issues: self_referral, unknown_referrer, "
                              "referrer_not_yet_patient, mutual_referral, pending");
  summary->excludes(audit);
  audit->excludes(summary);
  cmd->add_option("--topup", o->topup, "rubles put on the referrer's phone (default 100)")
      ->type_name("RUB");
  cmd->add_option("--credit", o->credit,
                  "rubles credited to the referrer's internal account (default 100)")
      ->type_name("RUB");
  cmd->add_option("--welcome", o->welcome, "rubles off the new patient's first visit (default 300)")
      ->type_name("RUB");
  cmd->add_option("--clinic", o->clinic, "clinic name for the SMS signature")->type_name("TEXT");
  cmd->add_option("--clinic-phone", o->clinic_phone, "clinic phone for the SMS signature")
      ->type_name("PHONE");
  cmd->add_option("--sms-template", o->sms_template,
                  "SMS text; fields {topup} {credit} {welcome} {clinic} {clinic_phone} {date} "
                  "{referrer_id} {referrer_name} {referrer_phone} {new_id} {new_name}")
      ->type_name("TEXT")
      ->each([options = o](const std::string&) { options->has_template = true; });
  cmd->footer(
      "A referral qualifies on the new patient's first paid visit (its date); the referrer gets\n"
      "--topup on the phone and --credit on the internal account, the new patient --welcome off.\n"
      "Examples:\n"
      "  kartoteka referrals --patients patients.csv --visits visits.csv --as-of 2026-11-22 \\\n"
      "      --since 2026-11-22 --clinic 'Улыбка' --clinic-phone '+7 495 000-00-00'\n"
      "  kartoteka referrals --patients patients.csv --visits visits.csv --as-of 2026-11-22 "
      "--summary\n"
      "  kartoteka referrals --patients patients.csv --visits visits.csv --as-of 2026-11-22 "
      "--audit");
  set_manual(*cmd,
             {"The referral regulation: a new patient whose referrer_id names another patient's "
              "card qualifies on the first paid visit (its date); the referrer gets --topup rubles "
              "on the phone and --credit on the internal account, the new patient --welcome off "
              "the first visit. Lists the rewards to pay for referrals dated within --since .. "
              "--until, a summary per referrer, or an audit of problems.",
              "Default: "
              "date,referrer_id,referrer_name,referrer_phone,new_id,new_name,topup,credit,welcome,"
              "sms_text, sorted by date, referrer_id, new_id.\n"
              "\n"
              "With --summary: "
              "referrer_id,name,phone,referrals,topup_total,credit_total,referred_revenue.\n"
              "\n"
              "With --audit: date,new_id,referrer_id,issue (self_referral, unknown_referrer, "
              "referrer_not_yet_patient, mutual_referral, pending)."});
}

}  // namespace kartoteka
