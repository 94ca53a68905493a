// inspect — what kartoteka sees in the exports (SPEC §6.8, §8.62), before the first real run on
// a new clinic's files or when a run stops on a column.
//
//   kartoteka inspect --patients patients.csv --visits visits.csv
//   kartoteka inspect --patients p.csv --adjustments adj.csv --from list.csv --format csv
#include "io/inspect.h"

#include <fmt/format.h>

#include "cli/common.h"
#include "cli/manual.h"
#include "io/output_file.h"
#include "model/errors.h"

namespace kartoteka {
namespace {

struct InspectCliOptions {
  CommonOptions common;
  std::string adjustments;
  std::vector<std::string> exclude;
};

// --col and --status as the other commands read them (§1, §8.7, §8.47).
InspectSettings settings_of(const CommonOptions& o) {
  InspectSettings s;
  s.encoding = o.encoding == "utf-8"    ? Encoding::Utf8
               : o.encoding == "cp1251" ? Encoding::Cp1251
                                        : Encoding::Auto;
  s.delimiter = o.delimiter == "auto" ? 0 : o.delimiter == "tab" ? '\t' : o.delimiter[0];
  for (const auto& c : o.cols) {
    const auto eq = c.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == c.size())
      throw UsageError(fmt::format("--col {}: expected FIELD=HEADER", c));
    const auto f = field_by_name(c.substr(0, eq));
    if (!f) throw UsageError(fmt::format("--col {}: unknown field \"{}\"", c, c.substr(0, eq)));
    s.cols.push_back({*f, c.substr(eq + 1)});
  }
  for (const auto& v : o.statuses) {
    const auto eq = v.rfind('=');
    const auto kind = eq == std::string::npos ? std::nullopt : parse_status_kind(v.substr(eq + 1));
    if (!kind)
      throw UsageError(fmt::format(
          "--status {}: expected VALUE=KIND, KIND completed, cancelled, no_show or planned", v));
    s.statuses.teach(v.substr(0, eq), *kind);
  }
  return s;
}

void run(const InspectCliOptions& o) {
  const CommonOptions& c = o.common;
  std::vector<std::pair<std::string, InspectKind>> files;  // in §8.62's order
  if (!c.patients.empty()) files.emplace_back(c.patients, InspectKind::Patients);
  if (!c.visits.empty()) files.emplace_back(c.visits, InspectKind::Visits);
  if (!o.adjustments.empty()) files.emplace_back(o.adjustments, InspectKind::Adjustments);
  if (!c.from.empty()) files.emplace_back(c.from, InspectKind::From);
  for (const auto& e : o.exclude) files.emplace_back(e, InspectKind::Exclude);
  if (files.empty())
    throw UsageError(
        "inspect needs at least one input file: --patients, --visits, --adjustments, --from or "
        "--exclude");
  const InspectSettings settings = settings_of(c);
  const Format format = *parse_format(c.format);
  const unsigned mode = parse_mode_option(c.mode);
  Diagnostics diag(c.quiet, false);

  // Every file is read before anything is written (§5).
  std::vector<FileReport> reports;
  for (const auto& [path, kind] : files) {
    reports.push_back(inspect_file(path, kind, settings));
    diag.note(describe_file(reports.back()));
    for (const auto& m : reports.back().missing) diag.warn(fmt::format("{}: {}", path, m));
  }
  OutputTarget target(c.output, mode);
  // inspect has no as-of: its workbook's creation time is a fixed day, 1980-01-01 (the first a
  // zip entry can carry), so the same files give the same bytes (§3). 0 would mean "now" to
  // libxlsxwriter.
  constexpr Day kInspectCreated = 3652;  // days from 1970-01-01 to 1980-01-01
  TableWriter writer(format, target.sink(), inspect_output_columns(),
                     WorkbookInfo{"inspect", kInspectCreated});
  for (const auto& r : reports)
    for (const auto& row : report_rows(r)) writer.row(row);
  writer.finish();
  target.commit();
}

}  // namespace

void register_inspect(CLI::App& app, std::vector<std::pair<CLI::App*, CommandRunner>>& out) {
  auto o = std::make_shared<InspectCliOptions>();
  o->common.format = "table";  // a person reads it (§6.8); csv and the others on request
  CLI::App* cmd =
      add_command(app, "inspect", "How kartoteka reads the exports, column by column", o->common);
  cmd->add_option("--adjustments", o->adjustments, "a bonus-ledger adjustments file to inspect")
      ->type_name("FILE");
  cmd->add_option("--exclude", o->exclude, "an sms stop list to inspect (repeatable)")
      ->type_name("FILE")
      ->allow_extra_args(false);
  cmd->footer(
      "Per file, stderr names the encoding, delimiter, line endings and data rows; stdout has one\n"
      "row per column: file,column,header,field,filled,bad,example (field: the logical field it\n"
      "feeds, '-' when kept as an extra column, 'ignored: …' when another header won; bad: cells\n"
      "the field rejects; example: the first value, never for names, phones, e-mails, birth\n"
      "dates or needs). Bad rows are counted, not fatal; exit 1 only when a file cannot be read.\n"
      "Default --format table.\n"
      "Examples:\n"
      "  kartoteka inspect --patients patients.csv --visits visits.csv\n"
      "  kartoteka inspect --patients patients.csv --adjustments adjustments.csv --format csv");
  set_manual(*cmd,
             {"Shows how kartoteka reads each input file given (patients, visits, adjustments, "
              "--from lists, --exclude stop lists), without running any rule: the encoding, "
              "delimiter, line endings and number of data rows of each file on standard error, and "
              "for each column the logical field it feeds, how many cells are filled and how many "
              "a run would reject. Run it before the first real run on a new clinic's exports, and "
              "whenever a run stops on a column.",
              "file,column,header,field,filled,bad,example: one row per column of each file, in "
              "the order patients, visits, adjustments, --from, --exclude; example is left empty "
              "for personal fields (names, phones, e-mails, birth dates, needs)."});
  out.emplace_back(cmd, [o] { run(*o); });
}

}  // namespace kartoteka
