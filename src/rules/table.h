// A command's result: typed columns (model/column.h) and rows of cells printed as csv prints them.
// Patient lists go row by row into a RowSink — the output writer, so that at 10^6 patients no row
// is kept in memory; small views (summaries, groups, audits) and unit tests hold the whole result
// in a Table.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/column.h"
#include "model/date.h"
#include "model/from_list.h"
#include "model/money.h"
#include "model/patients.h"
#include "model/visit_stats.h"

namespace kartoteka {

// The rule that makes a table states its columns: there is no table of bare titles.
struct Table {
  std::vector<Column> columns;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> titles() const { return column_titles(columns); }
};

// Where a command's rows go, one at a time: the columns once (each with its kind and personal
// flag, stated by the rule), then every row in output order, each with as many cells as there
// are columns. A producer may reuse its cells between calls, so a sink copies what it keeps.
class RowSink {
 public:
  virtual ~RowSink() = default;
  virtual void columns(const std::vector<Column>& columns) = 0;
  virtual void row(const std::vector<std::string>& cells) = 0;

  // Sets row i's cells: a vector of `width` strings, holding what this fill left in it before.
  using RowFill = std::function<void(size_t i, std::vector<std::string>& cells)>;
  // Rows 0 … n−1 in that order, as n calls of row(), each row's cells set by a fill. A sink may
  // fill rows on two threads at once (the writer formats a long list on both cores): each thread
  // calls make_fill() once for a fill of its own, which may keep state of its own (buffers) but
  // may only read what the fills share. This one fills on the calling thread only.
  virtual void rows(size_t n, size_t width, const std::function<RowFill()>& make_fill) {
    std::vector<std::string> cells(width);
    const RowFill fill = make_fill();
    for (size_t i = 0; i < n; ++i) {
      fill(i, cells);
      row(cells);
    }
  }
};

// A RowSink that keeps everything in `table` (small views, tests).
class TableCollector : public RowSink {
 public:
  Table table;
  void columns(const std::vector<Column>& columns) override { table.columns = columns; }
  void row(const std::vector<std::string>& cells) override { table.rows.push_back(cells); }
};

// Runs a producer into a TableCollector and returns what it collected:
//   Table t = collect_table([&](RowSink& out) { rfm_list(patients, visits, rows, nullptr, out); });
template <class Produce>
Table collect_table(Produce&& produce) {
  TableCollector c;
  produce(static_cast<RowSink&>(c));
  return std::move(c.table);
}

// Sends a whole table to a sink.
void send_table(const Table& table, RowSink& out);

// The first columns of every patient list (§3): the patients' own id, name and phone fields.
std::vector<Column> patient_list_head();

// The --from list's travelling columns (§4, §8.42) of a patient list: every list title the
// output does not already have, in list order, after the command's own columns. Chosen once from
// the titles, then filled into each row about a patient. Their titles are the user's file's:
// each is default_column(title) (model/column.h).
class FromColumns {
 public:
  // Appends the travelling columns to `columns` (nothing without a list); the travelling cells are
  // the row's cells from columns.size() (as it was before) on.
  FromColumns(const FromList* from, std::vector<Column>& columns);
  // Sets the travelling cells of a row about `patient` ("" where the list does not name it).
  void fill(std::vector<std::string>& cells, uint32_t patient) const;

 private:
  const FromList* from_;
  size_t first_ = 0;            // index of the first travelling cell
  std::vector<size_t> travel_;  // the list column of each travelling cell
};

// Reused output cells are set in place: a string keeps its capacity from row to row, so short
// cells cost no allocation.
inline void set_cell(std::string& cell, std::string_view v) {
  cell.assign(v.data(), v.size());
}
void set_number(std::string& cell, int64_t v);
inline void set_money(std::string& cell, Kopecks k) {
  cell.clear();
  append_money(cell, k);
}
inline void set_date(std::string& cell, Day d) {
  cell.clear();
  append_date(cell, d);
}

// A patient list in another order than the file's (by score, by spent, by balance) reads cold
// lines of the patients table and of the fold for every row. Called before row i is written,
// this asks for the loads of rows some places further on, so their cache misses overlap with the
// writing; `patient_at(j)` is row j's patient, `n` the number of rows. A command with more
// per-patient state asks for it kListRowAhead rows ahead too.
inline constexpr size_t kListRowAhead = 16;
inline constexpr size_t kListTextAhead = 8;  // later: the text's address is in the row
// `visits` may be null for a list that reads nothing of the fold.
template <class PatientAt>
void prefetch_listed(const PatientTable& patients, const VisitFold* visits, size_t i, size_t n,
                     PatientAt&& patient_at) {
  if (i + kListRowAhead < n) {
    patients.prefetch_row(patient_at(i + kListRowAhead));
    if (visits) visits->prefetch(patient_at(i + kListRowAhead));
  }
  if (i + kListTextAhead < n) patients.prefetch_text(patient_at(i + kListTextAhead));
}

// Share in percent with one decimal, rounded half away from zero: 1 of 3 → "33.3"; total 0 → "0.0".
std::string format_share(uint64_t part, uint64_t total);

}  // namespace kartoteka
