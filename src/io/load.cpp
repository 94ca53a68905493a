#include "io/load.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <exception>
#include <mutex>
#include <numeric>
#include <thread>

#include "io/patient_row.h"
#include "io/record_pipe.h"
#include "io/typed_cells.h"
#include "io/visit_parser.h"
#include "model/errors.h"
#include "model/money.h"
#include "model/phone.h"
#include "model/text.h"

namespace kartoteka {
namespace {

using io_detail::cell;
using io_detail::problem_of;
using io_detail::typed_columns;
using io_detail::TypedColumn;
using io_detail::VisitParser;

std::vector<std::string> other_titles(const ColumnMap& m, const std::vector<std::string>& header) {
  std::vector<std::string> t;
  for (int c : m.others) t.push_back(header[c]);
  return t;
}

}  // namespace

std::string bad_value_message(const std::string& file, int64_t line, std::string_view title,
                              Field field, std::string_view value, std::string_view problem) {
  return fmt::format("{}:{}: column \"{}\" ({}): \"{}\" {}", file, line, title, field_name(field),
                     value, problem);
}

Inputs::Inputs(const InputOptions& options, Diagnostics& diag) : opt_(options), diag_(diag) {
  patients_ = std::make_unique<RecordReader>(opt_.patients_path, opt_.encoding, opt_.delimiter);
  visits_ = std::make_unique<RecordReader>(opt_.visits_path, opt_.encoding, opt_.delimiter);
  opt_.col_usage.offer(FileKind::Patients, patients_->header(), patients_->name(), opt_.cols);
  opt_.col_usage.offer(FileKind::Visits, visits_->header(), visits_->name(), opt_.cols);
  patient_map_ = map_columns(FileKind::Patients, patients_->header(), opt_.cols, patients_->name());
  visit_map_ = map_columns(FileKind::Visits, visits_->header(), opt_.cols, visits_->name());
  for (const auto& n : patient_map_.notes) diag_.note(n);
  for (const auto& n : visit_map_.notes) diag_.note(n);
  require(patient_map_, Field::id, patients_->header(), patients_->name(), FileKind::Patients);
  for (Field f : {Field::patient_id, Field::date, Field::amount})
    if (f != Field::amount || opt_.amount_required)
      require(visit_map_, f, visits_->header(), visits_->name(), FileKind::Visits);
}

Inputs::~Inputs() = default;

std::vector<std::string> Inputs::patient_extra_titles() const {
  return other_titles(patient_map_, patients_->header());
}

namespace {

using io_detail::checked_id;
using io_detail::expect_from_sample;
using io_detail::reserve_for_file;
using io_detail::row_text;
using io_detail::RowText;

}  // namespace

PatientTable Inputs::read_patients(PatientNeeds needs) {
  RecordReader& rd = *patients_;
  const ColumnMap& m = patient_map_;
  const auto& header = rd.header();
  PatientTable table(other_titles(m, header), needs);
  needs = table.needs();  // with what the table adds (id; name for its parts)
  const bool name_parts =
      needs.has(PText::last_name) || needs.has(PText::first_name) || needs.has(PText::middle_name);
  reserve_for_file(table, rd.total_bytes());
  auto typed = typed_columns(m);
  RowText row;
  std::vector<std::string_view> extras(m.others.size());
  uint64_t no_phone = 0;
  // One record: validated, normalised and added (false: reported and skipped).
  auto add = [&](const Record& rec) {
    if (!rec.error.empty()) {
      diag_.bad_row(fmt::format("{}:{}: {}", rd.name(), rec.line, rec.error));
      return;
    }
    PatientCore core;
    std::string_view id = checked_id(rec, rd.name(), header, m, typed, core, diag_);
    if (id.empty()) return;
    core.gender = parse_gender(cell(rec, m, Field::gender));
    if (!row_text(rec, m, needs, name_parts, id, row)) ++no_phone;
    if (needs.extras)
      for (size_t k = 0; k < m.others.size(); ++k) extras[k] = rec.fields[m.others[k]];
    if (!table.add(row.text, extras, core)) {
      uint32_t first_row = table.find(id);
      (void)first_row;
      diag_.bad_row(
          fmt::format("{}:{}: duplicate id \"{}\": this card number is already in the file",
                      rd.name(), rec.line, id));
      return;
    }
  };
  // The reading thread splits records; the second one (if any) does all the rest.
  std::vector<int> all(header.size());
  std::iota(all.begin(), all.end(), 0);
  bool sized = false;
  Record rec;
  rec.fields.resize(header.size());
  // Each new id's slot in the id index is a cache miss: ask for it some records ahead.
  constexpr size_t kAhead = 16;
  const auto id_col = static_cast<size_t>(m[Field::id]);
  pipe_records(rd, all, use_two_threads(), [&](const RecordBatch& b) {
    for (size_t i = 0; i < std::min(b.size(), kAhead); ++i)
      table.prefetch(PatientTable::hash_of(b.cell(i, id_col)));
    for (size_t i = 0; i < b.size(); ++i) {
      if (i + kAhead < b.size()) table.prefetch(PatientTable::hash_of(b.cell(i + kAhead, id_col)));
      b.get(i, rec);
      add(rec);
    }
    if (!sized) sized = expect_from_sample(table, rd.total_bytes(), b.bytes_read());
    diag_.progress("reading patients", b.bytes_read(), rd.total_bytes());
  });
  diag_.progress_done();
  if (no_phone > 0)
    diag_.warn(fmt::format("{}: {} patients have a phone cell with no usable number", rd.name(),
                           no_phone));
  return table;
}

void Inputs::read_visits(const PatientTable& patients,
                         const std::function<void(const VisitRow&)>& sink) {
  RecordReader& rd = *visits_;
  const ColumnMap& m = visit_map_;
  VisitParser parser(opt_, diag_, rd, m);
  uint64_t unknown = 0, seq = 0;
  VisitRow row;
  Record rec;
  while (rd.next(rec)) {
    if (!parser.parse(rec, row)) continue;
    uint32_t p = patients.find(rec.fields[m[Field::patient_id]]);
    if (p == PatientTable::kNotFound) {
      ++unknown;
      continue;
    }
    row.patient = p;
    row.line = rec.line;
    row.seq = seq++;
    sink(row);
    if ((seq & 0xFFFF) == 0) diag_.progress("reading visits", rd.bytes_read(), rd.total_bytes());
  }
  diag_.progress_done();
  warn_unknown_cards(unknown);
  note_empty_statuses(parser.empty_statuses());
}

namespace {

// The second half of reading the visits, done batch by batch (on the second thread when there
// is one): parse and validate the rows (bad ones reported in file order, as the reader would),
// then look the patients up and fold. The lookup and the fold update cost cache misses that
// depend on one another (patient slot → patient state → its key stream), so they run in stages
// some rows apart, each stage prefetching what a later one needs: by the time a row needs a
// line, its prefetch has had the other rows' work to arrive behind. The observer (if any) gets
// each row of a known patient ahead as soon as it is looked up and sees it when the fold applies
// it, in row order, numbered by `seq`.
class BatchFolder {
 public:
  BatchFolder(const InputOptions& opt, Diagnostics& diag, RecordReader& rd, const ColumnMap& m,
              const PatientTable& patients, VisitFold& fold, const VisitObserver& observe)
      : diag_(diag),
        rd_(rd),
        parser_(opt, diag, rd, m),
        id_col_(m[Field::patient_id]),
        patients_(patients),
        fold_(fold),
        observe_(observe) {
    rec_.fields.resize(rd.header().size());
  }

  void fold(const RecordBatch& b) {
    rows_.clear();
    seen_.clear();
    parse(b);
    lookup_and_apply();
    diag_.progress("reading visits", b.bytes_read(), rd_.total_bytes());
  }
  uint64_t unknown() const { return unknown_; }
  uint64_t empty_statuses() const { return parser_.empty_statuses(); }

 private:
  // A good row, ready for the lookup.
  struct Row {
    FoldRow row;
    uint64_t hash = 0;
    std::string_view id;  // in the batch
    uint32_t patient = PatientTable::kNotFound;
  };

  void parse(const RecordBatch& b) {
    VisitRow row;
    for (size_t i = 0; i < b.size(); ++i) {
      b.get(i, rec_);
      if (!parser_.parse(rec_, row)) continue;
      Row& out = rows_.emplace_back();
      out.row = fold_.prepare(row);
      out.id = rec_.fields[static_cast<size_t>(id_col_)];
      out.hash = PatientTable::hash_of(out.id);
      if (observe_.see) {
        row.line = rec_.line;
        seen_.push_back(row);
      }
    }
  }

  void lookup_and_apply() {
    constexpr size_t kSlot = 16, kKeys = 4, kApply = 8;  // rows ahead of / behind the lookup
    const size_t n = rows_.size();
    for (size_t i = 0; i < std::min(n, kSlot); ++i) patients_.prefetch(rows_[i].hash);
    for (size_t i = 0; i < n + kApply; ++i) {
      if (i + kSlot < n) patients_.prefetch(rows_[i + kSlot].hash);
      if (i < n) {
        Row& r = rows_[i];
        r.patient = patients_.find(r.id, r.hash);
        if (r.patient == PatientTable::kNotFound) {
          ++unknown_;
        } else {
          fold_.prefetch(r.patient);
          if (observe_.see) {
            VisitRow& v = seen_[i];
            v.patient = r.patient;
            v.seq = seq_++;
            if (observe_.ahead) observe_.ahead(v);
          }
        }
      }
      if (i >= kKeys && i - kKeys < n && rows_[i - kKeys].patient != PatientTable::kNotFound)
        fold_.prefetch_keys(rows_[i - kKeys].patient);
      if (i >= kApply && rows_[i - kApply].patient != PatientTable::kNotFound) {
        fold_.apply(rows_[i - kApply].patient, rows_[i - kApply].row);
        if (observe_.see) observe_.see(seen_[i - kApply]);
      }
    }
  }

  Diagnostics& diag_;
  RecordReader& rd_;
  VisitParser parser_;
  int id_col_;
  const PatientTable& patients_;
  VisitFold& fold_;
  const VisitObserver& observe_;
  Record rec_;  // its fields of the visit columns point into the batch being folded
  std::vector<Row> rows_;
  std::vector<VisitRow> seen_;  // with an observer: the parsed rows (parallel to rows_)
  uint64_t unknown_ = 0, seq_ = 0;
};

}  // namespace

void Inputs::fold_visits(const PatientTable& patients, VisitFold& fold,
                         const VisitObserver& observe) {
  RecordReader& rd = *visits_;
  const ColumnMap& m = visit_map_;
  // The columns the fold reads (and all a VisitRow holds when an observer sees the rows); the
  // rest of a record is checked by the reader and not copied to the folding thread.
  const StatsNeeds& needs = fold.needs();
  const bool all = static_cast<bool>(observe.see);
  std::vector<int> cols;
  for (auto [f, wanted] : {std::pair{Field::patient_id, true},
                           {Field::date, true},
                           {Field::amount, true},
                           {Field::bonus_paid, true},
                           {Field::status, true},
                           {Field::visit_id, true},
                           {Field::service, all || needs.services},
                           {Field::service_category, all || needs.service_categories},
                           {Field::doctor, all || needs.doctors},
                           {Field::branch, all || needs.home_branch},
                           {Field::referrer_id, all}})
    if (wanted && m.has(f)) cols.push_back(m[f]);
  std::sort(cols.begin(), cols.end());
  cols.erase(std::unique(cols.begin(), cols.end()), cols.end());
  BatchFolder folder(opt_, diag_, rd, m, patients, fold, observe);
  pipe_records(rd, cols, use_two_threads(), [&](const RecordBatch& b) { folder.fold(b); });
  diag_.progress_done();
  warn_unknown_cards(folder.unknown());
  note_empty_statuses(folder.empty_statuses());
}

void Inputs::note_empty_statuses(uint64_t rows) {
  if (rows == 0) return;
  const Status kind = opt_.statuses.classify("").value_or(Status::Completed);
  const std::string_view title = visits_->header()[visit_map_[Field::status]];
  if (kind == Status::Completed)
    diag_.note(
        fmt::format("{}: {} rows have an empty status (\"{}\") and count as completed "
                    "(reassign them with --status =KIND)",
                    visits_->name(), rows, title));
  else
    diag_.note(
        fmt::format("{}: {} rows have an empty status (\"{}\") and count as {} (--status ={})",
                    visits_->name(), rows, title, status_kind_name(kind), status_kind_name(kind)));
}

void Inputs::warn_unknown_cards(uint64_t rows) {
  if (rows > 0)
    diag_.warn(fmt::format("{}: {} rows name a card that is not in {} and were ignored",
                           visits_->name(), rows, patients_->name()));
}

}  // namespace kartoteka
