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

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// A number exactly as csv prints numeric columns and as JSON accepts it: -?(0|[1-9]d*)(.d+)?.
// Used to decide whether a numeric column's value may be written bare (jsonl) or with a decimal
// comma (excel); anything else in such a column is treated as text, so odd data can never produce
// invalid JSON or a spreadsheet formula.
bool is_plain_number(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  if (i == s.size() || !is_digit(s[i])) return false;
  if (s[i] == '0') {
    ++i;
  } else {
    while (i < s.size() && is_digit(s[i])) ++i;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (i == s.size() || !is_digit(s[i])) return false;
    while (i < s.size() && is_digit(s[i])) ++i;
  }
  return i == s.size();
}

bool is_numeric(ColumnKind k) {
  return k == ColumnKind::Integer || k == ColumnKind::Decimal;
}

// Number of code points; a byte that does not start a well-formed UTF-8 sequence counts as one.
size_t code_points(std::string_view s) {
  size_t n = 0;
  size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    size_t len = 1;
    if (b >= 0xC2 && b <= 0xDF) {
      len = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      len = 3;
    } else if (b >= 0xF0 && b <= 0xF4) {
      len = 4;
    }
    if (len > 1) {
      if (i + len > s.size()) {
        len = 1;
      } else {
        for (size_t k = 1; k < len; ++k) {
          if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) {
            len = 1;
            break;
          }
        }
      }
    }
    i += len;
    ++n;
  }
  return n;
}

// tsv and table cannot show line structure inside a cell: TAB, CR and LF become one space each,
// except that a CRLF pair (a Windows line break) becomes a single space.
void append_flattened(std::string& out, std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') {
      out += ' ';
      ++i;
    } else if (c == '\t' || c == '\r' || c == '\n') {
      out += ' ';
    } else {
      out += c;
    }
  }
}

// RFC 4180 quoting, only where needed (§8.17): the delimiter, `"`, CR or LF force quotes.
void append_quoted(std::string& out, std::string_view s, char delim) {
  // One pass with plain compares: find_first_of calls memchr once per character of `s`.
  const bool needs = std::any_of(s.begin(), s.end(), [delim](char c) {
    return c == '"' || c == '\r' || c == '\n' || c == delim;
  });
  if (!needs) {
    out += s;
    return;
  }
  out += '"';
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (u < 0x20) {
          fmt::format_to(std::back_inserter(out), "\\u{:04x}", u);
        } else {
          out += c;  // non-ASCII stays raw UTF-8 (§8.40)
        }
    }
  }
  out += '"';
}

// A value a spreadsheet would turn into a number and so lose: leading zeros (`000123`), a `+`
// (`+79123456789`), or more than 15 digits (beyond double precision).
bool looks_like_identifier(std::string_view s) {
  const size_t start = (!s.empty() && s[0] == '+') ? 1 : 0;
  const size_t digits = s.size() - start;
  if (digits == 0) return false;
  for (size_t i = start; i < s.size(); ++i) {
    if (!is_digit(s[i])) return false;
  }
  return s[0] == '+' || s[0] == '0' || digits > 15;
}

// excel cell (§8.19): text rules (identifier protection, formula-injection guard) for non-numeric
// columns and for numeric columns whose value is not a plain number; decimal comma for numbers in
// Decimal columns; then csv quoting with `;`.
void append_excel_cell(std::string& out, std::string_view v, ColumnKind kind) {
  std::string cell;
  if (is_numeric(kind) && is_plain_number(v)) {
    cell.assign(v);
    if (kind == ColumnKind::Decimal) std::replace(cell.begin(), cell.end(), '.', ',');
  } else if (looks_like_identifier(v)) {
    cell = fmt::format("=\"{}\"", v);
  } else if (!v.empty() && std::string_view{"=+-@\t\r"}.find(v[0]) != std::string_view::npos) {
    cell = fmt::format("'{}", v);
  } else {
    cell.assign(v);
  }
  append_quoted(out, cell, ';');
}

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

  Impl(Format f, Sink& s, std::vector<std::string> t, WorkbookInfo w)
      : format(f), sink(s), titles(std::move(t)), workbook(std::move(w)) {
    kinds.reserve(titles.size());
    for (const auto& title : titles) kinds.push_back(column_kind(title));
    // In rfm --model's row `r` is the BG/NBD parameter, not the RFM score (§8.51).
    if (std::find(titles.begin(), titles.end(), "bgnbd_log_likelihood") != titles.end())
      for (size_t i = 0; i < titles.size(); ++i)
        if (titles[i] == "r") kinds[i] = ColumnKind::Decimal;
  }

  void write_header() {
    line.clear();
    switch (format) {
      case Format::Csv:
        for (size_t i = 0; i < titles.size(); ++i) {
          if (i) line += ',';
          append_quoted(line, titles[i], ',');
        }
        line += '\n';
        break;
      case Format::Tsv:
        for (size_t i = 0; i < titles.size(); ++i) {
          if (i) line += '\t';
          append_flattened(line, titles[i]);
        }
        line += '\n';
        break;
      case Format::Excel:
        // The BOM makes Excel read the file as UTF-8 instead of the ANSI code page.
        line += "\xEF\xBB\xBF";
        for (size_t i = 0; i < titles.size(); ++i) {
          if (i) line += ';';
          append_excel_cell(line, titles[i], ColumnKind::Text);
        }
        line += "\r\n";
        break;
      case Format::Jsonl:  // no header line
        return;
      case Format::Xlsx:  // a workbook of its own, copied to the sink at finish()
        xlsx = std::make_unique<XlsxWriter>(titles, workbook.sheet, workbook.created);
        return;
      case Format::Table: {
        std::vector<std::string> cells;
        for (const auto& title : titles) {
          std::string cell;
          append_flattened(cell, title);
          widths.push_back(code_points(cell));
          cells.push_back(std::move(cell));
        }
        rows.push_back(std::move(cells));
        return;
      }
    }
    sink.write(line);
  }

  void write_row(const std::vector<std::string>& cells) {
    if (format == Format::Table) {
      std::vector<std::string> flat;
      flat.reserve(cells.size());
      for (size_t i = 0; i < cells.size(); ++i) {
        std::string cell;
        append_flattened(cell, cells[i]);
        widths[i] = std::max(widths[i], code_points(cell));
        flat.push_back(std::move(cell));
      }
      rows.push_back(std::move(flat));
      return;
    }
    if (xlsx) return xlsx->row(cells);
    line.clear();
    format_row(cells, line);
    sink.write(line);
  }

  // Appends one row of any format but table to `line`.
  void format_row(const std::vector<std::string>& cells, std::string& line) const {
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
          append_excel_cell(line, cells[i], kinds[i]);
        }
        line += "\r\n";
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

TableWriter::TableWriter(Format format, Sink& sink, std::vector<std::string> titles,
                         WorkbookInfo workbook)
    : impl_(std::make_unique<Impl>(format, sink, std::move(titles), std::move(workbook))) {
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

void write_rows_on_two_threads(TableWriter& w, size_t n, size_t width,
                               const std::function<RowFiller()>& make_fill) {
  constexpr size_t kChunk = 1024;  // rows: ~100 KB of text, a few cache misses' worth of rows
  constexpr size_t kAhead = 2;     // chunks the second thread may have ready before they are due
  const size_t chunks = (n + kChunk - 1) / kChunk;
  auto format_chunk = [&](const RowFiller& fill, std::vector<std::string>& cells, size_t c,
                          std::string& out) {
    out.clear();
    for (size_t i = c * kChunk; i < std::min(n, (c + 1) * kChunk); ++i) {
      fill(i, cells);
      w.format_row(cells, out);
    }
  };
  const RowFiller fill = make_fill();  // before the second thread calls make_fill() too

  // The second thread formats the odd chunks into buffers this one writes and hands back.
  std::mutex mu;
  std::condition_variable cv;
  std::deque<std::string> ready, spare;
  bool stop = false;
  std::exception_ptr failed;
  std::thread second([&] {
    try {
      const RowFiller own = make_fill();
      std::vector<std::string> cells(width);
      for (size_t c = 1; c < chunks; c += 2) {
        std::string buf;
        {
          std::unique_lock<std::mutex> lock(mu);
          cv.wait(lock, [&] { return stop || ready.size() < kAhead; });
          if (stop) return;
          if (!spare.empty()) buf = std::move(spare.front()), spare.pop_front();
        }
        format_chunk(own, cells, c, buf);
        std::lock_guard<std::mutex> lock(mu);
        ready.push_back(std::move(buf));
        cv.notify_all();
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(mu);
      failed = std::current_exception();
      cv.notify_all();
    }
  });
  // However this function is left, the second thread is stopped and joined first.
  struct Join {
    std::mutex& mu;
    std::condition_variable& cv;
    bool& stop;
    std::thread& t;
    ~Join() {
      {
        std::lock_guard<std::mutex> lock(mu);
        stop = true;
      }
      cv.notify_all();
      t.join();
    }
  } join{mu, cv, stop, second};

  std::vector<std::string> cells(width);
  std::string mine;
  for (size_t c = 0; c < chunks; ++c) {
    if (c % 2 == 0) {
      format_chunk(fill, cells, c, mine);
      w.write_formatted(mine);
      continue;
    }
    std::string theirs;
    {
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [&] { return !ready.empty() || failed; });
      if (ready.empty()) std::rethrow_exception(failed);
      theirs = std::move(ready.front());
      ready.pop_front();
    }
    cv.notify_all();
    w.write_formatted(theirs);
    std::lock_guard<std::mutex> lock(mu);
    spare.push_back(std::move(theirs));
  }
}

}  // namespace kartoteka
