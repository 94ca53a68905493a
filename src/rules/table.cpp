#include "rules/table.h"

#include <fmt/format.h>

#include <algorithm>

#include "model/money.h"

namespace kartoteka {

void add_from_columns(Table& table, const std::vector<uint32_t>& row_patient, const FromList* from) {
  if (!from) return;
  std::vector<size_t> travel;
  for (size_t k = 0; k < from->titles.size(); ++k) {
    if (std::find(table.titles.begin(), table.titles.end(), from->titles[k]) != table.titles.end())
      continue;
    travel.push_back(k);
    table.titles.push_back(from->titles[k]);
  }
  for (size_t i = 0; i < table.rows.size(); ++i)
    for (size_t k : travel) table.rows[i].emplace_back(from->value(row_patient[i], k));
}

std::string format_share(uint64_t part, uint64_t total) {
  if (total == 0) return "0.0";
  int64_t tenths = div_round_half_away(static_cast<int64_t>(part) * 1000, static_cast<int64_t>(total));
  return fmt::format("{}.{}", tenths / 10, tenths % 10);
}

}  // namespace kartoteka
