// Output formats (SPEC §3, §8.17, §8.19, §8.39–§8.41). Cells arrive already formatted the way csv
// prints them (dates YYYY-MM-DD, money 1234.50, booleans true/false, missing = ""); the writer
// is given each column's kind (§8.39) as the rule stated it (model/column.h) and renders csv,
// tsv, jsonl, table, excel or xlsx.
//
//   TableWriter w(Format::Csv, out, {{"id", ColumnKind::Id}, {"visits", ColumnKind::Integer}}, {});
//   w.row({"000123", "Иванов", "3"});
//   w.finish();
#pragma once
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/column.h"
#include "model/date.h"

namespace kartoteka {

enum class Format { Csv, Tsv, Jsonl, Table, Excel, Xlsx };

// "csv" "tsv" "jsonl" "table" "excel" "xlsx".
std::optional<Format> parse_format(std::string_view name);

// Where rows go: a FILE* (stdout or a temporary file). Throws OutputClosed on EPIPE and
// InputError("cannot write …") on other write errors.
class Sink {
 public:
  explicit Sink(std::FILE* f, std::string name = "stdout");
  void write(std::string_view bytes);
  void flush();

 private:
  std::FILE* f_;
  std::string name_;
  std::string buf_;
};

// What an xlsx workbook needs beyond the rows (io/xlsx_writer.h): its sheet's name (the command's)
// and the day that is its creation time.
struct WorkbookInfo {
  std::string sheet;
  Day created = 0;
};

class TableWriter {
 public:
  // Each column rendered by its kind (model/column.h).
  TableWriter(Format format, Sink& sink, const std::vector<Column>& columns, WorkbookInfo workbook);
  ~TableWriter();
  // One data row; cells.size() must equal the number of columns.
  void row(const std::vector<std::string>& cells);
  // Writes what is buffered (table format aligns all rows at the end) and flushes.
  void finish();

  // For writing rows formatted on another thread: every format but table renders a row on its
  // own (no state from row to row), so format_row() appends exactly the bytes row() would write,
  // touching nothing of the writer (two threads may call it at once), and write_formatted()
  // writes such bytes in their place. Table and xlsx formats: apart() is false and format_row()
  // throws std::logic_error.
  bool apart() const;
  void format_row(const std::vector<std::string>& cells, std::string& out) const;
  void write_formatted(std::string_view rows);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Writes rows 0 … n−1 through `w` (w.apart()) in that order, row i's cells (a vector of `width`
// strings, holding what that fill left in it) set by a fill from make_fill(). The rows are taken
// in chunks of a thousand, chunk by chunk alternately on this thread and on a second one, each
// thread with its own fill (make_fill() is called once on each): a fill may only read what the
// two share. Bytes come out as row() after row() would write them. An exception from a fill or
// from writing stops both threads and is rethrown here; rows before it are written.
using RowFiller = std::function<void(size_t i, std::vector<std::string>& cells)>;
void write_rows_on_two_threads(TableWriter& w, size_t n, size_t width,
                               const std::function<RowFiller()>& make_fill);

}  // namespace kartoteka
