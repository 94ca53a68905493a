// What every command shares (SPEC §1, §4, §5): the common options, loading the exports into a
// Session, the population, and writing the result.
#pragma once
#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "io/diagnostics.h"
#include "io/from_list.h"
#include "io/load.h"
#include "io/table_writer.h"
#include "model/patients.h"
#include "model/visit_stats.h"
#include "rules/row_order.h"
#include "rules/table.h"

namespace kartoteka {

struct CommonOptions {
  std::string patients, visits, as_of, from;
  std::vector<std::string> cols, statuses;
  std::string encoding = "auto", delimiter = "auto", format = "csv", output;
  bool contactable = false, skip_bad_rows = false, quiet = false;
  std::string mode;   // --mode OCTAL: permissions of the -o file (default 0600)
  bool mask = false;  // --mask: names and phones become stable pseudonyms (rules/mask.h)
  std::vector<std::string> sort;  // --sort COLUMN[:asc|:desc], repeatable (rules/row_order.h)
  std::string limit;              // --limit N; empty = no limit
  std::string command;            // the subcommand's name (the xlsx sheet's name)
  // --from-key COLUMN: the --from list's column that names patients (§6.9)
  std::string from_key;
};

// Parses --mode: 1–4 octal digits, at most 0777 (no setuid/setgid/sticky bits); UsageError
// otherwise. Empty → 0600.
unsigned parse_mode_option(const std::string& text);

// Registers the common options of §1 on a subcommand.
void add_common_options(CLI::App& cmd, CommonOptions& o);
// A command of `app` that takes the common options (into `common`).
CLI::App* add_command(CLI::App& app, const std::string& name, const std::string& description,
                      CommonOptions& common);

// Parses a date option (`YYYY-MM-DD` or `DD.MM.YYYY`); UsageError naming the option otherwise.
Day parse_day_option(std::string_view option, const std::string& text);
// Parses a money option in rubles (§8.38: §2.4 grammar, not negative); UsageError otherwise.
Kopecks parse_money_option(std::string_view option, const std::string& text);

// A command's loaded world. Construction validates the common options (UsageError), opens both
// exports, reads the patients file and the --from list (InputError).
class Session {
 public:
  // Only the patients' text fields `needs` names are kept (plus what --contactable and --mask
  // read); the rest of every row is still validated.
  explicit Session(const CommonOptions& o, bool amount_required = true,
                   PatientNeeds needs = PatientNeeds::all());
  // For a command whose needs depend on the patients file's other column titles (segment
  // resolves field names against them): `needs_of` is called with those titles before the
  // patients are read.
  using NeedsOf = std::function<PatientNeeds(const std::vector<std::string>& extra_titles)>;
  Session(const CommonOptions& o, const NeedsOf& needs_of);
  ~Session();

  // Streams the visits file into a fold; `observe` (optional) sees every row of a known patient
  // (Inputs::fold_visits).
  VisitFold fold_visits(StatsNeeds needs, const VisitObserver& observe = {});

  // The population (§4): every patient, restricted by --from and --contactable, in patients-file
  // order (with --from: list order).
  std::vector<uint32_t> population() const;
  const FromList* from() const { return from_ ? &*from_ : nullptr; }
  const PatientTable& patients() const { return patients_; }
  Day as_of() const { return in_.as_of; }
  Diagnostics& diag() { return diag_; }
  const InputOptions& input_options() const { return in_; }

  // Where the command's result goes: stdout or -o FILE, in the chosen format; with --mask, names
  // and phones are pseudonymised (also inside free text such as an SMS text). Rows are written
  // as they arrive and nothing per row is kept (except that `--format table` aligns its columns
  // over all rows, and `--sort` orders all rows before writing them). `--limit N` writes the
  // first N rows (after `--sort`). The target is opened at columns(), i.e. only once the result is
  // being produced; finish() flushes and puts -o FILE in place. An Output destroyed without
  // finish() (the command failed) leaves FILE untouched; on stdout what was written stays written.
  class Output;
  Output output();
  // A small table through output(), at once.
  void write(const Table& table);

 private:
  Session(const CommonOptions& o, const NeedsOf& needs_of, bool amount_required);

  const CommonOptions& opt_;
  Diagnostics diag_;
  InputOptions in_;
  Format format_;
  unsigned mode_;
  std::vector<SortKey> sort_;
  size_t limit_;
  std::unique_ptr<Inputs> inputs_;
  PatientTable patients_;
  std::optional<FromList> from_;
};

class Session::Output : public RowSink {
 public:
  ~Output() override;
  Output(Output&&) noexcept;
  Output& operator=(Output&&) noexcept;

  // The rule's columns: the writer renders, --sort compares and --mask replaces by their kinds
  // and personal flags.
  void columns(const std::vector<Column>& columns) override;
  void row(const std::vector<std::string>& cells) override;
  // A long list in csv, tsv, jsonl or excel without --mask is formatted on both cores (see
  // write_rows_on_two_threads); otherwise, row by row on this thread.
  void rows(size_t n, size_t width, const std::function<RowFill()>& make_fill) override;
  // After the last row: writes what is buffered, flushes and commits -o FILE. Write errors throw
  // (OutputClosed for a closed pipe, InputError otherwise).
  void finish();

 private:
  friend class Session;
  explicit Output(const Session& session);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Each command's module registers its subcommand; main() runs the one that was parsed.
using CommandRunner = std::function<void()>;
void register_segment(CLI::App& app, std::vector<std::pair<CLI::App*, CommandRunner>>& out);
void register_rfm(CLI::App& app, std::vector<std::pair<CLI::App*, CommandRunner>>& out);
void register_sleeping(CLI::App& app, std::vector<std::pair<CLI::App*, CommandRunner>>& out);
void register_referrals(CLI::App& app, std::vector<std::pair<CLI::App*, CommandRunner>>& out);
void register_bonus_ledger(CLI::App& app, std::vector<std::pair<CLI::App*, CommandRunner>>& out);
void register_sms(CLI::App& app, std::vector<std::pair<CLI::App*, CommandRunner>>& out);
void register_report(CLI::App& app, std::vector<std::pair<CLI::App*, CommandRunner>>& out);
void register_inspect(CLI::App& app, std::vector<std::pair<CLI::App*, CommandRunner>>& out);

}  // namespace kartoteka
