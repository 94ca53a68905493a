// sleeping — patients to wake up and procedures to recall (SPEC §6.3, §8.26).
//
//   kartoteka sleeping --patients p.csv --visits v.csv --as-of 2026-11-22
//   kartoteka sleeping --patients p.csv --visits v.csv --adaptive 2
//   kartoteka sleeping --patients p.csv --visits v.csv --recall гигиена=180 --recall имплант=365
#include "rules/sleeping.h"

#include <fmt/format.h>

#include "cli/command.h"
#include "cli/common.h"
#include "cli/manual.h"
#include "model/errors.h"
#include "model/whole_number.h"

namespace kartoteka {
namespace {

struct SleepingCliOptions {
  CommonOptions common;
  std::string after, lost_after, adaptive;
  std::vector<std::string> recall;
  bool include_booked = false;
};

// Day counts are whole numbers ≥ 0 (§8.38).
int64_t parse_days(std::string_view option, const std::string& text) {
  const std::optional<int64_t> days = parse_whole_number(text, 9);
  if (!days) throw UsageError(fmt::format("{} {}: expected a whole number of days", option, text));
  return *days;
}

void run(const SleepingCliOptions& o) {
  SleepingOptions opt;
  if (!o.after.empty()) opt.after = parse_days("--after", o.after);
  if (!o.lost_after.empty()) opt.lost_after = parse_days("--lost-after", o.lost_after);
  if (!o.adaptive.empty()) opt.adaptive = parse_adaptive_k(o.adaptive);
  opt.include_booked = o.include_booked;
  std::vector<RecallPattern> patterns;
  for (const auto& r : o.recall) patterns.push_back(parse_recall(r));

  // The lists print id, name, phone; home_branch falls back to the patient's branch.
  Session s(o.common, true,
            PatientNeeds::none().add(PText::name).add(PText::phone).add(PText::branch));
  StatsNeeds needs;
  needs.home_branch = true;
  needs.visit_dates = opt.adaptive.has_value();
  if (patterns.empty()) {
    VisitFold fold = s.fold_visits(needs);
    FieldContext ctx{s.patients(), fold, s.as_of(), s.from()};
    Session::Output out = s.output();
    sleeping_list(ctx, s.population(), opt, out);
    out.finish();
    return;
  }
  RecallCollector recall(std::move(patterns), s.patients().size(), s.as_of());
  VisitFold fold = s.fold_visits(needs, {[&](const VisitRow& r) { recall.add(r); },
                                         [&](const VisitRow& r) { recall.prefetch(r); }});
  FieldContext ctx{s.patients(), fold, s.as_of(), s.from()};
  Session::Output out = s.output();
  const size_t lost = recall_list(ctx, s.population(), recall, opt, out);
  out.finish();
  if (lost > 0)
    s.diag().note(
        fmt::format("{} overdue patients left out: their last such service is {} days ago or more "
                    "(--lost-after)",
                    lost, opt.lost_after));
}

}  // namespace

void register_sleeping(CLI::App& app, std::vector<std::pair<CLI::App*, CommandRunner>>& out) {
  const auto [cmd, o] =
      add_command(app, out, "sleeping", "Patients to wake up, procedures to recall", run);
  auto* after =
      cmd->add_option("--after", o->after, "asleep after DAYS without a visit (default 180)")
          ->type_name("DAYS");
  cmd->add_option("--lost-after", o->lost_after, "lost (not listed) after DAYS (default 1095)")
      ->type_name("DAYS");
  cmd->add_flag("--include-booked", o->include_booked,
                "also list patients with an upcoming appointment");
  auto* adaptive =
      cmd->add_option(
             "--adaptive", o->adaptive,
             "with 3+ visit dates: asleep when days since the last visit > K × the median gap")
          ->type_name("K");
  cmd->add_option("--recall", o->recall,
                  "recall list: PATTERN=DAYS (service or its category), repeatable")
      ->type_name("PATTERN=DAYS")
      ->allow_extra_args(false)
      ->excludes(after)
      ->excludes(adaptive);
  cmd->footer(
      "Examples:\n"
      "  kartoteka sleeping --patients patients.csv --visits visits.csv --as-of 2026-11-22\n"
      "  kartoteka sleeping --patients patients.csv --visits visits.csv --as-of 2026-11-22 "
      "--adaptive 2\n"
      "  kartoteka sleeping --patients patients.csv --visits visits.csv --as-of 2026-11-22 \\\n"
      "      --recall гигиена=180 --recall имплант=365");
  set_manual(
      *cmd,
      {"Patients to wake up: those with visits whose last visit is at least --after (180) and "
       "fewer than --lost-after (1095) days before --as-of, without an upcoming appointment "
       "(unless --include-booked). With --adaptive K, a patient with 3 or more visit dates is "
       "asleep when the days since the last visit exceed K times the median gap between visits.\n"
       "\n"
       "With --recall PATTERN=DAYS (repeatable): recall lists of periodic procedures; a patient is "
       "due when the last visit whose service or service category contains PATTERN is DAYS or more "
       "ago (and less than --lost-after), without an upcoming appointment.",
       "id,name,phone,last_visit,days_since,visits,spent,home_branch,reason (reason: inactive or "
       "adaptive; with --adaptive a typical_gap column follows), then the --from columns; sorted "
       "by spent descending.\n"
       "\n"
       "With --recall: id,name,phone,service,last_service_date,due_date,days_overdue,home_branch, "
       "sorted by days_overdue descending."});
}

}  // namespace kartoteka
