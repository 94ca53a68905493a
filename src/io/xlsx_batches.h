// A long list's rows written into the xlsx sheet on worker threads (issue 32's budget: a 10^6-row
// list in xlsx within 3 × its csv time).
//
// libxlsxwriter spends ~30 000 instructions a row (printf, a malloc a cell) on one thread, and in
// constant-memory mode it only appends each finished row's XML to the sheet's row file. So the
// rows are cut into batches of kRows; each worker writes its batches into a sheet of its own
// (lxw_worksheet_new, the library's own constructor, with the row file swapped for a memory
// stream); the calling thread appends each batch's XML to the real sheet's row file, in row order.
// Every row's XML is libxlsxwriter's, the same bytes it writes on one thread: cells refer to their
// absolute row, and the formats' style numbers are fixed before the first batch leaves.
//
//   XlsxBatches batches(sheet, cols, c_locale, tmpdir);  // after the sheet's first rows
//   batches.add(r, cells, widths);   // r, r + 1, ... (each row's cells by column)
//   batches.finish(widths);          // every row is in the sheet, the last one still pending
//                                    // there, as after a worksheet_write_* call
//
// The sheet must be in constant-memory mode and get no other writes until finish(). add() and
// finish() throw what put_xlsx_row throws, for the first failing row in row order. Memory: at most
// kInFlight batches of kRows rows and their XML (~2 MB each).
#pragma once
#include <locale.h>
#include <xlsxwriter.h>

#include <memory>
#include <string>
#include <vector>

#include "io/xlsx_cells.h"

namespace kartoteka {

class XlsxBatches {
 public:
  static constexpr size_t kRows = 4096;
  static constexpr size_t kInFlight = 4;

  XlsxBatches(lxw_worksheet* sheet, const XlsxColumns& cols, locale_t c_locale,
              const std::string& tmpdir);
  ~XlsxBatches();
  XlsxBatches(const XlsxBatches&) = delete;
  XlsxBatches& operator=(const XlsxBatches&) = delete;

  void add(lxw_row_t r, const std::vector<std::string>& cells, std::vector<size_t>& widths);
  void finish(std::vector<size_t>& widths);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kartoteka
