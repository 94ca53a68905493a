// `--format xlsx` (SPEC §3, §8.61): an Office Open XML workbook written with libxlsxwriter in its
// constant-memory mode (rows go to a temporary file as they come, so a 10^6-row list does not grow
// memory). One sheet named after the command; a bold, frozen header with an autofilter over the
// data; column widths fitted to the content (at most 60 characters); typed cells:
//   numeric columns (§8.39)  numbers — counts `0`, money `#,##0.00`, other decimals General
//   date columns             real dates shown DD.MM.YYYY (a value that is not YYYY-MM-DD: text)
//   boolean columns          booleans
//   everything else          strings (`000123`, `+79161234567` stay text; `=…` is never a formula)
// An empty value is an empty cell. Same rows, sheet and day → the same bytes: the workbook's
// creation time is the given day at 00:00 UTC, and numbers are written in the C locale whatever
// the process's LC_NUMERIC.
//
//   XlsxWriter x({"id", "visits"}, {ColumnKind::Id, ColumnKind::Integer}, "segment", as_of);
//   x.row({"000123", "3"});
//   x.finish(sink);   // the workbook's bytes, all at once
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "io/table_writer.h"
#include "model/date.h"

namespace kartoteka {

// Data rows a sheet holds under its header (Excel's 1 048 576 rows, less one).
inline constexpr size_t kXlsxMaxRows = 1048575;

// How a column's cells are written, by its kind.
enum class XlsxCell { Text, Count, Money, Decimal, Date, Boolean };
XlsxCell xlsx_cell(ColumnKind kind);

class XlsxWriter {
 public:
  // Starts the workbook in a temporary file (under $TMPDIR, else /tmp; mode 0600) and writes the
  // header; each column's cells are written by its kind (one per title). `max_rows` exists for
  // tests of the limit. Throws InputError when the temporary file cannot be created.
  XlsxWriter(std::vector<std::string> titles, const std::vector<ColumnKind>& kinds,
             const std::string& sheet, Day created, size_t max_rows = kXlsxMaxRows);
  ~XlsxWriter();  // removes the temporary file
  XlsxWriter(const XlsxWriter&) = delete;
  XlsxWriter& operator=(const XlsxWriter&) = delete;

  // One data row (as many cells as titles, printed as csv prints them). More than max_rows rows
  // is an InputError that says to use csv.
  void row(const std::vector<std::string>& cells);
  // Sets the widths and the autofilter, closes the workbook and writes its bytes to `sink`.
  void finish(Sink& sink);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kartoteka
