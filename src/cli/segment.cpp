// segment — select and classify patients (SPEC §6.1).
//
//   kartoteka segment --patients p.csv --visits v.csv --where 'gender = F and birth_month = 3'
//   kartoteka segment --patients p.csv --visits v.csv --by home_branch,gender
//   kartoteka segment --patients p.csv --visits v.csv --scheme activity --fields age,source
#include "rules/segment.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "cli/common.h"
#include "cli/manual.h"
#include "model/errors.h"
#include "model/text.h"

namespace kartoteka {
namespace {

struct SegmentOptions {
  CommonOptions common;
  std::vector<std::string> where, schemes;
  std::string by, fields;
};

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t comma = s.find(',', start);
    if (comma == std::string::npos) comma = s.size();
    const std::string_view item = trim(std::string_view(s).substr(start, comma - start));
    if (!item.empty()) out.emplace_back(item);
    start = comma + 1;
  }
  return out;
}

// The patients text fields the options read, found by resolving their field names against the
// header alone, before the patients are read; the --where expressions are parsed here, once.
// Anything that does not resolve here (a --from column, or an error reported later by bind)
// keeps every field: never too few.
PatientNeeds patient_needs(const SegmentOptions& o, const std::vector<std::string>& extra_titles,
                           std::optional<SegmentWheres>& wheres) {
  PatientNeeds needs = PatientNeeds::none();
  // The list's own columns; --by prints counts, not the list (Session adds what --contactable
  // and --mask read).
  if (o.by.empty()) needs.add(PText::name).add(PText::phone);
  const PatientTable header_only(extra_titles);
  bool all = false;
  auto note = [&](std::string_view name) {
    auto ref = resolve_field(name, header_only, {});
    if (!ref)
      all = true;
    else
      add_needs(*ref, needs);
    return ref;
  };
  wheres.emplace(o.where, [&](std::string_view name) {
    auto ref = note(name);
    return ref ? ref->type : FieldType::Text;
  });
  if (!wheres->parsed()) all = true;
  for (const auto& sc : o.schemes) note(sc == "activity" ? "activity" : "m_class");
  for (const auto& f : split_list(o.fields)) note(f);
  for (const auto& f : split_list(o.by)) note(f);
  return all ? PatientNeeds::all() : needs;
}

void run(const SegmentOptions& o) {
  if (!o.by.empty() && (!o.fields.empty() || !o.schemes.empty()))
    throw UsageError("segment: --by cannot be combined with --fields or --scheme");
  std::optional<SegmentWheres> wheres;
  Session s(o.common, [&](const std::vector<std::string>& extra_titles) {
    return patient_needs(o, extra_titles, wheres);
  });
  const PatientTable& pt = s.patients();
  std::vector<std::string> from_titles = s.from() ? s.from()->titles : std::vector<std::string>{};
  auto resolve = [&](std::string_view name, std::string_view option) {
    auto ref = resolve_field(name, pt, from_titles);
    if (!ref) throw UsageError(fmt::format("{}: unknown field \"{}\"", option, name));
    return *ref;
  };

  wheres->bind([&](std::string_view name) { return resolve_field(name, pt, from_titles); });
  const std::vector<FieldRef>& where_fields = wheres->fields();

  std::vector<NamedField> extra, by;
  std::vector<std::string> titles = column_titles(segment_list_columns());
  auto add_extra = [&](const std::string& title, std::string_view name, std::string_view option) {
    FieldRef ref = resolve(name, option);
    if (std::find(titles.begin(), titles.end(), title) != titles.end()) return;
    titles.push_back(title);
    extra.push_back({title, ref});
  };
  for (const auto& sc : o.schemes)
    add_extra(sc == "activity" ? "activity" : "m_class", sc == "activity" ? "activity" : "m_class",
              "--scheme");
  for (const auto& f : split_list(o.fields)) add_extra(f, f, "--fields");
  for (const auto& f : split_list(o.by)) by.push_back({f, resolve(f, "--by")});
  if (!o.by.empty() && by.empty()) throw UsageError("--by: no field given");

  StatsNeeds needs;
  for (const auto& f : where_fields) add_needs(f, needs);
  for (const auto& f : extra) add_needs(f.ref, needs);
  for (const auto& f : by) add_needs(f.ref, needs);
  VisitFold fold = s.fold_visits(needs);
  FieldContext ctx{pt, fold, s.as_of(), s.from()};
  std::vector<uint32_t> selected =
      filter_patients(ctx, s.population(), wheres->exprs(), where_fields);
  if (!by.empty()) {
    s.write(segment_groups(ctx, selected, by));
    return;
  }
  Session::Output out = s.output();
  segment_list(ctx, std::move(selected), extra, out);
  out.finish();
}

// segment --help after the options (§6.9): the --where grammar, the fields, what activity and
// m_class mean (one line a class), the output, examples; the manual page shows it too.
constexpr const char* kFooter =
    "--where EXPR:\n"
    "  expr := term (or term)*     term := factor (and factor)*\n"
    "  factor := not factor | ( expr ) | FIELD OP VALUE\n"
    "  OP := = != < <= > >= ~ !~   (~ contains, !~ does not contain)\n"
    "  VALUE := number | YYYY-MM-DD | 'text' | \"text\" | bare word\n"
    "  After = and != a comma list means any of / none of. Text compares\n"
    "  case-insensitively (ё = е); booleans take true false да нет 1 0.\n"
    "  A missing value fails every comparison but != and !~; FIELD = ''\n"
    "  is true when missing. A multi-valued field matches when any of\n"
    "  its elements does.\n"
    "Fields: the logical fields of the patients file (id name last_name\n"
    "  first_name middle_name gender birth_date phone email sms_consent\n"
    "  registered district city source profession branch categories\n"
    "  referrer_id need activity_date purchased), its other columns,\n"
    "  the --from columns, and these, as of --as-of:\n"
    "  age                     full years\n"
    "  birth_month, birth_day  1-12, 1-31\n"
    "  days_to_birthday        0 = today ... 365\n"
    "  first_visit, last_visit dates of the first and last visit\n"
    "  days_since_first_visit, days_since_last_visit\n"
    "  visits, spent           completed visits, money paid\n"
    "  avg_check               spent / visits\n"
    "  services, service_categories, doctors (multi-valued)\n"
    "  home_branch             the visits' branch with most visits\n"
    "  has_phone               a valid phone\n"
    "  upcoming                a planned visit on or after --as-of\n"
    "  activity                the first that holds:\n"
    "    prospect  no visits\n"
    "    new       first visit < 90 days ago\n"
    "    active    last visit < 180 days ago\n"
    "    sleeping  last visit < 1095 days ago\n"
    "    lost      the rest\n"
    "  m_class                 potential patients (prospects, or last\n"
    "                          visit >= 180 days ago) with a phone; the\n"
    "                          first that holds, else empty:\n"
    "    M-A  a stated need and a referrer_id\n"
    "    M-B  a need and purchased\n"
    "    M-C  a need and an activity_date within the last 60 days\n"
    "    M-D  a need, or a former patient (has visits)\n"
    "    M-E  the rest\n"
    "Output: id,name,phone,last_visit,visits,spent, then activity /\n"
    "  m_class per --scheme, the --fields, the --from columns; with\n"
    "  --by: the keys,patients,share,visits,spent.\n"
    "Examples:\n"
    "  kartoteka segment --patients patients.csv --visits visits.csv --as-of 2026-11-22 \\\n"
    "      --where 'gender = F and birth_month = 3 and spent > 20000' --fields age\n"
    "  kartoteka segment --patients patients.csv --visits visits.csv --by home_branch,gender";

}  // namespace

void register_segment(CLI::App& app, std::vector<std::pair<CLI::App*, CommandRunner>>& out) {
  auto o = std::make_shared<SegmentOptions>();
  CLI::App* cmd = add_command(app, "segment", "Select and classify patients", o->common);
  cmd->add_option("--where", o->where, "filter expression, repeatable (AND)")
      ->type_name("EXPR")
      ->allow_extra_args(false);
  cmd->add_option("--by", o->by, "group by FIELD[,FIELD...]")->type_name("FIELD,...");
  cmd->add_option("--fields", o->fields, "extra columns F,...")->type_name("FIELD,...");
  cmd->add_option("--scheme", o->schemes, "add a classification column: activity or leads")
      ->type_name("SCHEME")
      ->check(CLI::IsMember({"activity", "leads"}))
      ->allow_extra_args(false);
  cmd->footer(kFooter);
  set_manual(
      *cmd,
      {"The population (every patient of the patients export, restricted by --from and "
       "--contactable) filtered by every --where (they are ANDed), listed one patient a row; or, "
       "with --by, counted per distinct combination of the --by fields.\n"
       "\n"
       "A field is a logical field of the patients export, one of its other columns, a --from "
       "column, or a derived field computed from the visits as of --as-of (see the grammar and the "
       "list in DESCRIPTION above).",
       "List mode: id,name,phone,last_visit,visits,spent, then activity and/or m_class for each "
       "--scheme, then the --fields, then the --from columns; sorted by id (byte order).\n"
       "\n"
       "Group mode (--by F1,F2...): F1,F2...,patients,share,visits,spent, one row per distinct "
       "combination (a multi-valued field counts a patient under each of its values, a missing "
       "value is an empty key; share is the percent of the filtered population, one decimal), "
       "sorted by patients descending, then the keys."});
  out.emplace_back(cmd, [o] { run(*o); });
}

}  // namespace kartoteka
