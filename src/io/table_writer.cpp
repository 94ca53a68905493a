// Output formats (SPEC §3, §8.17, §8.19, §8.39–§8.41). See table_writer.h.
#include "io/table_writer.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <iterator>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "io/cell_text.h"
#include "io/xlsx_writer.h"
#include "model/errors.h"

namespace kartoteka {

namespace {

// Output reaches the descriptor in large chunks: one syscall per 64 KiB rather than per row.
constexpr size_t kSinkChunk = 64 * 1024;

[[noreturn]] void throw_write_error(const std::string& name, int err) {
  // A reader that went away (`kartoteka … | head`) is not an error: main() ends quietly.
  if (err == EPIPE) throw OutputClosed();
  throw InputError(fmt::format("cannot write {}: {}", name, std::strerror(err)));
}

using namespace cell_text;  // NOLINT: the per-cell encoders, io/cell_text.h

}  // namespace

std::optional<Format> parse_format(std::string_view name) {
  if (name == "csv") return Format::Csv;
  if (name == "tsv") return Format::Tsv;
  if (name == "jsonl") return Format::Jsonl;
  if (name == "table") return Format::Table;
  if (name == "excel") return Format::Excel;
  if (name == "xlsx") return Format::Xlsx;
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Sink

Sink::Sink(std::FILE* f, std::string name) : f_(f), name_(std::move(name)) {
  buf_.reserve(2 * kSinkChunk);
}

void Sink::write(std::string_view bytes) {
  buf_ += bytes;
  if (buf_.size() >= kSinkChunk) flush();
}

void Sink::flush() {
  // Anything another part of the program put into the FILE's own buffer goes first, so bytes
  // stay in order; ours go to the descriptor directly, for a precise errno and EINTR handling.
  if (std::fflush(f_) != 0) {
    const int err = errno;
    buf_.clear();
    throw_write_error(name_, err ? err : EIO);
  }
  std::string_view rest = buf_;
  const int fd = ::fileno(f_);
  while (!rest.empty()) {
    const ssize_t n = ::write(fd, rest.data(), rest.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      buf_.clear();  // bytes are never retried after a failure
      throw_write_error(name_, err);
    }
    rest.remove_prefix(static_cast<size_t>(n));
  }
  buf_.clear();
}

// ---------------------------------------------------------------------------------------------
// TableWriter

struct TableWriter::Impl {
  Format format;
  Sink& sink;
  std::vector<std::string> titles;
  std::vector<ColumnKind> kinds;
  std::string line;  // reused per row to avoid an allocation per line
  // table only: every flattened cell and each column's width, until finish().
  std::vector<std::vector<std::string>> rows;
  std::vector<size_t> widths;
  WorkbookInfo workbook;
  std::unique_ptr<XlsxWriter> xlsx;  // xlsx only
  bool finished = false;

  Impl(Format f, Sink& s, const std::vector<Column>& columns, WorkbookInfo w)
      : format(f), sink(s), titles(column_titles(columns)), workbook(std::move(w)) {
    kinds.reserve(columns.size());
    for (const auto& c : columns) kinds.push_back(c.kind);
  }

  void write_header() {
    line.clear();
    switch (format) {
      case Format::Excel:
        // The BOM makes Excel read the file as UTF-8 instead of the ANSI code page.
        line += "\xEF\xBB\xBF";
        [[fallthrough]];
      case Format::Csv:
      case Format::Tsv:
        // The titles are a line of text cells.
        format_line(titles, std::vector<ColumnKind>(titles.size(), ColumnKind::Text), line);
        break;
      case Format::Jsonl:  // no header line
        return;
      case Format::Xlsx:  // a workbook of its own, copied to the sink at finish()
        xlsx = std::make_unique<XlsxWriter>(titles, kinds, workbook.sheet, workbook.created);
        return;
      case Format::Table:
        widths.assign(titles.size(), 0);
        add_table_row(titles);
        return;
    }
    sink.write(line);
  }

  void write_row(const std::vector<std::string>& cells) {
    if (format == Format::Table) return add_table_row(cells);
    if (xlsx) return xlsx->row(cells);
    line.clear();
    format_row(cells, line);
    sink.write(line);
  }

  // Table format: the cells flattened into rows, each column's width widened to fit them.
  void add_table_row(const std::vector<std::string>& cells) {
    std::vector<std::string> flat;
    flat.reserve(cells.size());
    for (size_t i = 0; i < cells.size(); ++i) {
      std::string cell;
      append_flattened(cell, cells[i]);
      widths[i] = std::max(widths[i], code_points(cell));
      flat.push_back(std::move(cell));
    }
    rows.push_back(std::move(flat));
  }

  // Appends one csv, tsv or excel line of `cells` to `line`, each cell written as its kind
  // (excel: numbers with a decimal comma, ids and formulas guarded).
  void format_line(const std::vector<std::string>& cells, const std::vector<ColumnKind>& cell_kinds,
                   std::string& line) const {
    switch (format) {
      case Format::Csv:
        for (size_t i = 0; i < cells.size(); ++i) {
          if (i) line += ',';
          append_quoted(line, cells[i], ',');
        }
        line += '\n';
        break;
      case Format::Tsv:
        for (size_t i = 0; i < cells.size(); ++i) {
          if (i) line += '\t';
          append_flattened(line, cells[i]);
        }
        line += '\n';
        break;
      case Format::Excel:
        for (size_t i = 0; i < cells.size(); ++i) {
          if (i) line += ';';
          append_excel_cell(line, cells[i], cell_kinds[i]);
        }
        line += "\r\n";
        break;
      default:
        throw std::logic_error("TableWriter: not a csv, tsv or excel line");
    }
  }

  // Appends one row of any format but table to `line`.
  void format_row(const std::vector<std::string>& cells, std::string& line) const {
    switch (format) {
      case Format::Csv:
      case Format::Tsv:
      case Format::Excel:
        format_line(cells, kinds, line);
        break;
      case Format::Jsonl:
        line += '{';
        for (size_t i = 0; i < cells.size(); ++i) {
          if (i) line += ',';
          append_json_string(line, titles[i]);
          line += ':';
          const std::string& v = cells[i];
          if (v.empty()) {
            line += "null";
          } else if (is_numeric(kinds[i]) && is_plain_number(v)) {
            line += v;
          } else if (kinds[i] == ColumnKind::Boolean && (v == "true" || v == "false")) {
            line += v;
          } else {
            append_json_string(line, v);
          }
        }
        line += "}\n";
        break;
      case Format::Table:
      case Format::Xlsx:
        throw std::logic_error("TableWriter: table and xlsx rows are not formatted apart");
    }
  }

  // rows[0] is the header: titles are always left-aligned, numbers right-aligned below them.
  void write_table() {
    for (size_t r = 0; r < rows.size(); ++r) {
      line.clear();
      for (size_t i = 0; i < rows[r].size(); ++i) {
        if (i) line += "  ";
        const std::string& cell = rows[r][i];
        const size_t pad = widths[i] - code_points(cell);
        if (r > 0 && is_numeric(kinds[i])) {
          line.append(pad, ' ');
          line += cell;
        } else {
          line += cell;
          line.append(pad, ' ');
        }
      }
      const size_t end = line.find_last_not_of(' ');
      line.resize(end == std::string::npos ? 0 : end + 1);
      line += '\n';
      sink.write(line);
    }
    rows.clear();
  }
};

TableWriter::TableWriter(Format format, Sink& sink, const std::vector<Column>& columns,
                         WorkbookInfo workbook)
    : impl_(std::make_unique<Impl>(format, sink, columns, std::move(workbook))) {
  impl_->write_header();
}

// Nothing is written here: a writer destroyed without finish() belongs to a failed run, whose
// buffered output must not appear.
TableWriter::~TableWriter() = default;

void TableWriter::row(const std::vector<std::string>& cells) {
  if (cells.size() != impl_->titles.size()) {
    throw std::logic_error(fmt::format("TableWriter::row: {} cells for {} columns", cells.size(),
                                       impl_->titles.size()));
  }
  if (impl_->finished) throw std::logic_error("TableWriter::row after finish()");
  impl_->write_row(cells);
}

bool TableWriter::apart() const {
  return impl_->format != Format::Table && impl_->format != Format::Xlsx;
}

void TableWriter::format_row(const std::vector<std::string>& cells, std::string& out) const {
  if (cells.size() != impl_->titles.size()) {
    throw std::logic_error(fmt::format("TableWriter::format_row: {} cells for {} columns",
                                       cells.size(), impl_->titles.size()));
  }
  impl_->format_row(cells, out);
}

void TableWriter::write_formatted(std::string_view rows) {
  if (impl_->finished) throw std::logic_error("TableWriter::write_formatted after finish()");
  impl_->sink.write(rows);
}

void TableWriter::finish() {
  if (!impl_->finished) {
    impl_->finished = true;
    if (impl_->format == Format::Table) impl_->write_table();
    if (impl_->xlsx) impl_->xlsx->finish(impl_->sink);
  }
  impl_->sink.flush();
}

}  // namespace kartoteka
