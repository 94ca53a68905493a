// `inspect` (SPEC §6.8, §8.62): how kartoteka reads an input file, without running any rule —
// its encoding, delimiter, line endings and rows, and per column the field it feeds, how many
// cells are filled and how many a field rejects, and a first example (never a personal one).
//
//   FileReport r = inspect_file("patients.csv", InspectKind::Patients, settings);
//   describe_file(r)
//     → patients.csv: encoding cp1251 (Windows-1251), delimiter ';', line endings CRLF, 6 data rows
//   report_rows(r)
//     → {"patients.csv", "1", "Номер карты", "id", "6", "0", "000001"}, …
//
// Rows whose shape is broken (quoting, field count) are counted, and their cells are not. Only a
// file that cannot be read at all (missing, a folder, no header line, binary) is an error.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "io/columns.h"
#include "io/inspect_columns.h"
#include "io/record_reader.h"
#include "model/column.h"
#include "model/values.h"

namespace kartoteka {

struct InspectSettings {
  Encoding encoding = Encoding::Auto;  // patients, visits, adjustments; lists are detected (§8.2)
  char delimiter = 0;                  // 0 = auto
  std::vector<ColOverride> cols;
  StatusTable statuses;
};

struct ColumnReport {
  std::string header;  // as written
  ColumnRole role;
  uint64_t filled = 0;  // non-empty cells
  uint64_t bad = 0;     // cells the field rejects (§8.62)
  std::string example;  // the first non-empty value; "" for a personal column
};

struct FileReport {
  std::string file;          // as given
  std::string encoding;      // "utf-8", "utf-8 with BOM", "cp1251 (Windows-1251)"
  std::string delimiter;     // "';'", "','", "tab", "'|'", or "none (jsonl)"
  std::string line_endings;  // LineEndings::describe()
  uint64_t rows = 0;         // data rows, broken ones included
  uint64_t broken = 0;
  std::string first_broken;  // "line 4: expected 3 fields, found 4"
  std::vector<ColumnReport> columns;
  // A required field no column feeds (§8.1, §8.33, §8.42, §8.53), with the --col that would fix
  // it: "required column date not found; name it with --col date=\"Дата операции\"". A run
  // would stop on it; inspect only says so (a warning).
  std::vector<std::string> missing;
};

// Reads `input` (a path, "-" = standard input, or bytes in memory, read as a pipe's) as an input
// of `kind`. Throws InputError only when it cannot be read at all.
FileReport inspect_file(const Input& input, InspectKind kind, const InspectSettings& s);

// The stderr line for a file (§6.8), without a prefix.
std::string describe_file(const FileReport& r);

// The output: `file,column,header,field,filled,bad,example`, one row per column; `column filled
// bad` are counts (§8.51), the rest text (`example` is empty where personal, §8.62).
std::vector<Column> inspect_output_columns();
std::vector<std::vector<std::string>> report_rows(const FileReport& r);

}  // namespace kartoteka
