// sms — messages for a gateway (SPEC §6.6, §6.9, §8.36, §8.37, §8.43, §8.49, §8.52, §8.53):
// options → rules (rules/sms_batch.h) → writer, then the contact log.
//
//   kartoteka segment … | kartoteka sms --patients p.csv --visits v.csv --from - …
//       --template '{first_name}, мы скучаем!' --max-segments 1
//       --exclude stop.csv --log sent.csv --campaign winter --snooze 30
#include "rules/sms.h"

#include <fmt/format.h>

#include <cstdio>
#include <optional>

#include "cli/command.h"
#include "cli/common.h"
#include "cli/manual.h"
#include "io/contact_log.h"
#include "io/stop_list.h"
#include "model/errors.h"
#include "rules/patient_fields.h"
#include "rules/sms_batch.h"

namespace kartoteka {
namespace {

struct SmsOptions {
  CommonOptions common;
  std::string text;
  bool no_consent_check = false;
  uint32_t max_segments = 0;  // 0 = no limit
  std::vector<std::string> exclude;
  std::string log, campaign;
  uint32_t snooze = 0, snooze_campaign = 0;
  bool dry_run = false;
  // Given or not (a DAYS of 0 is given).
  CLI::Option *campaign_opt = nullptr, *snooze_opt = nullptr, *snooze_campaign_opt = nullptr;
};

// The options of the contact log make sense only with it (§6.6): usage errors before any file.
void check_log_options(const SmsOptions& o) {
  const std::pair<const CLI::Option*, const char*> needs_log[] = {
      {o.campaign_opt, "--campaign"},
      {o.snooze_opt, "--snooze"},
      {o.snooze_campaign_opt, "--snooze-campaign"}};
  if (o.log.empty()) {
    for (const auto& [opt, name] : needs_log)
      if (opt->count() > 0) throw UsageError(fmt::format("sms: {} needs --log FILE", name));
    if (o.dry_run) throw UsageError("sms: --dry-run needs --log FILE");
  }
  if (o.snooze_campaign_opt->count() > 0 && o.campaign_opt->count() == 0)
    throw UsageError("sms: --snooze-campaign needs --campaign NAME (whose rows it counts)");
}

// A list keyed by new_id / referrer_id names someone else than the patient a text is written for
// (a referral list's thank-you is for the referrer): the user says whom to message (§6.9).
void check_list_key(const FromList& list) {
  if (list.key_is_id || list.key_chosen) return;
  std::string candidates;
  for (const auto& t : list.key_candidates)
    candidates += fmt::format("{}{}", candidates.empty() ? "" : ", ", t);
  throw UsageError(fmt::format(
      "sms: the --from list has no id column: its key would be \"{}\", and a text written for "
      "one patient could go to another; say whom to message with --from-key COLUMN (candidate "
      "columns: {})",
      list.key_title, candidates));
}

// Writes the batch; with --log a closed stdout is an error: the batch may be incomplete and
// nothing is logged (§8.52).
SmsBatch write_batch(Session& s, const SmsJob& job, SmsDispatcher& dispatch, bool logging) {
  Session::Output output = s.output();
  try {
    SmsBatch batch = send_sms_batch(job, dispatch, output);
    output.finish();
    return batch;
  } catch (const OutputClosed&) {
    if (!logging) throw;
    throw InputError(
        "sms: the output was closed before the batch was complete; nothing was logged");
  }
}

void warn_dropped(Session& s, const SmsBatch& batch, uint32_t max_segments) {
  if (batch.dropped.empty()) return;
  std::string ids;
  for (size_t i = 0; i < batch.dropped.size() && i < 10; ++i)
    ids += (i ? ", " : "") + batch.dropped[i];
  if (batch.dropped.size() > 10) ids += ", …";
  s.diag().warn(fmt::format("sms: {} messages longer than --max-segments {} dropped (ids: {})",
                            batch.dropped.size(), max_segments, ids));
}

// One log row per message written, dated as-of (§6.6); --dry-run only says how many.
void log_batch(Session& s, const SmsOptions& o, ContactLog& log, const SmsBatch& batch) {
  if (o.dry_run) {
    s.diag().note(
        fmt::format("sms: --dry-run: {} messages not logged to {}", batch.sent.size(), o.log));
    return;
  }
  const PatientTable& pt = s.patients();
  std::string rows;
  for (const SmsSent& m : batch.sent)
    append_log_row(rows, s.as_of(), pt.id(m.patient), pt.text(m.patient, PText::phone), o.campaign,
                   m.segments);
  log.append(rows);
}

void run(const SmsOptions& o) {
  // Messages go to a chosen list, never to the whole base by accident.
  if (o.common.from.empty()) throw UsageError("sms: --from FILE is required (the list to message)");
  // Messages go out in the list's order (§8.50, §8.54).
  if (!o.common.sort.empty() || !o.common.limit.empty())
    throw UsageError("sms: --sort and --limit do not apply (messages follow the --from list)");
  check_log_options(o);
  SmsTemplate tpl = SmsTemplate::parse(o.text);
  PatientNeeds needs_text = PatientNeeds::all();
  if (!o.exclude.empty()) needs_text.add(PText::phones);
  Session s(o.common, /*amount_required=*/false, needs_text);
  const PatientTable& pt = s.patients();
  check_list_key(*s.from());

  // Every placeholder is resolved before the visits are read, so an unknown one stops the run
  // before anything is written (§6.6).
  std::vector<FieldRef> refs;
  StatsNeeds needs;
  for (const auto& name : tpl.fields()) {
    auto ref = resolve_field(name, pt, s.from()->titles);
    if (!ref) throw UsageError(fmt::format("--template: unknown field \"{{{}}}\"", name));
    refs.push_back(*ref);
    add_needs(*ref, needs);
  }
  StopList stop;
  for (const auto& path : o.exclude)
    read_stop_list(path, s.input_options().cols, stop, s.diag(), &s.input_options().col_usage);
  // The visits are read even when the template needs nothing from them: every row is validated
  // on every command (§8.12).
  VisitFold fold = s.fold_visits(needs);
  FieldContext ctx{pt, fold, s.as_of(), s.from()};

  // The log is locked and read last of the inputs (the lock is held until the append), before
  // anything is written.
  std::optional<RecentContacts> recent;
  if (o.snooze_opt->count() > 0 || o.snooze_campaign_opt->count() > 0)
    recent.emplace(s.as_of(), o.snooze_opt->count() ? std::optional(o.snooze) : std::nullopt,
                   o.snooze_campaign_opt->count() ? std::optional(o.snooze_campaign) : std::nullopt,
                   o.campaign);
  std::optional<ContactLog> log;
  if (!o.log.empty())
    log.emplace(o.log, [&](const ContactRow& row) {
      if (recent) recent->add(row);
    });

  if (o.no_consent_check)
    s.diag().warn("sms: --no-consent-check: messages go also to patients without SMS consent");
  SmsDispatcher dispatch(!o.no_consent_check, o.max_segments,
                         {o.exclude.empty() ? nullptr : &stop, recent ? &*recent : nullptr});
  const std::vector<uint32_t> population = s.population();
  const SmsBatch batch =
      write_batch(s, SmsJob{ctx, tpl, refs, population}, dispatch, log.has_value());
  warn_dropped(s, batch, o.max_segments);
  // The summary is the run's receipt for the gateway operator: printed even with --quiet (§8.38).
  std::fflush(stdout);
  fmt::print(stderr, "{}\n", sms_summary(dispatch));
  if (log) log_batch(s, o, *log, batch);
}

}  // namespace

void register_sms(CLI::App& app, std::vector<std::pair<CLI::App*, CommandRunner>>& out) {
  const auto [cmd, o] =
      add_command(app, out, "sms", "Render SMS messages for a gateway from a --from list", run);
  cmd->add_option("--template", o->text,
                  "message TEXT with {field} placeholders; {field:ru}: dates DD.MM.YYYY, money "
                  "1500 р.")
      ->type_name("TEXT")
      ->required();
  cmd->add_flag("--no-consent-check", o->no_consent_check,
                "also message patients without SMS consent (warns)");
  cmd->add_option("--max-segments", o->max_segments, "drop messages longer than N parts (N ≥ 1)")
      ->type_name("N")
      ->check(CLI::Range(1u, 1000000u));
  cmd->add_option("--exclude", o->exclude,
                  "stop list FILE (repeatable): a csv with a phone and/or id column, or one phone "
                  "a line")
      ->type_name("FILE")
      ->allow_extra_args(false);
  cmd->add_option("--log", o->log,
                  "contact log FILE (date,id,phone,campaign,segments): read first, appended after "
                  "the batch was written")
      ->type_name("FILE");
  o->campaign_opt = cmd->add_option("--campaign", o->campaign, "campaign NAME written to the log")
                        ->type_name("NAME");
  o->snooze_opt = cmd->add_option("--snooze", o->snooze,
                                  "skip patients the log shows messaged in the last DAYS days")
                      ->type_name("DAYS");
  o->snooze_campaign_opt =
      cmd->add_option("--snooze-campaign", o->snooze_campaign,
                      "the same, counting only the log rows of this --campaign")
          ->type_name("DAYS");
  cmd->add_flag("--dry-run", o->dry_run, "do not append to the log (snoozing still applies)");
  cmd->footer(
      "Output: phone,text,segments,id; one message per phone, in list order.\n"
      "Skips, in order: no phone, no consent, excluded, recently contacted, phone already used,\n"
      "too many segments.\n"
      "A referral list names two patients: --from-key referrer_id messages the referrers.\n"
      "Examples:\n"
      "  export KARTOTEKA_PATIENTS=patients.csv KARTOTEKA_VISITS=visits.csv\n"
      "  kartoteka sleeping --as-of 2026-11-22 | kartoteka sms --as-of 2026-11-22 --from - \\\n"
      "      --template '{first_name}, мы скучаем! Визит {last_visit:ru}.' --max-segments 1\n"
      "  kartoteka sleeping | kartoteka sms --from - --template '{first_name}, ждём вас!' \\\n"
      "      --exclude stop.csv --log sent.csv --campaign sleeping --snooze 30 -o batch.csv\n"
      "  kartoteka referrals | kartoteka sms --from - --from-key referrer_id --template "
      "'{sms_text}'");
  set_manual(*cmd,
             {"Renders one SMS text per phone for the patients of a --from list (usually a pipe "
              "from another command): the --template's {field} placeholders take any segment field "
              "or --from column; patients without a valid phone or without SMS consent are skipped "
              "(unless --no-consent-check) and counted in a summary on standard error. Stop lists "
              "(--exclude) and the contact log (--log, --snooze) keep a nightly job from texting "
              "patients who opted out or were texted recently.",
              "phone,text,segments,id: one message per phone (E.164), in list order; segments is "
              "the number of SMS parts the text takes."});
}

}  // namespace kartoteka
