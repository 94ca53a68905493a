#include "rules/table.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

#include "model/money.h"

namespace kartoteka {

void send_table(const Table& table, RowSink& out) {
  if (table.columns.empty())
    out.titles(table.titles);
  else
    out.columns(table.columns);
  for (const auto& row : table.rows) out.row(row);
}

FromColumns::FromColumns(const FromList* from, std::vector<std::string>& titles)
    : from_(from), first_(titles.size()) {
  if (!from_) return;
  // Checked against the titles as they grow: a title the list repeats travels once.
  for (size_t k = 0; k < from_->titles.size(); ++k) {
    if (std::find(titles.begin(), titles.end(), from_->titles[k]) != titles.end()) continue;
    travel_.push_back(k);
    titles.push_back(from_->titles[k]);
  }
}

void FromColumns::fill(std::vector<std::string>& cells, uint32_t patient) const {
  if (travel_.empty()) return;
  // One lookup per row, not one per travelling cell.
  auto it = from_->row_of.find(patient);
  const std::vector<std::string>* values =
      it == from_->row_of.end() ? nullptr : &from_->rows[it->second];
  for (size_t i = 0; i < travel_.size(); ++i) {
    std::string& cell = cells[first_ + i];
    if (values)
      cell.assign((*values)[travel_[i]]);
    else
      cell.clear();
  }
}

void set_number(std::string& cell, int64_t v) {
  const fmt::format_int digits(v);
  cell.assign(digits.data(), digits.size());
}

std::string format_share(uint64_t part, uint64_t total) {
  if (total == 0) return "0.0";
  int64_t tenths =
      div_round_half_away(static_cast<int64_t>(part) * 1000, static_cast<int64_t>(total));
  return fmt::format("{}.{}", tenths / 10, tenths % 10);
}

}  // namespace kartoteka
