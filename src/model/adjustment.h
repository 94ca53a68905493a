// A row of a --adjustments file (SPEC §6.5, §8.32, §8.33): a manual credit or debit of a bonus
// account. Read by io/load, booked by rules/ledger_report.
#pragma once
#include <cstdint>
#include <string>

#include "model/date.h"
#include "model/money.h"

namespace kartoteka {

struct Adjustment {
  Day date;
  std::string patient_id;
  Kopecks amount;  // signed: negative = a debit
  std::string note;
  int64_t line;  // in the adjustments file
};

}  // namespace kartoteka
