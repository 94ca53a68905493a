#include "io/stop_list.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <memory>

#include "io/list_reader.h"
#include "model/errors.h"
#include "model/phone.h"
#include "model/text.h"

namespace kartoteka {
namespace {

struct StopColumns {
  int id = -1;
  std::vector<int> phones;
  bool bare = false;  // a bare list: column 0 holds phones and the header line is one of them
};

// --col FIELD=HEADER for this list: the column titled HEADER after §8.6, or -1.
int overridden(const std::vector<std::string>& header, const std::vector<ColOverride>& cols,
               Field f) {
  for (const auto& o : cols) {
    if (o.field != f) continue;
    const std::string want = normalize_header(o.header);
    for (size_t c = 0; c < header.size(); ++c)
      if (normalize_header(header[c]) == want) return static_cast<int>(c);
  }
  return -1;
}

StopColumns stop_columns(const ListReader& rd, const std::vector<ColOverride>& cols) {
  const auto& header = rd.header();
  StopColumns s;
  s.id = overridden(header, cols, Field::id);
  if (int p = overridden(header, cols, Field::phone); p >= 0) s.phones.push_back(p);
  for (size_t c = 0; c < header.size(); ++c) {
    auto m = match_header(FileKind::Patients, header[c]);
    if (!m) continue;
    if (m->field == Field::id && s.id < 0) s.id = static_cast<int>(c);
    // Every phone column is read (§8.45), unless --col phone= named one.
    if (m->field == Field::phone && overridden(header, cols, Field::phone) < 0)
      s.phones.push_back(static_cast<int>(c));
  }
  if (s.id >= 0 || !s.phones.empty()) return s;
  // jsonl has no bare shape: its one key is a column title, never a phone.
  if (header.size() == 1 && !rd.jsonl()) {
    s.bare = true;
    s.phones.push_back(0);
    return s;
  }
  std::string seen;
  for (const auto& t : header) seen += fmt::format("{}\"{}\"", seen.empty() ? "" : ", ", t);
  throw InputError(fmt::format(
      "{}: the --exclude list has neither a phone nor an id column (headers seen: {}); name them "
      "with --col phone=HEADER or --col id=HEADER",
      rd.name(), seen));
}

// Lists every number of a phone cell; unusable ones are warned about (the first 20, then counted).
class PhoneCells {
 public:
  PhoneCells(StopList& into, Diagnostics& diag, const std::string& file)
      : into_(into), diag_(diag), file_(file) {}
  void add(std::string_view cell, int64_t line) {
    cell = unexcel(cell);
    size_t start = 0;
    while (start <= cell.size()) {
      size_t end = cell.find_first_of(",;", start);
      if (end == std::string_view::npos) end = cell.size();
      const std::string_view one = trim(cell.substr(start, end - start));
      start = end + 1;
      if (one.empty()) continue;
      const std::string e164 = normalize_phone(one);
      if (!e164.empty()) {
        into_.add_phone(e164);
        continue;
      }
      if (++unusable_ <= 20)
        diag_.warn(fmt::format("{}:{}: \"{}\" is not a usable phone; ignored", file_, line, one));
    }
  }
  void finish() {
    if (unusable_ > 20)
      diag_.warn(fmt::format("{}: {} listed values in all are not usable phones and were ignored",
                             file_, unusable_));
  }

 private:
  StopList& into_;
  Diagnostics& diag_;
  const std::string& file_;
  uint64_t unusable_ = 0;
};

std::unique_ptr<ListReader> open_stop_list(const Input& input, const std::string& name,
                                           char delimiter) {
  try {
    return std::make_unique<ListReader>(input, name, delimiter);
  } catch (const InputError& e) {
    // An empty or unreadable stop list must not read as "nobody opted out".
    throw InputError(
        fmt::format("{} (an --exclude stop list that cannot be read stops the run)", e.what()));
  }
}

// Whether the input can be read a second time: bytes in memory, or a regular file.
bool rereadable(const Input& input) {
  if (input.in_memory()) return true;
  struct stat st {};
  const std::string& path = input.name();
  return path != "-" && ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace

void read_stop_list(const Input& input, const std::vector<ColOverride>& cols, StopList& into,
                    Diagnostics& diag, ColUsage* usage) {
  const std::string name = input.name() == "-" ? "--exclude -" : input.name();
  std::unique_ptr<ListReader> reader = open_stop_list(input, name, 0);  // csv or jsonl (§8.53)
  // A csv list of one column (a bare list, or a lone phone column) is read again with `|` as its
  // delimiter, so that a line holding two numbers `8916…; 8903…` is one cell, not a bad row. (A
  // pipe cannot be read twice: there a second number after a delimiter makes a bad row.)
  if (!reader->jsonl() && reader->header().size() == 1 && rereadable(input))
    reader = open_stop_list(input, name, '|');
  ListReader& rd = *reader;
  // Offered before the run checks that every --col named some input's column (§8.44).
  if (usage) usage->offer(FileKind::List, rd.header(), rd.name(), cols);
  const StopColumns sc = stop_columns(rd, cols);
  const size_t ids_before = into.ids(), phones_before = into.phones();
  PhoneCells phones(into, diag, rd.name());
  if (sc.bare) phones.add(rd.header()[0], rd.header_line());
  Record rec;
  while (rd.next(rec)) {
    if (!rec.error.empty()) {
      diag.bad_row(fmt::format("{}:{}: {}", rd.name(), rec.line, rec.error));
      continue;
    }
    if (sc.id >= 0) into.add_id(unexcel(rec.fields[sc.id]));
    for (int c : sc.phones) phones.add(rec.fields[c], rec.line);
  }
  phones.finish();
  diag.note(fmt::format("{}: the stop list names {} phones and {} ids", rd.name(),
                        into.phones() - phones_before, into.ids() - ids_before));
}

}  // namespace kartoteka
