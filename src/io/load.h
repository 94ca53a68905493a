// Reading the exports into typed values: every recognised cell is parsed and validated once here
// (SPEC §2, §5, §8.12); the rules never see raw strings.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "io/columns.h"
#include "io/diagnostics.h"
#include "io/record_reader.h"
#include "model/adjustment.h"
#include "model/patients.h"
#include "model/values.h"
#include "model/visit_stats.h"

namespace kartoteka {

struct InputOptions {
  // The exports: paths ("-" = standard input), or bytes in memory (io/input.h; tests).
  Input patients_path;
  Input visits_path;
  Encoding encoding = Encoding::Auto;
  char delimiter = 0;  // 0 = auto
  std::vector<ColOverride> cols;
  // Which of `cols` the input files read so far had (§8.44); the readers record it on a const
  // InputOptions, hence mutable. Checked once every input is read (Inputs::check_col_overrides).
  mutable ColUsage col_usage;
  StatusTable statuses;
  Day as_of = kNoDay;
  bool amount_required = true;  // every command but sms (§8.1)
};

// A command's view of the visits as they are folded (Inputs::fold_visits): `see` gets every row
// of a known patient in file order; `ahead`, when set, gets the same row a few rows earlier so
// that it can ask for the cache lines `see` will touch (a hint: it changes nothing).
struct VisitObserver {
  std::function<void(const VisitRow&)> see;
  std::function<void(const VisitRow&)> ahead;
};

// The two exports, opened (headers read, columns bound) but not yet read.
class Inputs {
 public:
  // Opens both files and checks their required columns. Throws InputError.
  Inputs(const InputOptions& options, Diagnostics& diag);
  ~Inputs();

  // After every input file (also --adjustments, --from, --exclude) was opened: a --col override
  // that no input had is an input error (§8.44).
  void check_col_overrides() const { opt_.col_usage.check(opt_.cols); }

  // Reads the whole patients file (§2.2, §8.12–§8.14). Every row is validated; only the text
  // fields `needs` names are kept.
  PatientTable read_patients(PatientNeeds needs = PatientNeeds::all());
  // Titles of the patients file's columns not bound to a logical field, file order.
  std::vector<std::string> patient_extra_titles() const;

  // Streams the visits file: every row is validated; rows of known patients are handed to
  // `sink` in file order; rows of unknown cards are counted in a warning.
  void read_visits(const PatientTable& patients, const std::function<void(const VisitRow&)>& sink);
  // Streams the visits file into `fold` (sized for `patients`): the same validation, messages
  // and unknown-card warning as read_visits(), and the same fold as read_visits() with
  // fold.add() as the sink, but rows are pipelined so that the cache misses of several rows'
  // patient lookups and fold updates overlap.
  // On a machine with two cores, two threads share the work: this one reads, validates
  // (messages exactly as above, in file order) and prepares each row; the other looks the
  // patients up and folds, in the same order, a few thousand rows behind.
  // `observe.see` (optional) sees every row of a known patient in file order, numbered as
  // read_visits()'s sink sees them, but on the folding thread (so the lookups it needs overlap
  // as the fold's do): it may only touch state of its own, which the caller leaves alone until
  // fold_visits() returns, and must not throw. `observe.ahead` (optional) gets each of those
  // rows a few rows before `see` does, to prefetch what `see` will touch.
  void fold_visits(const PatientTable& patients, VisitFold& fold,
                   const VisitObserver& observe = {});

  const InputOptions& options() const { return opt_; }
  const ColumnMap& visit_columns() const { return visit_map_; }

 private:
  // The warning for visits rows whose card is not in the patients file (none when 0).
  void warn_unknown_cards(uint64_t rows);
  // The note for rows with an empty status and what they count as (§8.47; none when 0).
  void note_empty_statuses(uint64_t rows);

  const InputOptions& opt_;
  Diagnostics& diag_;
  std::unique_ptr<RecordReader> patients_, visits_;
  ColumnMap patient_map_, visit_map_;
};

// Reads a --adjustments file (§6.5, §8.33): date, patient_id, amount required; note optional;
// --col applies to them (§8.44) and the file is offered to options.col_usage. `input` is a path or
// bytes (io/input.h).
std::vector<Adjustment> read_adjustments(const Input& input, const InputOptions& options,
                                         Diagnostics& diag);

// `file:line: column "title" (field): "value" is not a valid …` (§5).
std::string bad_value_message(const std::string& file, int64_t line, std::string_view title,
                              Field field, std::string_view value, std::string_view problem);

}  // namespace kartoteka
