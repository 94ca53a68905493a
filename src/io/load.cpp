#include "io/load.h"

#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>

#include "model/errors.h"
#include "model/money.h"
#include "model/phone.h"
#include "model/text.h"

namespace kartoteka {
namespace {

enum class CellType { Date, RequiredDate, Money, Bool, Status };

struct TypedColumn {
  int col;
  Field field;
  CellType type;
};

// Typed columns in column order, so the first bad cell of a row is the leftmost (§8.12).
std::vector<TypedColumn> typed_columns(const ColumnMap& m,
                                       std::initializer_list<std::pair<Field, CellType>> fields) {
  std::vector<TypedColumn> out;
  for (auto [f, t] : fields)
    if (m.has(f)) out.push_back({m[f], f, t});
  std::sort(out.begin(), out.end(),
            [](const TypedColumn& a, const TypedColumn& b) { return a.col < b.col; });
  return out;
}

std::string_view problem_of(CellType t) {
  switch (t) {
    case CellType::Date: return "is not a valid date";
    case CellType::RequiredDate: return "is not a valid date";
    case CellType::Money: return "is not a valid amount of money";
    case CellType::Bool: return "is not a valid boolean (use да/нет, yes/no, 1/0)";
    case CellType::Status:
      return "is not a known status (teach it with --status VALUE=completed|cancelled|no_show|planned)";
  }
  return "is not valid";
}

std::string_view cell(const Record& r, const ColumnMap& m, Field f) {
  int c = m[f];
  return c == ColumnMap::kAbsent ? std::string_view{} : r.fields[c];
}

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
  for (const auto& o : opt_.cols) {
    if (!override_applies(FileKind::Patients, patients_->header(), o) &&
        !override_applies(FileKind::Visits, visits_->header(), o))
      throw InputError(fmt::format("--col {}={}: neither {} nor {} has a column \"{}\"",
                                   field_name(o.field), o.header, patients_->name(),
                                   visits_->name(), o.header));
  }
  patient_map_ = map_columns(FileKind::Patients, patients_->header(), opt_.cols, patients_->name());
  visit_map_ = map_columns(FileKind::Visits, visits_->header(), opt_.cols, visits_->name());
  for (const auto& n : patient_map_.notes) diag_.note(n);
  for (const auto& n : visit_map_.notes) diag_.note(n);
  require(patient_map_, Field::id, patients_->header(), patients_->name());
  require(visit_map_, Field::patient_id, visits_->header(), visits_->name());
  require(visit_map_, Field::date, visits_->header(), visits_->name());
  if (opt_.amount_required) require(visit_map_, Field::amount, visits_->header(), visits_->name());
}

Inputs::~Inputs() = default;

std::vector<std::string> Inputs::patient_extra_titles() const {
  return other_titles(patient_map_, patients_->header());
}

PatientTable Inputs::read_patients(PatientNeeds needs) {
  RecordReader& rd = *patients_;
  const ColumnMap& m = patient_map_;
  const auto& header = rd.header();
  PatientTable table(other_titles(m, header), needs);
  constexpr size_t kSample = 1 << 16;
  needs = table.needs();  // with what the table adds (id; name for its parts)
  const bool name_parts =
      needs.has(PText::last_name) || needs.has(PText::first_name) || needs.has(PText::middle_name);
  // A patients row takes at least ~40 bytes of the file; the text kept is at most the file.
  if (uint64_t bytes = rd.total_bytes(); bytes > 0) table.reserve(bytes / 40 + 16, bytes + bytes / 4);
  auto typed = typed_columns(m, {{Field::birth_date, CellType::Date},
                                 {Field::registered, CellType::Date},
                                 {Field::activity_date, CellType::Date},
                                 {Field::sms_consent, CellType::Bool},
                                 {Field::purchased, CellType::Bool}});
  std::vector<std::string_view> text(kPTextCount);
  std::vector<std::string_view> extras(m.others.size());
  std::string name_buf, cats_buf, phone_buf;
  uint64_t no_phone = 0;
  Record rec;
  while (rd.next(rec)) {
    if (!rec.error.empty()) {
      diag_.bad_row(fmt::format("{}:{}: {}", rd.name(), rec.line, rec.error));
      continue;
    }
    PatientCore core;
    bool bad = false;
    for (const auto& tc : typed) {
      std::string_view v = rec.fields[tc.col];
      bool ok = true;
      switch (tc.field) {
        case Field::birth_date: ok = parse_date(v, core.birth_date); break;
        case Field::registered: ok = parse_date(v, core.registered); break;
        case Field::activity_date: ok = parse_date(v, core.activity_date); break;
        case Field::sms_consent: ok = parse_bool(v, core.sms_consent); break;
        case Field::purchased: ok = parse_bool(v, core.purchased); break;
        default: break;
      }
      if (!ok) {
        diag_.bad_row(bad_value_message(rd.name(), rec.line, header[tc.col], tc.field, v,
                                        problem_of(tc.type)));
        bad = true;
        break;
      }
    }
    if (bad) continue;
    std::string_view id = cell(rec, m, Field::id);
    if (id.empty()) {
      diag_.bad_row(bad_value_message(rd.name(), rec.line, header[m[Field::id]], Field::id, id,
                                      "is empty: every patient needs a card number"));
      continue;
    }
    core.gender = parse_gender(cell(rec, m, Field::gender));

    // Name and its parts default from each other (§2.2, §8.14).
    std::string_view name = cell(rec, m, Field::name);
    std::string_view last = cell(rec, m, Field::last_name), first = cell(rec, m, Field::first_name),
                     middle = cell(rec, m, Field::middle_name);
    if (name.empty()) {
      name_buf.clear();
      for (auto part : {last, first, middle})
        if (!part.empty()) name_buf += (name_buf.empty() ? "" : " ") + std::string(part);
      name = name_buf;
    } else if (name_parts) {
      std::vector<std::string_view> words;
      size_t i = 0;
      while (i < name.size()) {
        while (i < name.size() && (name[i] == ' ' || name[i] == '\t')) ++i;
        size_t j = i;
        while (j < name.size() && name[j] != ' ' && name[j] != '\t') ++j;
        if (j > i) words.push_back(name.substr(i, j - i));
        i = j;
      }
      if (last.empty() && !words.empty()) last = words[0];
      if (first.empty() && words.size() > 1) first = words[1];
      if (middle.empty() && words.size() > 2) {
        // The rest of the name from word 3 on, as written.
        middle = trim(name.substr(words[2].data() - name.data()));
      }
    }
    bool unusable = false;
    phone_buf = pick_phone(cell(rec, m, Field::phone), &unusable);
    if (unusable) ++no_phone;
    cats_buf.clear();
    if (needs.has(PText::categories))
      for (auto c : split_categories(cell(rec, m, Field::categories))) {
        if (!cats_buf.empty()) cats_buf += ';';
        cats_buf += c;
      }
    text[size_t(PText::id)] = id;
    text[size_t(PText::name)] = name;
    text[size_t(PText::last_name)] = last;
    text[size_t(PText::first_name)] = first;
    text[size_t(PText::middle_name)] = middle;
    text[size_t(PText::phone)] = phone_buf;
    text[size_t(PText::email)] = cell(rec, m, Field::email);
    text[size_t(PText::district)] = cell(rec, m, Field::district);
    text[size_t(PText::city)] = cell(rec, m, Field::city);
    text[size_t(PText::source)] = cell(rec, m, Field::source);
    text[size_t(PText::profession)] = cell(rec, m, Field::profession);
    text[size_t(PText::branch)] = cell(rec, m, Field::branch);
    text[size_t(PText::categories)] = cats_buf;
    text[size_t(PText::referrer_id)] = cell(rec, m, Field::referrer_id);
    text[size_t(PText::need)] = cell(rec, m, Field::need);
    if (needs.extras)
      for (size_t k = 0; k < m.others.size(); ++k) extras[k] = rec.fields[m.others[k]];
    if (!table.add(text, extras, core)) {
      uint32_t first_row = table.find(id);
      (void)first_row;
      diag_.bad_row(fmt::format("{}:{}: duplicate id \"{}\": this card number is already in the file",
                                rd.name(), rec.line, id));
      continue;
    }
    if (table.size() == kSample && rd.total_bytes() > rd.bytes_read()) {
      // The file's size over the bytes the first rows took (an overestimate of those by at most
      // the reader's lookahead) predicts the row count closely enough to size the id index once.
      table.expect(
          static_cast<size_t>(static_cast<double>(kSample) * static_cast<double>(rd.total_bytes()) /
                              static_cast<double>(rd.bytes_read())));
    }
    diag_.progress("reading patients", rd.bytes_read(), rd.total_bytes());
  }
  diag_.progress_done();
  if (no_phone > 0)
    diag_.warn(fmt::format("{}: {} patients have a phone cell with no usable number", rd.name(),
                           no_phone));
  return table;
}

namespace {

// Parses and validates the visits file's rows (§2.6, §8.12): every typed cell in column order,
// the first bad one reported. The patient is left to the caller.
class VisitParser {
 public:
  // `diag` null: a bad row is not reported, parse() just says false (the two-thread fold gives up
  // and the sequential re-read reports it in file order).
  VisitParser(const InputOptions& opt, Diagnostics* diag, RecordReader& rd, const ColumnMap& m)
      : opt_(opt),
        diag_(diag),
        rd_(rd),
        m_(m),
        typed_(typed_columns(m, {{Field::date, CellType::RequiredDate},
                                 {Field::amount, CellType::Money},
                                 {Field::bonus_paid, CellType::Money},
                                 {Field::status, CellType::Status}})) {}

  // Fills `row` from a record of the reader (all but patient, line and seq; its views point into
  // `rec`). A bad record or value is reported to Diagnostics (which throws without
  // --skip-bad-rows) and gives false.
  bool parse(const Record& rec, VisitRow& row) {
    if (!rec.error.empty()) {
      if (diag_) diag_->bad_row(fmt::format("{}:{}: {}", rd_.name(), rec.line, rec.error));
      return false;
    }
    row = VisitRow{};
    for (const auto& tc : typed_) {
      std::string_view v = rec.fields[tc.col];
      bool ok = true;
      switch (tc.field) {
        case Field::date: ok = parse_date(v, row.date) && row.date != kNoDay; break;
        case Field::amount: ok = parse_money(v, row.amount); break;
        case Field::bonus_paid: ok = parse_money(v, row.bonus_paid); break;
        case Field::status: {
          // A visits file has a handful of distinct status cells: classify each once, not per
          // row (folding allocates). Only good values are cached, so errors are reported as before.
          std::optional<Status> s;
          if (status_cache_ok_ && v == status_cache_cell_) {
            s = status_cache_kind_;
          } else {
            s = opt_.statuses.classify(v);
            if (s) status_cache_ok_ = true, status_cache_cell_.assign(v), status_cache_kind_ = *s;
          }
          ok = s.has_value();
          if (ok) row.status = *s;
          break;
        }
        default: break;
      }
      if (!ok) {
        std::string_view problem = problem_of(tc.type);
        if (tc.field == Field::date && v.empty()) problem = "is empty: every visit row needs a date";
        if (diag_)
          diag_->bad_row(
              bad_value_message(rd_.name(), rec.line, rd_.header()[tc.col], tc.field, v, problem));
        return false;
      }
    }
    row.visit_id = cell(rec, m_, Field::visit_id);
    row.service = cell(rec, m_, Field::service);
    row.service_category = cell(rec, m_, Field::service_category);
    row.doctor = cell(rec, m_, Field::doctor);
    row.branch = cell(rec, m_, Field::branch);
    row.referrer_id = cell(rec, m_, Field::referrer_id);
    return true;
  }

 private:
  const InputOptions& opt_;
  Diagnostics* diag_;
  RecordReader& rd_;
  const ColumnMap& m_;
  std::vector<TypedColumn> typed_;
  bool status_cache_ok_ = false;
  std::string status_cache_cell_;
  Status status_cache_kind_ = Status::Completed;
};


}  // namespace

void Inputs::read_visits(const PatientTable& patients,
                         const std::function<void(const VisitRow&)>& sink) {
  RecordReader& rd = *visits_;
  const ColumnMap& m = visit_map_;
  VisitParser parser(opt_, &diag_, rd, m);
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
}

namespace {

// Rows on their way from the reading thread to the folding thread: prepared (FoldRow holds no
// views) with their card numbers copied, hashed for the lookup.
struct FoldBatch {
  static constexpr size_t kRows = 4096;
  struct Row {
    FoldRow row;
    uint64_t hash = 0;
    uint32_t id_at = 0, id_len = 0;  // the card number in `ids`
    uint32_t patient = PatientTable::kNotFound;
    bool resolved = false;  // patient already looked up by the reader (rows it showed an observer)
  };
  std::vector<Row> rows;
  std::string ids;
};

// A few batches passed back and forth between the reader (fills) and the folder (empties), so
// memory stays a few batches however long the file.
class BatchQueue {
 public:
  explicit BatchQueue(size_t batches) : all_(batches) {
    for (auto& b : all_) {
      b.rows.reserve(FoldBatch::kRows);
      free_.push_back(&b);
    }
  }
  // Reader side. take_free() waits for an emptied batch.
  FoldBatch* take_free() {
    std::unique_lock<std::mutex> lock(m_);
    cv_.wait(lock, [&] { return !free_.empty(); });
    FoldBatch* b = free_.front();
    free_.pop_front();
    b->rows.clear();
    b->ids.clear();
    return b;
  }
  void put_full(FoldBatch* b) {
    std::lock_guard<std::mutex> lock(m_);
    full_.push_back(b);
    cv_.notify_all();
  }
  // No more batches: the folder stops after the queued ones (abandon: at once).
  void close(bool abandon) {
    std::lock_guard<std::mutex> lock(m_);
    closed_ = true;
    if (abandon) full_.clear();
    cv_.notify_all();
  }
  // Folder side: the next full batch, in the order they were put; nullptr once closed and empty.
  FoldBatch* take_full() {
    std::unique_lock<std::mutex> lock(m_);
    cv_.wait(lock, [&] { return !full_.empty() || closed_; });
    if (full_.empty()) return nullptr;
    FoldBatch* b = full_.front();
    full_.pop_front();
    return b;
  }
  void put_free(FoldBatch* b) {
    std::lock_guard<std::mutex> lock(m_);
    free_.push_back(b);
    cv_.notify_all();
  }

 private:
  std::vector<FoldBatch> all_;
  std::deque<FoldBatch*> free_, full_;
  bool closed_ = false;
  std::mutex m_;
  std::condition_variable cv_;
};

// Folds one batch: each row's lookup and fold update cost cache misses that depend on one
// another (patient slot → patient state → its key stream), so they run in stages some rows
// apart, each stage prefetching what a later one needs: by the time a row needs a line, its
// prefetch has had the other rows' work to arrive behind.
void fold_batch(FoldBatch& b, const PatientTable& patients, VisitFold& fold, uint64_t& unknown) {
  constexpr size_t kSlot = 16, kKeys = 4, kApply = 8;  // rows ahead of / behind the lookup
  auto& rows = b.rows;
  const size_t n = rows.size();
  for (size_t i = 0; i < std::min(n, kSlot); ++i)
    if (!rows[i].resolved) patients.prefetch(rows[i].hash);
  for (size_t i = 0; i < n + kApply; ++i) {
    if (i + kSlot < n && !rows[i + kSlot].resolved) patients.prefetch(rows[i + kSlot].hash);
    if (i < n) {
      FoldBatch::Row& r = rows[i];
      if (!r.resolved) {
        r.patient = patients.find(std::string_view(b.ids.data() + r.id_at, r.id_len), r.hash);
        if (r.patient == PatientTable::kNotFound) ++unknown;
      }
      if (r.patient != PatientTable::kNotFound) fold.prefetch(r.patient);
    }
    if (i >= kKeys && i - kKeys < n && rows[i - kKeys].patient != PatientTable::kNotFound)
      fold.prefetch_keys(rows[i - kKeys].patient);
    if (i >= kApply && rows[i - kApply].patient != PatientTable::kNotFound)
      fold.apply(rows[i - kApply].patient, rows[i - kApply].row);
  }
}

}  // namespace

void Inputs::fold_visits(const PatientTable& patients, VisitFold& fold,
                         const std::function<void(const VisitRow&)>& observe) {
  // KARTOTEKA_THREADS=1 keeps to one thread (measuring, or a machine shared with other jobs).
  const char* threads = std::getenv("KARTOTEKA_THREADS");
  const bool two_threads = std::thread::hardware_concurrency() >= 2 &&
                           !(threads && std::string_view(threads) == "1");
  RecordReader& rd = *visits_;
  const ColumnMap& m = visit_map_;
  VisitParser parser(opt_, &diag_, rd, m);
  const int id_col = m[Field::patient_id];
  // This thread reads, validates (reporting bad rows in file order) and prepares; with two
  // threads the other looks the patients up and folds, in the same row order (prepare() and
  // apply() share no state), with one this thread folds each batch as it fills.
  BatchQueue queue(4);
  uint64_t unknown = 0, unknown_seen = 0, seq = 0;
  std::thread folder;
  if (two_threads)
    folder = std::thread([&] {
      while (FoldBatch* b = queue.take_full()) {
        fold_batch(*b, patients, fold, unknown);
        queue.put_free(b);
      }
    });
  // Whatever happens here (a bad row throws without --skip-bad-rows), the folder is stopped
  // and joined before the error leaves.
  struct Join {
    BatchQueue& queue;
    std::thread& folder;
    void now(bool abandon) {
      if (!folder.joinable()) return;
      queue.close(abandon);
      folder.join();
    }
    ~Join() { now(true); }
  } join{queue, folder};
  FoldBatch* b = queue.take_free();
  auto pass_on = [&] {
    if (two_threads) {
      queue.put_full(b);
      b = queue.take_free();
    } else {
      fold_batch(*b, patients, fold, unknown);
      b->rows.clear();
      b->ids.clear();
    }
  };
  VisitRow row;
  Record rec;
  uint64_t count = 0;
  while (rd.next(rec)) {
    if (!parser.parse(rec, row)) continue;
    const std::string_view id = rec.fields[id_col];
    const uint64_t hash = PatientTable::hash_of(id);
    uint32_t patient = PatientTable::kNotFound;
    if (observe) {
      // The observer sees each row of a known patient while its strings live, in file order,
      // numbered as read_visits() numbers them; the fold then needs no lookup.
      patient = patients.find(id, hash);
      if (patient == PatientTable::kNotFound) {
        ++unknown_seen;
        continue;
      }
      row.patient = patient;
      row.line = rec.line;
      row.seq = seq++;
      observe(row);
    }
    FoldBatch::Row& r = b->rows.emplace_back();
    r.row = fold.prepare(row);
    r.hash = hash;
    r.patient = patient;
    r.resolved = static_cast<bool>(observe);
    if (!observe) {
      r.id_at = static_cast<uint32_t>(b->ids.size());
      r.id_len = static_cast<uint32_t>(id.size());
      b->ids.append(id);
    }
    if (b->rows.size() == FoldBatch::kRows || b->ids.size() > (uint32_t{1} << 30)) pass_on();
    if ((++count & 0xFFFF) == 0)
      diag_.progress("reading visits", rd.bytes_read(), rd.total_bytes());
  }
  pass_on();
  join.now(false);  // waits for the folder: `unknown` is final after this
  unknown += unknown_seen;
  diag_.progress_done();
  warn_unknown_cards(unknown);
}

void Inputs::warn_unknown_cards(uint64_t rows) {
  if (rows > 0)
    diag_.warn(fmt::format("{}: {} rows name a card that is not in {} and were ignored",
                           visits_->name(), rows, patients_->name()));
}

std::vector<Adjustment> read_adjustments(const std::string& path, const InputOptions& options,
                                         Diagnostics& diag) {
  RecordReader rd(path, options.encoding, options.delimiter);
  ColumnMap m = map_columns(FileKind::Adjustments, rd.header(), {}, rd.name());
  for (const auto& n : m.notes) diag.note(n);
  for (Field f : {Field::date, Field::patient_id, Field::amount}) require(m, f, rd.header(), rd.name());
  auto typed = typed_columns(m, {{Field::date, CellType::RequiredDate}, {Field::amount, CellType::Money}});
  std::vector<Adjustment> out;
  Record rec;
  while (rd.next(rec)) {
    if (!rec.error.empty()) {
      diag.bad_row(fmt::format("{}:{}: {}", rd.name(), rec.line, rec.error));
      continue;
    }
    Adjustment a{kNoDay, std::string(rec.fields[m[Field::patient_id]]), 0,
                 std::string(cell(rec, m, Field::note)), rec.line};
    bool bad = false;
    for (const auto& tc : typed) {
      std::string_view v = rec.fields[tc.col];
      bool ok = tc.field == Field::date ? parse_date(v, a.date) && a.date != kNoDay
                                        : parse_money(v, a.amount);
      if (!ok) {
        diag.bad_row(bad_value_message(rd.name(), rec.line, rd.header()[tc.col], tc.field, v,
                                       problem_of(tc.type)));
        bad = true;
        break;
      }
    }
    if (!bad) out.push_back(std::move(a));
  }
  return out;
}

}  // namespace kartoteka
