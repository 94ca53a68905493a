// A patient list (`--from`, and any list read like it) as records, whatever its form (SPEC §4,
// §6.9, §8.42): a csv of any dialect of §2.1 (encoding and delimiter detected), or jsonl when its
// first non-blank byte is `{`. The same interface as RecordReader, so a list reader need not
// care which it got.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "io/jsonl_list.h"
#include "io/record_reader.h"

namespace kartoteka {

class ListReader {
 public:
  // Opens `input` (a path, "-" = standard input, or bytes in memory; a pipe is read into memory
  // to look at its first byte).
  // Throws InputError as RecordReader does, and as parse_jsonl() does for a jsonl list.
  // `delimiter` is a csv list's field delimiter (0 = detected, as for every list; a stop list of
  // one column is read again with '|', io/stop_list.h); a jsonl list has none.
  ListReader(const Input& input, std::string display_name, char delimiter = 0);
  ~ListReader();

  const std::vector<std::string>& header() const;
  const std::string& name() const { return name_; }
  // A csv list's header line (RecordReader::header_line()); a jsonl list's first object's line.
  int64_t header_line() const;
  bool jsonl() const { return table_.has_value(); }
  // As RecordReader::next(); jsonl records are never bad (errors throw while opening) and have
  // a field for every header column.
  bool next(Record& out);

 private:
  void open_bytes(std::string data, char delimiter);  // a pipe's or an Input's bytes

  std::string name_;
  std::unique_ptr<RecordReader> csv_;
  std::optional<JsonlTable> table_;
  size_t row_ = 0;
};

}  // namespace kartoteka
