// A command's result before it is written: titles and rows of cells printed as csv prints them.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "io/from_list.h"

namespace kartoteka {

struct Table {
  std::vector<std::string> titles;
  std::vector<std::vector<std::string>> rows;
};

// Appends the --from list's travelling columns (§4, §8.42) to a patient list whose row i is
// about patient row_patient[i]: every list title the table does not already have, in list order.
void add_from_columns(Table& table, const std::vector<uint32_t>& row_patient, const FromList* from);

// Share in percent with one decimal, rounded half away from zero: 1 of 3 → "33.3"; total 0 → "0.0".
std::string format_share(uint64_t part, uint64_t total);

}  // namespace kartoteka
