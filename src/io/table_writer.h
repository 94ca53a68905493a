// Output formats (SPEC §3, §8.17, §8.19, §8.39–§8.41). Cells arrive already formatted the way csv
// prints them (dates YYYY-MM-DD, money 1234.50, booleans true/false, missing = ""); the writer
// knows each column's kind from its title (§8.39) and renders csv, tsv, jsonl, table or excel.
//
//   TableWriter w(Format::Csv, out, {"id", "name", "visits"});
//   w.row({"000123", "Иванов", "3"});
//   w.finish();
#pragma once
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kartoteka {

enum class Format { Csv, Tsv, Jsonl, Table, Excel };

// "csv" "tsv" "jsonl" "table" "excel".
std::optional<Format> parse_format(std::string_view name);

enum class ColumnKind { Text, Integer, Decimal, Boolean };

// The kind a column has by its exact title (§8.39): counts are Integer, the other numeric
// titles Decimal, `has_phone upcoming sms_consent purchased` Boolean, all else Text.
ColumnKind column_kind(std::string_view title);

// Where rows go: a FILE* (stdout or a temporary file). Throws OutputClosed on EPIPE and
// InputError("cannot write …") on other write errors.
class Sink {
 public:
  explicit Sink(std::FILE* f, std::string name = "stdout");
  void write(std::string_view bytes);
  void flush();

 private:
  std::FILE* f_;
  std::string name_;
  std::string buf_;
};

class TableWriter {
 public:
  TableWriter(Format format, Sink& sink, std::vector<std::string> titles);
  ~TableWriter();
  // One data row; cells.size() must equal the number of titles.
  void row(const std::vector<std::string>& cells);
  // Writes what is buffered (table format aligns all rows at the end) and flushes.
  void finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kartoteka
