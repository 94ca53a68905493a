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
};

class RecordReader {
 public:
  // Opens `path` ("-" = standard input). `display_name` is how messages name the file (default:
  // path as given). `delimiter` 0 = auto (§8.3), else one of ; , \t |.
  // Reads the header record. Throws InputError when the file cannot be opened or read, has no
  // header line, or (Encoding::Utf8) is not valid UTF-8; messages name the file.
  // Encoding::Auto: the whole file valid UTF-8 → UTF-8, else Windows-1251 (§8.2). A leading UTF-8
  // BOM is dropped under every encoding.
  RecordReader(const std::string& path, Encoding encoding, char delimiter,
               std::string display_name = "");

  // A reader for the part of the regular file `path` from raw byte `offset` (a split point, see
  // io/split.h) to its end, for a second thread. Nothing is detected or read ahead: the encoding
  // (Utf8 or Cp1251), delimiter and header are the resolved ones of a reader constructed on the
  // whole file with the first constructor, and `first_line` is the physical line that starts at
  // `offset`. Given a true record start (or blank line start) and its line, next() then yields
  // exactly the records, lines and errors the whole-file reader yields from there, and throws
  // the same InputError messages (file named `display_name`, default `path`; right line).
  // No UTF-8 check is made here: the whole-file reader of the same file already checked all of
  // it on construction (it throws there under Encoding::Utf8, or resolved to Cp1251).
  // No BOM is dropped unless `offset` is 0. header_line() is 0. total_bytes() is the size of the
  // part (file size - offset), bytes_read() counts from `offset`.
  // Throws InputError (naming the file) when the file cannot be opened, is not a regular file
  // ("-" included) or is shorter than `offset`; std::invalid_argument on Encoding::Auto, a
  // delimiter other than ; , \t |, an empty header or first_line < 1.
  RecordReader(const std::string& path, const std::string& display_name, Encoding resolved_encoding,
               char resolved_delimiter, std::vector<std::string> header, uint64_t offset,
               int64_t first_line);
  ~RecordReader();
  RecordReader(const RecordReader&) = delete;
  RecordReader& operator=(const RecordReader&) = delete;

  // Header titles, trimmed, quotes removed. Line number of the header: header_line().
  const std::vector<std::string>& header() const;
  int64_t header_line() const;
  char delimiter() const;
  Encoding encoding() const;  // the resolved one: Utf8 or Cp1251
  const std::string& name() const;  // display name

  // Reads the next non-empty data record. Returns false at end of input. A record whose field
  // count differs from the header's is returned with `error` set (a bad row), as are quoting
  // errors (§8.4: after a closing quote only spaces/tabs may follow before the delimiter; an
  // unterminated quote makes the rest of the file one bad row, reported at its first line).
  // Throws InputError on I/O errors and on a NUL byte (binary data).
  bool next(Record& out);

  // Splitting a file between two readers (io/split.h). After stop_at_line(L), next() returns
  // false (as at the end of input) as soon as the reader stands at the start of a physical line
  // >= L outside a record: before the next record, and again before each blank line it skips.
  // It keeps returning false until the stop is cleared. Then stopped_at(L) is true exactly when
  // the reader stands at the start of line L, i.e. it has returned every record that starts
  // before line L and none from L on, so a range reader from L's offset continues seamlessly.
  // It is false when the reader overshot L (a record spanning lines covered L's start, a
  // literal `"` having fooled the split's quote parity) or ended first (EOF, or not stopped
  // yet). clear_stop() (same as stop_at_line(INT64_MAX)) removes the stop; next() then goes on
  // from where it stood, no record lost or repeated. A stop line at or before the current line
  // stops at once, before any further record.
  void stop_at_line(int64_t line);
  void clear_stop();
  bool stopped_at(int64_t line) const;

  // Bytes consumed so far and total size (0 when unknown), for a progress indicator. The reader
  // reads ahead in blocks, so a stopped reader may have consumed up to a block past its stop.
  uint64_t bytes_read() const;
  uint64_t total_bytes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kartoteka
