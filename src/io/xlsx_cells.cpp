// Typed cells of one xlsx row: see xlsx_cells.h.
#include "io/xlsx_cells.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

#include "model/date.h"
#include "model/errors.h"
#include "model/text.h"

namespace kartoteka {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// A number as csv prints numeric columns: -?digits(.digits)?. Anything else in a numeric column
// is written as text, so odd data never becomes a wrong number.
bool parse_number(const std::string& s, double& out) {
  size_t i = !s.empty() && s[0] == '-' ? 1 : 0;
  const size_t first = i;
  while (i < s.size() && is_digit(s[i])) ++i;
  if (i == first) return false;
  if (i < s.size() && s[i] == '.') {
    const size_t frac = ++i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == frac) return false;
  }
  if (i != s.size()) return false;
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);  // the C locale is in force (CLocale)
  return end == s.c_str() + s.size();
}

// YYYY-MM-DD, as csv prints dates; Excel's calendar starts in 1900.
bool parse_iso_date(const std::string& s, lxw_datetime& out) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!is_digit(s[i])) return false;
  auto digits = [&s](size_t at, size_t n) {  // the digits were checked above
    int v = 0;
    for (size_t i = at; i < at + n; ++i) v = v * 10 + (s[i] - '0');
    return v;
  };
  const int y = digits(0, 4), m = digits(5, 2), d = digits(8, 2);
  if (y < 1900 || !is_valid_ymd(y, m, d)) return false;
  out = lxw_datetime{y, m, d, 0, 0, 0.0};
  return true;
}

// Width in characters of a money value as a spreadsheet shows it (thousands separators added).
size_t money_width(const std::string& v) {
  const size_t dot = v.find('.');
  const size_t int_digits = (dot == std::string::npos ? v.size() : dot) - (v[0] == '-' ? 1 : 0);
  return v.size() + (int_digits > 0 ? (int_digits - 1) / 3 : 0);
}

[[noreturn]] void fail_cell(const XlsxColumns& cols, lxw_row_t r, size_t col, lxw_error e) {
  xlsx_fail(fmt::format("row {}, column \"{}\"", r, cols.titles[col]), e);
}

// One non-empty cell; returns its width in characters as a spreadsheet shows it, or at most
// `known` when it cannot be wider than that (a text's code points are never more than its
// bytes, so most cells of a long list are not counted: counting was ~1% of the command's CPU
// on a 10^6-row list).
size_t put(lxw_worksheet* sheet, const XlsxColumns& cols, lxw_row_t r, size_t col,
           const std::string& v, size_t known) {
  const auto c = static_cast<lxw_col_t>(col);
  const XlsxCell kind = cols.kinds[col];
  double num = 0;
  lxw_datetime dt{};
  lxw_error e = LXW_NO_ERROR;
  switch (kind) {
    case XlsxCell::Count:
    case XlsxCell::Money:
    case XlsxCell::Decimal:
      if (!parse_number(v, num)) break;
      e = worksheet_write_number(sheet, r, c, num, cols.format(kind));
      if (e) fail_cell(cols, r, col, e);
      return kind == XlsxCell::Money ? money_width(v) : v.size();
    case XlsxCell::Date:
      if (!parse_iso_date(v, dt)) break;
      e = worksheet_write_datetime(sheet, r, c, &dt, cols.format(kind));
      if (e) fail_cell(cols, r, col, e);
      return 10;
    case XlsxCell::Boolean:
      if (v != "true" && v != "false") break;
      e = worksheet_write_boolean(sheet, r, c, v == "true", nullptr);
      if (e) fail_cell(cols, r, col, e);
      return 5;  // FALSE
    case XlsxCell::Text:
      break;
  }
  put_xlsx_string(sheet, cols, r, col, v, nullptr);
  return v.size() <= known ? known : utf8_length(v);
}

}  // namespace

void put_xlsx_string(lxw_worksheet* sheet, const XlsxColumns& cols, lxw_row_t r, size_t col,
                     const std::string& v, lxw_format* f) {
  const lxw_error e = worksheet_write_string(sheet, r, static_cast<lxw_col_t>(col), v.c_str(), f);
  if (e == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED)
    throw InputError(fmt::format(
        "xlsx: row {}, column \"{}\": a cell holds more than 32 767 characters (use csv)", r,
        cols.titles[col]));
  if (e) fail_cell(cols, r, col, e);
}

void put_xlsx_row(lxw_worksheet* sheet, const XlsxColumns& cols, lxw_row_t r,
                  std::span<const std::string> cells, std::vector<size_t>& widths) {
  for (size_t i = 0; i < cells.size() && i < cols.titles.size(); ++i) {
    if (cells[i].empty()) continue;  // an empty value is an empty cell
    widths[i] = std::max(widths[i], put(sheet, cols, r, i, cells[i], widths[i]));
  }
}

void xlsx_fail(std::string_view what, lxw_error err) {
  throw InputError(fmt::format("cannot write the xlsx workbook: {}: {}", what, lxw_strerror(err)));
}

}  // namespace kartoteka
