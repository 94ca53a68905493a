#include "rules/table.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

#include "model/fields.h"
#include "model/money.h"

namespace kartoteka {

void send_table(const Table& table, RowSink& out) {
  out.columns(table.columns);
  for (const auto& row : table.rows) out.row(row);
}

std::vector<Column> patient_list_head() {
  return {field_column(Field::id), field_column(Field::name), field_column(Field::phone)};
}

FromColumns::FromColumns(const FromList* from, std::vector<Column>& columns)
    : from_(from), first_(columns.size()) {
  if (!from_) return;
  // Checked against the titles as they grow: a title the list repeats travels once.
  for (size_t k = 0; k < from_->titles.size(); ++k) {
    const std::string& title = from_->titles[k];
    if (std::any_of(columns.begin(), columns.end(),
                    [&](const Column& c) { return c.title == title; }))
      continue;
    travel_.push_back(k);
    columns.push_back(default_column(title));
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
