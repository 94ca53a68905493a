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

#include "io/xlsx_batches.h"
#include "io/xlsx_cells.h"
#include "io/xlsx_deflate.h"
#include "model/errors.h"
#include "model/text.h"

namespace kartoteka {

namespace {
constexpr double kMaxWidth = 60;  // characters (§3)
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
  XlsxColumns cols;            // titles, kinds and the data cells' formats
  std::vector<size_t> widths;  // characters, per column
  size_t max_rows;
  size_t rows = 0;
  std::string path;  // the temporary workbook
  locale_t c_locale = nullptr;
  lxw_workbook* book = nullptr;
  lxw_worksheet* sheet = nullptr;
  lxw_format* bold = nullptr;
  std::vector<char> row_file_buffer;  // the rows' temporary file's stdio buffer: outlives the file
  std::string dir;                    // temporary files go here
  std::unique_ptr<XlsxBatches> batches;  // rows past the first batch: xlsx_batches.h

  ~Impl() {
    batches.reset();  // its workers use the book's formats: stopped first
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
    dir = env && *env ? env : "/tmp";
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
    if (lxw_error e = workbook_set_properties(book, &props)) xlsx_fail("properties", e);
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
    cols.count = workbook_add_format(book);
    format_set_num_format(cols.count, "0");
    cols.money = workbook_add_format(book);
    format_set_num_format(cols.money, "#,##0.00");
    cols.date = workbook_add_format(book);
    format_set_num_format(cols.date, "dd.mm.yyyy");
  }

  void write_header() {
    CLocale c(c_locale);
    for (size_t i = 0; i < cols.titles.size(); ++i) {
      put_xlsx_string(sheet, cols, 0, i, cols.titles[i], bold);
      widths[i] = utf8_length(cols.titles[i]) + 2;  // room for the autofilter's button
    }
    worksheet_freeze_panes(sheet, 1, 0);
  }
};

XlsxWriter::XlsxWriter(std::vector<std::string> titles, const std::vector<ColumnKind>& kinds,
                       const std::string& sheet, Day created, size_t max_rows)
    : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.cols.titles = std::move(titles);
  for (ColumnKind k : kinds) m.cols.kinds.push_back(xlsx_cell(k));
  m.widths.resize(m.cols.titles.size());
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
  const auto r = static_cast<lxw_row_t>(m.rows);
  if (m.rows <= XlsxBatches::kRows) {  // a short list, or a long one's start: written here
    CLocale c(m.c_locale);
    put_xlsx_row(m.sheet, m.cols, r, cells, m.widths);
    return;
  }
  if (!m.batches) m.batches = std::make_unique<XlsxBatches>(m.sheet, m.cols, m.c_locale, m.dir);
  m.batches->add(r, cells, m.widths);
}

void XlsxWriter::finish(Sink& sink) {
  Impl& m = *impl_;
  if (m.batches) {
    m.batches->finish(m.widths);
    m.batches.reset();
  }
  {
    CLocale c(m.c_locale);
    const auto last = static_cast<lxw_col_t>(m.cols.titles.empty() ? 0 : m.cols.titles.size() - 1);
    for (size_t i = 0; i < m.cols.titles.size(); ++i) {
      const double w = std::min(kMaxWidth, static_cast<double>(m.widths[i]) + 1);
      const auto col = static_cast<lxw_col_t>(i);
      if (lxw_error e = worksheet_set_column(m.sheet, col, col, w, nullptr)) xlsx_fail("widths", e);
    }
    if (lxw_error e = worksheet_autofilter(m.sheet, 0, 0, static_cast<lxw_row_t>(m.rows), last))
      xlsx_fail("autofilter", e);
    lxw_workbook* book = m.book;
    m.book = nullptr;  // workbook_close frees it, whatever it returns
    FastDeflate fast;  // the zip at level 1: xlsx_deflate.h
    if (lxw_error e = workbook_close(book)) xlsx_fail(m.path, e);
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
