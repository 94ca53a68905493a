// Streaming CSV record reader for clinic exports (SPEC §2.1, §8.2–§8.5).
//
// Bytes come through fast-cpp-csv-parser's ByteSourceBase (a file, stdin, or a
// Windows-1251 → UTF-8 decoding source); records are split here because fccp's own CSVReader
// cannot read quoted fields that contain line breaks, which real 1C exports have.
//
//   RecordReader r(path, Encoding::Auto, 0);
//   for (const auto& title : r.header()) ...
//   Record rec;
//   while (r.next(rec)) { if (!rec.error.empty()) ...; use rec.fields ... }
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "io/input.h"

namespace kartoteka {

enum class Encoding { Auto, Utf8, Cp1251 };

struct Record {
  // The record's fields, trimmed of surrounding spaces/tabs outside quotes, quotes removed and
  // `""` unescaped, always UTF-8. Valid until the next call to next().
  std::vector<std::string_view> fields;
  // Physical line number (1-based) of the record's first line; blank lines and line breaks
  // inside quoted fields count.
  int64_t line = 0;
  // Empty for a good record. Otherwise the reason the row is bad, without position, e.g.
  // "expected 10 fields, found 9", "unexpected character after closing quote",
  // "unterminated quoted field". `fields` is then unspecified.
  std::string error;
  // The record as it stands in the reader's buffer, when every field is a view into it (no
  // `""` escapes); empty otherwise. Lets a caller copy a record with one copy instead of one per
  // field.
  std::string_view raw;
};

class RecordReader {
 public:
  // Opens `input` (a path, "-" = standard input, or bytes in memory, io/input.h: stdin slurped by
  // a caller that had to look at it first, e.g. to tell a jsonl list from a csv one).
  // `display_name` is how messages name the file (default: the input's name). `delimiter` 0 = auto
  // (§8.3), else one of ; , \t |. Reads the header record. Throws InputError when the file cannot
  // be opened or read, has no header line, or (Encoding::Utf8) is not valid UTF-8; messages name
  // the file. Encoding::Auto: the whole file valid UTF-8 → UTF-8, else Windows-1251 (§8.2). A
  // leading UTF-8 BOM is dropped under every encoding.
  RecordReader(Input input, Encoding encoding, char delimiter, std::string display_name = "");
  ~RecordReader();
  RecordReader(const RecordReader&) = delete;
  RecordReader& operator=(const RecordReader&) = delete;

  // Header titles, trimmed, quotes removed. Line number of the header: header_line().
  const std::vector<std::string>& header() const;
  int64_t header_line() const;
  char delimiter() const;
  Encoding encoding() const;        // the resolved one: Utf8 or Cp1251
  const std::string& name() const;  // display name

  // Reads the next non-empty data record. Returns false at end of input. A record whose field
  // count differs from the header's is returned with `error` set (a bad row), as are quoting
  // errors (§8.4: after a closing quote only spaces/tabs may follow before the delimiter; an
  // unterminated quote makes the rest of the file one bad row, reported at its first line).
  // Throws InputError on I/O errors and on a NUL byte (binary data).
  bool next(Record& out);

  // Bytes consumed so far and total size (0 when unknown), for a progress indicator.
  uint64_t bytes_read() const;
  uint64_t total_bytes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kartoteka
