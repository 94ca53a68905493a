// Rows written on worker threads, appended in order: see xlsx_batches.h.
#include "io/xlsx_batches.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "base/ordered_jobs.h"
#include "model/errors.h"

namespace kartoteka {
namespace {

struct Batch {
  lxw_row_t first = 0;  // the sheet row of the batch's first row
  size_t rows = 0;
  std::vector<std::string> cells;  // rows × columns, row by row; kept for their buffers
  std::vector<size_t> widths;
  char* xml = nullptr;  // the rows' XML (open_memstream's buffer)
  size_t xml_size = 0;

  Batch() = default;
  Batch(const Batch&) = delete;
  Batch& operator=(const Batch&) = delete;
  ~Batch() { std::free(xml); }
};

// Writes a batch's rows into `sheet`, widening `widths`.
void put_batch(lxw_worksheet* sheet, const XlsxColumns& cols, const Batch& b,
               std::vector<size_t>& widths) {
  const size_t n = cols.titles.size();
  for (size_t k = 0; k < b.rows; ++k)
    put_xlsx_row(sheet, cols, b.first + static_cast<lxw_row_t>(k),
                 std::span<const std::string>(b.cells).subspan(k * n, n), widths);
}

// A worker's own sheet: libxlsxwriter's constructor in constant-memory mode, its row file
// replaced by a memory stream for each batch. Made and used on the worker's thread, which runs
// in the C locale meanwhile (CLocale's reason).
class BatchSheet {
 public:
  BatchSheet(const XlsxColumns& cols, locale_t c_locale, const std::string& tmpdir)
      : cols_(cols), c_(c_locale) {
    lxw_worksheet_init_data init{};
    init.optimize = LXW_TRUE;
    init.tmpdir = const_cast<char*>(tmpdir.c_str());  // read by the constructor only
    sheet_ = lxw_worksheet_new(&init);
    if (!sheet_ || !sheet_->optimize_tmpfile)
      throw InputError("cannot start an xlsx row batch: no temporary file in " + tmpdir +
                       " or no memory");
    std::fclose(sheet_->optimize_tmpfile);  // its row file: a memory stream instead, per batch
    sheet_->optimize_tmpfile = sheet_->file = nullptr;
  }
  ~BatchSheet() { lxw_worksheet_free(sheet_); }
  BatchSheet(const BatchSheet&) = delete;
  BatchSheet& operator=(const BatchSheet&) = delete;

  void write(Batch& b) {
    std::free(b.xml);
    b.xml = nullptr;
    std::FILE* f = open_memstream(&b.xml, &b.xml_size);
    if (!f) throw InputError("cannot write an xlsx row batch (out of memory?)");
    sheet_->optimize_tmpfile = sheet_->file = f;
    b.widths.assign(cols_.titles.size(), 0);
    try {
      put_batch(sheet_, cols_, b, b.widths);
      lxw_worksheet_write_single_row(sheet_);  // the batch's last row
    } catch (...) {
      sheet_->optimize_tmpfile = sheet_->file = nullptr;
      std::fclose(f);
      throw;
    }
    sheet_->optimize_tmpfile = sheet_->file = nullptr;
    if (std::fclose(f) != 0) throw InputError("cannot write an xlsx row batch (out of memory?)");
  }

 private:
  const XlsxColumns& cols_;
  CLocale c_;
  lxw_worksheet* sheet_ = nullptr;
};

}  // namespace

struct XlsxBatches::Impl {
  lxw_worksheet* sheet;
  const XlsxColumns& cols;
  locale_t c_locale;
  std::unique_ptr<Batch> current = std::make_unique<Batch>();
  std::vector<std::unique_ptr<Batch>> spare;
  OrderedJobs<Batch> jobs;

  Impl(lxw_worksheet* s, const XlsxColumns& c, locale_t loc, const std::string& tmpdir)
      : sheet(s), cols(c), c_locale(loc), jobs(0, [&c, loc, tmpdir] {
          return
              [b = std::make_shared<BatchSheet>(c, loc, tmpdir)](Batch& batch) { b->write(batch); };
        }) {}

  void submit(std::vector<size_t>& widths) {
    jobs.push(std::move(current));
    current = take_spare();
    append_ready(kInFlight, widths);
  }

  void append_ready(size_t limit, std::vector<size_t>& widths) {
    jobs.pop_ready(limit, [&](std::unique_ptr<Batch> b) { append(std::move(b), widths); });
  }

  std::unique_ptr<Batch> take_spare() {
    if (spare.empty()) return std::make_unique<Batch>();
    std::unique_ptr<Batch> b = std::move(spare.back());
    spare.pop_back();
    b->rows = 0;
    return b;
  }

  // A written batch's XML goes to the sheet's row file; its widths into the sheet's.
  void append(std::unique_ptr<Batch> b, std::vector<size_t>& widths) {
    if (std::fwrite(b->xml, 1, b->xml_size, sheet->optimize_tmpfile) != b->xml_size)
      throw InputError("cannot write the xlsx workbook's rows (disk full?)");
    for (size_t i = 0; i < widths.size() && i < b->widths.size(); ++i)
      widths[i] = std::max(widths[i], b->widths[i]);
    spare.push_back(std::move(b));
  }
};

XlsxBatches::XlsxBatches(lxw_worksheet* sheet, const XlsxColumns& cols, locale_t c_locale,
                         const std::string& tmpdir)
    : impl_(std::make_unique<Impl>(sheet, cols, c_locale, tmpdir)) {
  CLocale c(c_locale);
  // A format's style number is given on its first use, from the workbook's shared table: given
  // here, in column order, so that workers only read it.
  for (XlsxCell k : cols.kinds)
    if (lxw_format* f = cols.format(k)) lxw_format_get_xf_index(f);
  lxw_worksheet_write_single_row(sheet);  // the sheet's pending row, before the batches' rows
}

XlsxBatches::~XlsxBatches() = default;

void XlsxBatches::add(lxw_row_t r, const std::vector<std::string>& cells,
                      std::vector<size_t>& widths) {
  Impl& m = *impl_;
  const size_t n = m.cols.titles.size();
  if (m.current->rows == kRows) m.submit(widths);
  Batch& b = *m.current;
  if (b.rows == 0) b.first = r;
  if (b.cells.size() < (b.rows + 1) * n) b.cells.resize((b.rows + 1) * n);
  for (size_t i = 0; i < n; ++i)
    b.cells[b.rows * n + i].assign(i < cells.size() ? cells[i] : std::string());
  ++b.rows;
}

void XlsxBatches::finish(std::vector<size_t>& widths) {
  Impl& m = *impl_;
  m.append_ready(1, widths);
  // The last batch is written here, into the sheet itself: its last row stays pending there, and
  // the sheet's dimensions come out as libxlsxwriter counts them.
  CLocale c(m.c_locale);
  put_batch(m.sheet, m.cols, *m.current, widths);
}

}  // namespace kartoteka
