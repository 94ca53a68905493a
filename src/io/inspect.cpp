#include "io/inspect.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <unordered_set>

#include "io/byte_source.h"
#include "io/jsonl_list.h"
#include "io/line_endings.h"
#include "model/date.h"
#include "model/errors.h"
#include "model/money.h"
#include "model/phone.h"

namespace kartoteka {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// Counts a file's cells column by column (§8.62).
class CellCounter {
 public:
  CellCounter(const std::vector<std::string>& header, const std::vector<ColumnRole>& roles,
              const StatusTable& statuses)
      : statuses_(statuses) {
    for (size_t c = 0; c < header.size(); ++c) columns_.push_back({header[c], roles[c], 0, 0, {}});
  }

  // The cells of one well-formed row, one per column.
  template <class Cells>
  void add(const Cells& cells) {
    for (size_t c = 0; c < columns_.size(); ++c) count(columns_[c], cells[c]);
  }

  std::vector<ColumnReport> take() { return std::move(columns_); }

 private:
  void count(ColumnReport& col, std::string_view v) {
    if (!v.empty()) {
      ++col.filled;
      if (col.example.empty() && !col.role.personal) col.example = v;
    }
    if (!valid(col.role.check, v)) ++col.bad;
  }

  bool valid(CellCheck check, std::string_view v) {
    Day day;
    Kopecks kopecks;
    Tri tri;
    bool unusable = false;
    switch (check) {
      case CellCheck::None:
        return true;
      case CellCheck::Date:
        return parse_date(v, day);
      case CellCheck::RequiredDate:
        return parse_date(v, day) && day != kNoDay;
      case CellCheck::Money:
        return parse_money(v, kopecks);
      case CellCheck::Bool:
        return parse_bool(v, tri);
      case CellCheck::Status:
        return statuses_.classify(v).has_value();
      case CellCheck::Phone:
        pick_phone(v, &unusable);
        return !unusable;
      case CellCheck::Required:
        return !v.empty();
      case CellCheck::PatientId:
        return !v.empty() && ids_.emplace(v).second;  // a second row of a card is a bad row
    }
    return true;
  }

  const StatusTable& statuses_;
  std::vector<ColumnReport> columns_;
  std::unordered_set<std::string> ids_;
};

std::string encoding_name(Encoding e, bool bom) {
  if (e == Encoding::Cp1251)
    return bom ? "cp1251 (Windows-1251, after a UTF-8 BOM)" : "cp1251 (Windows-1251)";
  return bom ? "utf-8 with BOM" : "utf-8";
}

std::string delimiter_name(char d) {
  return d == '\t' ? "tab" : fmt::format("'{}'", d);
}

// All of a list (or of stdin): lists are small, and stdin cannot be read twice.
std::string read_all(const std::string& path, const std::string& name) {
  if (path == "-") return io_detail::slurp_fd(STDIN_FILENO, name);
  const io_detail::ReadFd fd(path, name);
  return io_detail::slurp_fd(fd.get(), name);
}

bool file_starts_with_bom(const std::string& path) {
  char head[3] = {};
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const ssize_t n = ::pread(fd, head, 3, 0);
  ::close(fd);
  return n == 3 && std::string_view(head, 3) == kBom;
}

// The records of a csv input, counted into `r`.
void count_csv(RecordReader& rd, InspectKind kind, const InspectSettings& s, bool bom,
               FileReport& r) {
  r.encoding = encoding_name(rd.encoding(), bom);
  r.delimiter = delimiter_name(rd.delimiter());
  CellCounter counter(rd.header(), column_roles(kind, rd.header(), s.cols), s.statuses);
  if (bare_phone_list(kind, rd.header(), s.cols)) {  // its first line is a phone too
    ++r.rows;
    counter.add(rd.header());
  }
  Record rec;
  while (rd.next(rec)) {
    ++r.rows;
    if (!rec.error.empty()) {
      if (r.broken++ == 0) r.first_broken = fmt::format("line {}: {}", rec.line, rec.error);
      continue;
    }
    counter.add(rec.fields);
  }
  r.columns = counter.take();
}

// A jsonl list (§6.9): a line that is not a good object is a broken row here, not an error.
void count_jsonl(std::string_view text, InspectKind kind, const InspectSettings& s, FileReport& r) {
  r.encoding = encoding_name(Encoding::Utf8, text.substr(0, 3) == kBom);
  r.delimiter = "none (jsonl)";
  if (text.substr(0, 3) == kBom) text.remove_prefix(3);
  std::vector<std::string> header;
  std::vector<std::vector<std::pair<std::string, std::string>>> rows;
  for (int64_t line_no = 1; !text.empty(); ++line_no) {
    const size_t end = std::min(text.find('\n'), text.size());
    const std::string_view line = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    ++r.rows;
    try {
      rows.push_back(parse_jsonl_object(line, r.file, line_no));
    } catch (const InputError& e) {
      if (r.broken++ == 0) r.first_broken = e.what();
      continue;
    }
    for (const auto& kv : rows.back())
      if (std::find(header.begin(), header.end(), kv.first) == header.end())
        header.push_back(kv.first);
  }
  CellCounter counter(header, column_roles(kind, header, s.cols), s.statuses);
  std::vector<std::string_view> cells(header.size());
  for (const auto& row : rows) {
    std::fill(cells.begin(), cells.end(), std::string_view());
    for (const auto& [key, value] : row)
      cells[static_cast<size_t>(std::find(header.begin(), header.end(), key) - header.begin())] =
          value;
    counter.add(cells);
  }
  r.columns = counter.take();
}

// A csv stop list of one column is read as sms reads it (io/stop_list.cpp): again with `|` as its
// delimiter, so that a line of two numbers `8916…; 8903…` is one cell, not a broken row. The
// delimiter shown stays the one detected. False (nothing counted) for a list of several columns.
bool count_one_column_stop_list(const std::string& data, const InspectSettings& s, bool bom,
                                FileReport& r) {
  const RecordReader detected(Input::memory(data, r.file), Encoding::Auto, 0);
  if (detected.header().size() != 1) return false;
  RecordReader rd(Input::memory(data, r.file), Encoding::Auto, '|');
  count_csv(rd, InspectKind::Exclude, s, bom, r);
  r.delimiter = delimiter_name(detected.delimiter());
  return true;
}

// The fields a run needs from a file of this kind (visits' amount: every command but sms).
std::vector<Field> required_fields(InspectKind kind) {
  switch (kind) {
    case InspectKind::Patients:
    case InspectKind::From:
      return {Field::id};
    case InspectKind::Visits:
      return {Field::patient_id, Field::date, Field::amount};
    case InspectKind::Adjustments:
      return {Field::date, Field::patient_id, Field::amount};
    case InspectKind::Exclude:
      return {};  // an id or a phone column, or a bare list of phones (§8.53)
  }
  return {};
}

void note_missing(InspectKind kind, FileReport& r) {
  std::vector<std::string> header;
  ColumnMap unbound;  // the columns a --col could still name
  for (size_t c = 0; c < r.columns.size(); ++c) {
    header.push_back(r.columns[c].header);
    if (r.columns[c].role.field == "-") unbound.others.push_back(static_cast<int>(c));
  }
  for (Field f : required_fields(kind)) {
    const bool fed = std::any_of(r.columns.begin(), r.columns.end(), [&](const ColumnReport& c) {
      return c.role.field == field_name(f);
    });
    if (!fed)
      r.missing.push_back(fmt::format("required column {} not found; name it with {}",
                                      field_name(f),
                                      col_suggestion(f, file_kind_of(kind), header, &unbound)));
  }
}

}  // namespace

FileReport inspect_file(const Input& input, InspectKind kind, const InspectSettings& s) {
  const std::string& path = input.name();
  FileReport r;
  r.file = path;
  const bool list = kind == InspectKind::From || kind == InspectKind::Exclude;
  // Lists, stdin and pipes (`<(…)`) are read once, into memory; an export file is streamed.
  struct stat st {};
  const bool regular =
      !input.in_memory() && path != "-" && ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
  if (list || !regular) {
    std::string data = input.in_memory() ? input.bytes() : read_all(path, r.file);
    LineEndings le;
    le.feed(data);
    le.finish();
    r.line_endings = le.describe();
    if (list && looks_like_jsonl(data)) {
      count_jsonl(data, kind, s, r);
      note_missing(kind, r);
      return r;
    }
    const bool bom = std::string_view(data).substr(0, 3) == kBom;
    if (kind == InspectKind::Exclude && count_one_column_stop_list(data, s, bom, r)) {
      note_missing(kind, r);
      return r;
    }
    // Lists are always detected (§8.2); --encoding / --delimiter are for the exports.
    RecordReader rd(Input::memory(std::move(data), r.file), list ? Encoding::Auto : s.encoding,
                    list ? 0 : s.delimiter, r.file);
    count_csv(rd, kind, s, bom, r);
    note_missing(kind, r);
    return r;
  }
  RecordReader rd(path, s.encoding, s.delimiter, r.file);
  r.line_endings = line_endings_of_file(path, r.file).describe();
  count_csv(rd, kind, s, file_starts_with_bom(path), r);
  note_missing(kind, r);
  return r;
}

std::string describe_file(const FileReport& r) {
  std::string s = fmt::format("{}: encoding {}, delimiter {}, line endings {}, {} data rows",
                              r.file, r.encoding, r.delimiter, r.line_endings, r.rows);
  if (r.broken > 0)
    s += fmt::format("; {} broken rows not counted (first: {})", r.broken, r.first_broken);
  return s;
}

std::vector<Column> inspect_output_columns() {
  return {col::text("file"),    col::count("column"), col::text("header"), col::text("field"),
          col::count("filled"), col::count("bad"),    col::text("example")};
}

std::vector<std::vector<std::string>> report_rows(const FileReport& r) {
  std::vector<std::vector<std::string>> rows;
  for (size_t c = 0; c < r.columns.size(); ++c) {
    const ColumnReport& col = r.columns[c];
    rows.push_back({r.file, std::to_string(c + 1), col.header, col.role.field,
                    std::to_string(col.filled), std::to_string(col.bad), col.example});
  }
  return rows;
}

}  // namespace kartoteka
