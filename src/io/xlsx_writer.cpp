// `--format xlsx` with libxlsxwriter: see xlsx_writer.h.
#include "io/xlsx_writer.h"

#include <fmt/format.h>
#include <locale.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>

#include "io/xlsx_deflate.h"
#include "model/errors.h"
#include "model/text.h"

namespace kartoteka {

namespace {

constexpr double kMaxWidth = 60;  // characters (§3)

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
  out = std::strtod(s.c_str(), &end);  // the C locale is in force (CLocale below)
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

// libxlsxwriter prints numbers with printf("%.16G"): under a comma LC_NUMERIC (ru_RU) that would
// write `1234,5` into the XML. Every call into the library runs with this thread in the C locale
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

[[noreturn]] void fail(std::string_view what, lxw_error err) {
  throw InputError(fmt::format("cannot write the xlsx workbook: {}: {}", what, lxw_strerror(err)));
}

}  // namespace

XlsxCell xlsx_cell(ColumnKind kind) {
  // Indexed by ColumnKind: ids are text cells in a workbook too.
  static constexpr XlsxCell kCells[] = {XlsxCell::Text,    XlsxCell::Text,  XlsxCell::Count,
                                        XlsxCell::Decimal, XlsxCell::Money, XlsxCell::Date,
                                        XlsxCell::Boolean};
  static_assert(std::size(kCells) == static_cast<size_t>(ColumnKind::Boolean) + 1);
  return kCells[static_cast<size_t>(kind)];
}

struct XlsxWriter::Impl {
  std::vector<std::string> titles;
  std::vector<XlsxCell> kinds;
  std::vector<size_t> widths;  // characters, per column
  size_t max_rows;
  size_t rows = 0;
  std::string path;  // the temporary workbook
  locale_t c_locale = nullptr;
  lxw_workbook* book = nullptr;
  lxw_worksheet* sheet = nullptr;
  lxw_format *bold = nullptr, *count = nullptr, *money = nullptr, *date = nullptr;
  std::vector<char> row_file_buffer;  // the rows' temporary file's stdio buffer: outlives the file

  ~Impl() {
    // A failed run: the workbook is freed without being zipped (workbook_close would compress
    // every row written so far, only for it to be deleted). lxw_workbook_free leaves the sheet's
    // constant-memory row file open, so it is closed here (tmpfile(): already unlinked).
    if (book) {
      if (sheet && sheet->optimize_tmpfile) {
        std::fclose(sheet->optimize_tmpfile);
        sheet->optimize_tmpfile = nullptr;
      }
      lxw_workbook_free(book);
    }
    if (!path.empty()) ::unlink(path.c_str());
    if (c_locale) freelocale(c_locale);
  }

  void open(const std::string& sheet_name, Day created) {
    const char* env = std::getenv("TMPDIR");
    const std::string dir = env && *env ? env : "/tmp";
    std::string tmpl = dir + "/kartoteka-xlsx.XXXXXX";
    const int fd = ::mkstemp(tmpl.data());  // 0600: the workbook holds patient data
    if (fd < 0)
      throw InputError(
          fmt::format("cannot create a temporary file in {}: {}", dir, std::strerror(errno)));
    ::close(fd);
    path = tmpl;
    c_locale = newlocale(LC_ALL_MASK, "C", static_cast<locale_t>(nullptr));
    CLocale c(c_locale);
    lxw_workbook_options opt{};
    opt.constant_memory = LXW_TRUE;
    opt.tmpdir = const_cast<char*>(dir.c_str());  // read during workbook_new_opt only
    book = workbook_new_opt(path.c_str(), &opt);
    if (!book) throw InputError("cannot start the xlsx workbook (out of memory?)");
    lxw_doc_properties props{};
    props.created = static_cast<time_t>(created) * 86400;  // the day at 00:00 UTC
    if (lxw_error e = workbook_set_properties(book, &props)) fail("properties", e);
    sheet = workbook_add_worksheet(book, sheet_name.c_str());
    if (!sheet) throw InputError(fmt::format("cannot add the xlsx sheet \"{}\"", sheet_name));
    // The rows' temporary file (constant-memory mode) gets a 1 MiB stdio buffer instead of 4 KiB:
    // its ~330 bytes a row are written, then read back once, in 256× fewer system calls. Set
    // before the first row reaches the file, as setvbuf requires.
    if (sheet->optimize_tmpfile) {
      row_file_buffer.resize(1 << 20);
      std::setvbuf(sheet->optimize_tmpfile, row_file_buffer.data(), _IOFBF, row_file_buffer.size());
    }
    bold = workbook_add_format(book);
    format_set_bold(bold);
    count = workbook_add_format(book);
    format_set_num_format(count, "0");
    money = workbook_add_format(book);
    format_set_num_format(money, "#,##0.00");
    date = workbook_add_format(book);
    format_set_num_format(date, "dd.mm.yyyy");
  }

  void write_header() {
    CLocale c(c_locale);
    for (size_t i = 0; i < titles.size(); ++i) {
      put_string(0, i, titles[i], bold);
      widths[i] = utf8_length(titles[i]) + 2;  // room for the autofilter's button
    }
    worksheet_freeze_panes(sheet, 1, 0);
  }

  void put_string(lxw_row_t r, size_t col, const std::string& v, lxw_format* f) {
    const lxw_error e = worksheet_write_string(sheet, r, static_cast<lxw_col_t>(col), v.c_str(), f);
    if (e == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED)
      throw InputError(fmt::format(
          "xlsx: row {}, column \"{}\": a cell holds more than 32 767 characters (use csv)", r,
          titles[col]));
    if (e) fail(fmt::format("row {}, column \"{}\"", r, titles[col]), e);
  }

  // One non-empty cell; returns its width in characters as a spreadsheet shows it, or at most
  // `known` when it cannot be wider than that (a text's code points are never more than its
  // bytes, so most cells of a long list are not counted: counting was ~1% of the command's CPU
  // on a 10^6-row list).
  size_t put(lxw_row_t r, size_t col, const std::string& v, size_t known) {
    const auto c = static_cast<lxw_col_t>(col);
    double num = 0;
    lxw_datetime dt{};
    lxw_error e = LXW_NO_ERROR;
    switch (kinds[col]) {
      case XlsxCell::Count:
      case XlsxCell::Money:
      case XlsxCell::Decimal:
        if (!parse_number(v, num)) break;
        e = worksheet_write_number(sheet, r, c, num,
                                   kinds[col] == XlsxCell::Count   ? count
                                   : kinds[col] == XlsxCell::Money ? money
                                                                   : nullptr);
        if (e) fail(fmt::format("row {}, column \"{}\"", r, titles[col]), e);
        return kinds[col] == XlsxCell::Money ? money_width(v) : v.size();
      case XlsxCell::Date:
        if (!parse_iso_date(v, dt)) break;
        e = worksheet_write_datetime(sheet, r, c, &dt, date);
        if (e) fail(fmt::format("row {}, column \"{}\"", r, titles[col]), e);
        return 10;
      case XlsxCell::Boolean:
        if (v != "true" && v != "false") break;
        e = worksheet_write_boolean(sheet, r, c, v == "true", nullptr);
        if (e) fail(fmt::format("row {}, column \"{}\"", r, titles[col]), e);
        return 5;  // FALSE
      case XlsxCell::Text:
        break;
    }
    put_string(r, col, v, nullptr);
    return v.size() <= known ? known : utf8_length(v);
  }
};

XlsxWriter::XlsxWriter(std::vector<std::string> titles, const std::vector<ColumnKind>& kinds,
                       const std::string& sheet, Day created, size_t max_rows)
    : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.titles = std::move(titles);
  for (ColumnKind k : kinds) m.kinds.push_back(xlsx_cell(k));
  m.widths.resize(m.titles.size());
  m.max_rows = max_rows;
  m.open(sheet.empty() ? std::string("kartoteka") : sheet, created);
  m.write_header();
}

XlsxWriter::~XlsxWriter() = default;

void XlsxWriter::row(const std::vector<std::string>& cells) {
  Impl& m = *impl_;
  if (m.rows == m.max_rows)
    throw InputError(fmt::format(
        "the list has more than {} rows, more than an xlsx sheet holds: use --format csv",
        m.max_rows));
  ++m.rows;
  CLocale c(m.c_locale);
  const auto r = static_cast<lxw_row_t>(m.rows);
  for (size_t i = 0; i < cells.size() && i < m.titles.size(); ++i) {
    if (cells[i].empty()) continue;  // an empty value is an empty cell
    m.widths[i] = std::max(m.widths[i], m.put(r, i, cells[i], m.widths[i]));
  }
}

void XlsxWriter::finish(Sink& sink) {
  Impl& m = *impl_;
  {
    CLocale c(m.c_locale);
    const auto last = static_cast<lxw_col_t>(m.titles.empty() ? 0 : m.titles.size() - 1);
    for (size_t i = 0; i < m.titles.size(); ++i) {
      const double w = std::min(kMaxWidth, static_cast<double>(m.widths[i]) + 1);
      const auto col = static_cast<lxw_col_t>(i);
      if (lxw_error e = worksheet_set_column(m.sheet, col, col, w, nullptr)) fail("widths", e);
    }
    if (lxw_error e = worksheet_autofilter(m.sheet, 0, 0, static_cast<lxw_row_t>(m.rows), last))
      fail("autofilter", e);
    lxw_workbook* book = m.book;
    m.book = nullptr;  // workbook_close frees it, whatever it returns
    FastDeflate fast;  // the zip at level 1: xlsx_deflate.h
    if (lxw_error e = workbook_close(book)) fail(m.path, e);
  }
  std::FILE* f = std::fopen(m.path.c_str(), "rb");
  if (!f) throw InputError(fmt::format("cannot read {}: {}", m.path, std::strerror(errno)));
  std::string buf(64 * 1024, '\0');
  size_t n;
  try {
    while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) sink.write({buf.data(), n});
  } catch (...) {
    std::fclose(f);
    throw;
  }
  const bool bad = std::ferror(f);
  std::fclose(f);
  if (bad) throw InputError(fmt::format("cannot read {}", m.path));
}

}  // namespace kartoteka
