// One data row's cells into a libxlsxwriter sheet, each by its column's kind (SPEC §3, §8.39):
// what XlsxWriter does per row, on its own sheet or on a batch sheet of io/xlsx_batches.h.
//
//   XlsxColumns cols{titles, kinds, count_fmt, money_fmt, date_fmt};
//   CLocale c(c_locale);                          // numbers are printed in the C locale
//   put_xlsx_row(sheet, cols, row_number, cells, widths);
//
// `cells` holds the row's values by column, printed as csv prints them. Empty values are empty
// cells; a value that does not parse as its kind is text.
// `widths[i]` grows to the widest shown value of column i. Throws InputError naming the row and
// column (a cell over 32 767 characters says to use csv).
#pragma once
#include <locale.h>
#include <xlsxwriter.h>

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "io/xlsx_writer.h"

namespace kartoteka {

struct XlsxColumns {
  std::vector<std::string> titles;
  std::vector<XlsxCell> kinds;  // one per title
  lxw_format* count = nullptr;
  lxw_format* money = nullptr;
  lxw_format* date = nullptr;

  // The number format of a column of this kind: none for decimals, text and booleans.
  lxw_format* format(XlsxCell kind) const {
    return kind == XlsxCell::Count   ? count
           : kind == XlsxCell::Money ? money
           : kind == XlsxCell::Date  ? date
                                     : nullptr;
  }
};

void put_xlsx_row(lxw_worksheet* sheet, const XlsxColumns& cols, lxw_row_t r,
                  std::span<const std::string> cells, std::vector<size_t>& widths);

// A text cell (the header's titles too).
void put_xlsx_string(lxw_worksheet* sheet, const XlsxColumns& cols, lxw_row_t r, size_t col,
                     const std::string& v, lxw_format* f);

// libxlsxwriter prints numbers with printf("%.16G"): under a comma LC_NUMERIC (ru_RU) that would
// write `1234,5` into the XML. Every call into the library runs with its thread in the C locale
// (uselocale is per thread and leaves the process's setlocale alone).
class CLocale {
 public:
  explicit CLocale(locale_t c) : old_(c ? uselocale(c) : nullptr) {}
  ~CLocale() {
    if (old_) uselocale(old_);
  }
  CLocale(const CLocale&) = delete;
  CLocale& operator=(const CLocale&) = delete;

 private:
  locale_t old_;
};

[[noreturn]] void xlsx_fail(std::string_view what, lxw_error err);

}  // namespace kartoteka
