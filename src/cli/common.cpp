#include "cli/common.h"

#include <fmt/format.h>
#include <unistd.h>

#include <charconv>
#include <limits>
#include <stdexcept>

#include "cli/mask_key.h"
#include "io/output_file.h"
#include "base/threads.h"
#include "model/errors.h"
#include "model/money.h"
#include "rules/mask.h"

namespace kartoteka {

void add_common_options(CLI::App& cmd, CommonOptions& o) {
  auto* g = "Common options";
  // An option of the group whose value is shown as `type` in --help.
  auto typed = [&](const char* name, auto& value, const char* help, const char* type) {
    return cmd.add_option(name, value, help)->type_name(type)->group(g);
  };
  typed("--patients", o.patients, "patients export (env KARTOTEKA_PATIENTS)", "FILE")
      ->envname("KARTOTEKA_PATIENTS");
  typed("--visits", o.visits, "visits export (env KARTOTEKA_VISITS)", "FILE")
      ->envname("KARTOTEKA_VISITS");
  typed("--as-of", o.as_of, "report day, YYYY-MM-DD or DD.MM.YYYY (default: today)", "DATE");
  typed("--from", o.from, "restrict to the ids listed in FILE (- = stdin)", "FILE");
  typed("--from-key", o.from_key, "the --from list's COLUMN that names the patients", "COLUMN");
  typed("--col", o.cols, "read logical FIELD from the column titled HEADER (FIELD=HEADER)",
        "FIELD=HEADER")
      ->allow_extra_args(false);
  typed("--status", o.statuses, "teach a status value (VALUE=completed|cancelled|no_show|planned)",
        "VALUE=KIND")
      ->allow_extra_args(false);
  cmd.add_option("--encoding", o.encoding, "auto, utf-8 or cp1251")
      ->check(CLI::IsMember({"auto", "utf-8", "cp1251"}))
      ->group(g);
  cmd.add_option("--delimiter", o.delimiter, "auto , ; tab |")
      ->check(CLI::IsMember({"auto", ",", ";", "tab", "|"}))
      ->group(g);
  cmd.add_option("--format", o.format, "csv, tsv, jsonl, table, excel or xlsx")
      ->check(CLI::IsMember({"csv", "tsv", "jsonl", "table", "excel", "xlsx"}))
      ->group(g);
  typed("--sort", o.sort, "order the rows by COLUMN[:desc] (repeatable; first is first)",
        "COLUMN[:desc]")
      ->allow_extra_args(false);
  typed("--limit", o.limit, "write only the first N rows (after --sort)", "N");
  o.command = cmd.get_name();
  typed("-o,--output", o.output, "write to FILE atomically instead of stdout", "FILE");
  typed("--mode", o.mode, "permissions of the -o file, octal (default 600: owner only)", "OCTAL");
  cmd.add_flag("--mask", o.mask, "replace names and phones by stable pseudonyms (for sharing)")
      ->group(g);
  cmd.add_flag("--contactable", o.contactable, "only patients with a valid phone and SMS consent")
      ->group(g);
  cmd.add_flag("--skip-bad-rows", o.skip_bad_rows, "skip rows that fail to parse, reporting each")
      ->group(g);
  cmd.add_flag("--quiet", o.quiet, "no notes or warnings on stderr")->group(g);
}

CLI::App* add_command(CLI::App& app, const std::string& name, const std::string& description,
                      CommonOptions& common) {
  CLI::App* cmd = app.add_subcommand(name, description);
  add_common_options(*cmd, common);
  return cmd;
}

Day parse_day_option(std::string_view option, const std::string& text) {
  Day d;
  if (!parse_date_option(text, d) || d == kNoDay)
    throw UsageError(fmt::format("{} {}: not a date (use YYYY-MM-DD or DD.MM.YYYY)", option, text));
  return d;
}

unsigned parse_mode_option(const std::string& text) {
  if (text.empty()) return 0600;
  unsigned mode = 0;
  bool ok = text.size() <= 4;
  for (char c : text) {
    if (c < '0' || c > '7') ok = false;
    mode = mode * 8 + static_cast<unsigned>(c - '0');
  }
  if (!ok || mode > 0777)
    throw UsageError(fmt::format("--mode {}: expected octal permissions such as 600 or 640", text));
  return mode;
}

Kopecks parse_money_option(std::string_view option, const std::string& text) {
  Kopecks k;
  if (!parse_money(text, k) || k < 0)
    throw UsageError(
        fmt::format("{} {}: not an amount of rubles (e.g. 100 or 150,50)", option, text));
  return k;
}

namespace {

size_t parse_limit_option(const std::string& text) {
  size_t n = 0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || r.ec != std::errc() || r.ptr != text.data() + text.size())
    throw UsageError(fmt::format("--limit {}: expected a whole number of rows (0 or more)", text));
  return n;
}

// A workbook is binary: on a terminal it would only scramble the screen (§3).
void check_xlsx_target(Format format, const std::string& output) {
  if (format == Format::Xlsx && (output.empty() || output == "-") && ::isatty(STDOUT_FILENO))
    throw UsageError(
        "--format xlsx: stdout is a terminal; write the workbook with -o FILE.xlsx or redirect it");
}

InputOptions input_options(const CommonOptions& o, bool amount_required) {
  InputOptions in;
  if (o.patients.empty())
    throw UsageError("--patients FILE is required (or set KARTOTEKA_PATIENTS)");
  if (o.visits.empty()) throw UsageError("--visits FILE is required (or set KARTOTEKA_VISITS)");
  if (!o.from_key.empty() && o.from.empty())
    throw UsageError("--from-key " + o.from_key +
                     ": needs --from FILE (the list whose column it names)");
  in.patients_path = o.patients;
  in.visits_path = o.visits;
  in.encoding = o.encoding == "utf-8"    ? Encoding::Utf8
                : o.encoding == "cp1251" ? Encoding::Cp1251
                                         : Encoding::Auto;
  in.delimiter = o.delimiter == "auto" ? 0 : o.delimiter == "tab" ? '\t' : o.delimiter[0];
  in.as_of = o.as_of.empty() ? today_local() : parse_day_option("--as-of", o.as_of);
  in.amount_required = amount_required;
  for (const auto& c : o.cols) {
    auto eq = c.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == c.size())
      throw UsageError(fmt::format("--col {}: expected FIELD=HEADER", c));
    auto f = field_by_name(c.substr(0, eq));
    if (!f) throw UsageError(fmt::format("--col {}: unknown field \"{}\"", c, c.substr(0, eq)));
    in.cols.push_back({*f, c.substr(eq + 1)});
  }
  for (const auto& s : o.statuses) {
    auto eq = s.rfind('=');
    if (eq == std::string::npos)  // `=KIND` (empty VALUE) reassigns empty statuses (§8.47)
      throw UsageError(fmt::format("--status {}: expected VALUE=KIND", s));
    auto kind = parse_status_kind(s.substr(eq + 1));
    if (!kind)
      throw UsageError(
          fmt::format("--status {}: KIND must be completed, cancelled, no_show or planned", s));
    in.statuses.teach(s.substr(0, eq), *kind);
  }
  return in;
}

}  // namespace

Session::Session(const CommonOptions& o, bool amount_required, PatientNeeds needs)
    : Session(
          o, [needs](const std::vector<std::string>&) { return needs; }, amount_required) {}

Session::Session(const CommonOptions& o, const NeedsOf& needs_of) : Session(o, needs_of, true) {}

Session::Session(const CommonOptions& o, const NeedsOf& needs_of, bool amount_required)
    : opt_(o),
      diag_(o.quiet, o.skip_bad_rows),
      in_(kartoteka::input_options(o, amount_required)),
      format_(*parse_format(o.format)),
      mode_(parse_mode_option(o.mode)),
      limit_(o.limit.empty() ? std::numeric_limits<size_t>::max() : parse_limit_option(o.limit)) {
  for (const auto& k : o.sort) sort_.push_back(parse_sort_key(k));
  check_xlsx_target(format_, o.output);
  inputs_ = std::make_unique<Inputs>(in_, diag_);
  PatientNeeds needs = needs_of(inputs_->patient_extra_titles());
  if (o.contactable) needs.add(PText::phone);
  if (o.mask)  // masking looks up the names and phone of every patient a row names
    needs.add(PText::name)
        .add(PText::last_name)
        .add(PText::first_name)
        .add(PText::middle_name)
        .add(PText::phone);
  patients_ = inputs_->read_patients(needs);
  if (!o.from.empty())
    from_ = read_from_list(o.from, patients_, diag_, in_.cols, &in_.col_usage, o.from_key);
}

Session::~Session() = default;

VisitFold Session::fold_visits(StatsNeeds needs, const VisitObserver& observe) {
  VisitFold fold(patients_.size(), in_.as_of, needs);
  inputs_->fold_visits(patients_, fold, observe);
  diag_.finish_bad_rows();
  fold.finish();
  return fold;
}

std::vector<uint32_t> Session::population() const {
  std::vector<uint32_t> out;
  auto keep = [&](uint32_t p) {
    if (!opt_.contactable) return true;
    return !patients_.text(p, PText::phone).empty() && patients_.core(p).sms_consent == Tri::True;
  };
  if (from_) {
    for (uint32_t p : from_->order)
      if (keep(p)) out.push_back(p);
  } else {
    for (uint32_t p = 0; p < patients_.size(); ++p)
      if (keep(p)) out.push_back(p);
  }
  return out;
}

struct Session::Output::Impl {
  const Session& session;
  std::optional<OutputTarget> target;
  std::optional<TableWriter> writer;
  std::optional<RowMasker> masker;
  std::vector<std::string> masked;  // --mask: the row being masked, its strings reused per row
  std::optional<RowOrder> order;    // --sort: rows are kept in `sorted` until finish()
  std::optional<RowBuffer> sorted;
  size_t room = 0;  // rows --limit still lets through (without --sort)
  bool finished = false;

  explicit Impl(const Session& s) : session(s) {}
};

Session::Output::Output(const Session& session) : impl_(std::make_unique<Impl>(session)) {}
Session::Output::~Output() = default;
Session::Output::Output(Output&&) noexcept = default;
Session::Output& Session::Output::operator=(Output&&) noexcept = default;

Session::Output Session::output() {
  inputs_->check_col_overrides();  // every input has been read by now (§8.44)
  return Output(*this);
}

void Session::Output::columns(const std::vector<Column>& columns) {
  Impl& m = *impl_;
  const std::vector<std::string> titles = column_titles(columns);
  if (m.writer) throw std::logic_error("Session::Output::columns called twice");
  const CommonOptions& opt = m.session.opt_;
  // An unknown --sort column is a usage error before anything is written.
  if (!m.session.sort_.empty()) {
    m.order.emplace(titles, m.session.sort_, [&columns](std::string_view t) {
      for (const auto& c : columns)
        if (c.title == t) return is_numeric(c.kind);
      return false;
    });
    m.sorted.emplace(titles.size());
  }
  m.room = m.session.limit_;
  m.target.emplace(opt.output, m.session.mode_);
  m.writer.emplace(m.session.format_, m.target->sink(), columns,
                   WorkbookInfo{opt.command, m.session.as_of()});
  if (!opt.mask) return;
  // The patients a row names (id, new_id, referrer_id columns): their names and phone are
  // masked wherever they appear in the row's free text too (an SMS text, §6.6).
  std::vector<size_t> id_cols;
  for (size_t c = 0; c < columns.size(); ++c)
    if (columns[c].kind == ColumnKind::Id) id_cols.push_back(c);
  const PatientTable& patients = m.session.patients_;
  auto lookup = [id_cols, &patients](const std::vector<std::string>&,
                                     const std::vector<std::string>& row,
                                     std::vector<std::pair<std::string, MaskKind>>& out) {
    for (size_t c : id_cols) {
      if (c >= row.size() || row[c].empty()) continue;
      const uint32_t p = patients.find(row[c]);
      if (p == PatientTable::kNotFound) continue;
      for (PText f : {PText::name, PText::last_name, PText::first_name, PText::middle_name})
        if (auto v = patients.text(p, f); !v.empty()) out.emplace_back(v, MaskKind::Name);
      if (auto v = patients.text(p, PText::phone); !v.empty()) out.emplace_back(v, MaskKind::Phone);
    }
  };
  m.masker.emplace(columns, mask_key_from_env(), lookup);
}

void Session::Output::row(const std::vector<std::string>& cells) {
  Impl& m = *impl_;
  if (!m.writer) throw std::logic_error("Session::Output::row before columns");
  if (!m.sorted && m.room == 0) return;  // past --limit
  const std::vector<std::string>* out = &cells;
  if (m.masker) {  // rows are sorted as they are shown: masked
    m.masked.resize(cells.size());
    for (size_t i = 0; i < cells.size(); ++i) m.masked[i].assign(cells[i]);
    m.masker->mask(m.masked);
    out = &m.masked;
  }
  if (m.sorted) return m.sorted->add(*out);
  --m.room;
  m.writer->row(*out);
}

void Session::Output::rows(size_t n, size_t width, const std::function<RowFill()>& make_fill) {
  Impl& m = *impl_;
  if (!m.writer) throw std::logic_error("Session::Output::rows before columns");
  // Rows come in order: --limit without --sort needs only the first ones.
  if (!m.sorted) n = std::min(n, m.room);
  // A second thread pays for itself from a few thousand rows on.
  if (m.sorted || m.masker || !m.writer->apart() || !use_two_threads() || n < 8192)
    return RowSink::rows(n, width, make_fill);
  write_rows_on_two_threads(*m.writer, n, width, make_fill);
  m.room -= n;
}

void Session::Output::finish() {
  Impl& m = *impl_;
  if (!m.writer) throw std::logic_error("Session::Output::finish before columns");
  if (m.finished) return;
  if (m.sorted) {
    std::vector<std::string> cells;
    for (size_t i : m.order->order(*m.sorted, m.session.limit_)) {
      m.sorted->get(i, cells);
      m.writer->row(cells);
    }
    m.sorted.reset();
  }
  m.writer->finish();
  m.target->commit();
  m.finished = true;
}

void Session::write(const Table& table) {
  Output out = output();
  send_table(table, out);
  out.finish();
}

}  // namespace kartoteka
