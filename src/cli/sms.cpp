// sms — messages for a gateway (SPEC §6.6, §8.36, §8.37, §8.43).
//
//   kartoteka segment … | kartoteka sms --patients p.csv --visits v.csv --from - …
//       --template '{first_name}, мы скучаем!' --max-segments 1
#include "rules/sms.h"

#include <fmt/format.h>

#include <cstdio>

#include "cli/common.h"
#include "cli/manual.h"
#include "model/errors.h"
#include "rules/patient_fields.h"

namespace kartoteka {
namespace {

struct SmsOptions {
  CommonOptions common;
  std::string text;
  bool no_consent_check = false;
  uint32_t max_segments = 0;  // 0 = no limit
};

void run(const SmsOptions& o) {
  // Messages go to a chosen list, never to the whole base by accident.
  if (o.common.from.empty()) throw UsageError("sms: --from FILE is required (the list to message)");
  SmsTemplate tpl = SmsTemplate::parse(o.text);
  Session s(o.common, /*amount_required=*/false);
  const PatientTable& pt = s.patients();

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
  // The visits are read even when the template needs nothing from them: every row is validated
  // on every command (§8.12).
  VisitFold fold = s.fold_visits(needs);
  FieldContext ctx{pt, fold, s.as_of(), s.from()};

  if (o.no_consent_check)
    s.diag().warn("sms: --no-consent-check: messages go also to patients without SMS consent");
  SmsDispatcher dispatch(!o.no_consent_check, o.max_segments);
  // Messages are written as they are rendered; only the dropped ids are kept, for the warning.
  Session::Output output = s.output();
  const std::vector<std::string> titles = {"phone", "text", "segments", "id"};
  output.titles(titles);
  std::vector<std::string> cells(titles.size());
  std::vector<std::string> dropped;
  std::vector<std::string> values(refs.size());
  // The getter keeps its text buffers from patient to patient; it prints what print_field does.
  PatientFieldGetter getter(ctx, refs);
  for (uint32_t p : s.population()) {
    std::string_view phone = pt.text(p, PText::phone);
    auto out = dispatch.offer(phone, pt.core(p).sms_consent == Tri::True, [&] {
      getter.set_patient(p);
      for (size_t i = 0; i < refs.size(); ++i) {
        const FieldValue v = getter.get(static_cast<int>(i));
        set_cell(values[i], v.missing ? std::string_view() : v.text);
      }
      return tpl.render(values);
    });
    if (out.skip == SmsSkip::TooManySegments) dropped.emplace_back(pt.id(p));
    if (out.skip != SmsSkip::None) continue;
    set_cell(cells[0], phone);
    cells[1] = std::move(out.text);
    set_number(cells[2], out.size.segments);
    set_cell(cells[3], pt.id(p));
    output.row(cells);
  }
  output.finish();
  if (!dropped.empty()) {
    std::string ids;
    for (size_t i = 0; i < dropped.size() && i < 10; ++i) ids += (i ? ", " : "") + dropped[i];
    if (dropped.size() > 10) ids += ", …";
    s.diag().warn(fmt::format("sms: {} messages longer than --max-segments {} dropped (ids: {})",
                              dropped.size(), o.max_segments, ids));
  }
  // The summary is the run's receipt for the gateway operator: printed even with --quiet (§8.38).
  std::fflush(stdout);
  fmt::print(stderr, "{}\n", sms_summary(dispatch));
}

}  // namespace

void register_sms(CLI::App& app, std::vector<std::pair<CLI::App*, CommandRunner>>& out) {
  auto o = std::make_shared<SmsOptions>();
  CLI::App* cmd = app.add_subcommand("sms", "Render SMS messages for a gateway from a --from list");
  add_common_options(*cmd, o->common);
  cmd->add_option("--template", o->text, "message TEXT with {field} placeholders")
      ->type_name("TEXT")
      ->required();
  cmd->add_flag("--no-consent-check", o->no_consent_check,
                "also message patients without SMS consent (warns)");
  cmd->add_option("--max-segments", o->max_segments, "drop messages longer than N parts (N ≥ 1)")
      ->type_name("N")
      ->check(CLI::Range(1u, 1000000u));
  cmd->footer(
      "Output: phone,text,segments,id; one message per phone, in list order.\n"
      "Examples:\n"
      "  export KARTOTEKA_PATIENTS=patients.csv KARTOTEKA_VISITS=visits.csv\n"
      "  kartoteka sleeping --as-of 2026-11-22 | kartoteka sms --as-of 2026-11-22 --from - \\\n"
      "      --template '{first_name}, мы скучаем! Визит {last_visit}.' --max-segments 1\n"
      "  kartoteka segment --as-of 2026-11-22 --where 'days_to_birthday = 0' --contactable |\n"
      "      kartoteka sms --as-of 2026-11-22 --from - --template '{first_name}, с днём "
      "рождения!'");
  set_manual(*cmd,
             {"Renders one SMS text per phone for the patients of a --from list (usually a pipe "
              "from another command): the --template's {field} placeholders take any segment field "
              "or --from column; patients without a valid phone or without SMS consent are skipped "
              "(unless --no-consent-check) and counted in a summary on standard error.",
              "phone,text,segments,id: one message per phone (E.164), in list order; segments is "
              "the number of SMS parts the text takes."});
  out.emplace_back(cmd, [o] { run(*o); });
}

}  // namespace kartoteka
