// Where to cut a CSV file so that two threads can read its halves (SPEC §2.1, §8.4).
//
// A record may span lines (quoted fields keep their line breaks), so a cut must fall on a line
// break outside quotes. Whether a byte is inside quotes depends on everything before it; for
// RFC 4180 data it is the parity of the `"` bytes before it (`""` escapes count twice). Data that
// is not RFC 4180 (a literal `"` inside an unquoted field, §8.4) can fool the parity, so a split
// point is only a candidate: the first half's reader confirms it by stopping exactly there
// (RecordReader::stop_at_line / stopped_at), and the caller falls back to reading on
// sequentially when it did not.
//
//   auto sp = find_split(path, size / 2);
//   RecordReader first(path, Encoding::Auto, 0);
//   if (sp) first.stop_at_line(sp->line);
//   ... second thread: RecordReader second(path, name, first.encoding(), first.delimiter(),
//                                          first.header(), sp->offset, sp->line);
#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace kartoteka {

struct SplitPoint {
  uint64_t offset = 0;  // raw file byte offset of the first byte of physical line `line`
  int64_t line = 0;     // 1-based physical line number (LF, CRLF, lone CR = one break each)
};

// The first position p >= max(target, 1) in the file at `path` such that
//   - the byte before p ends a line break: an LF (also the LF of a CRLF), or a CR not followed
//     by LF (p never falls between the CR and LF of a CRLF);
//   - the number of `"` bytes in [0, p) is even;
//   - p < file size (some byte follows).
// Returns that p with the physical line number that starts there, counted as RecordReader
// counts (1 + line breaks in [0, p)). The answer is about raw bytes, so it holds for UTF-8 and
// Windows-1251 alike (`"`, CR and LF are the same single bytes in both); a UTF-8 BOM has none of
// them and does not matter.
// Returns nullopt when `path` is "-" or not a regular file, or no such p exists (target at or
// past the end, no even-parity line break after it, or only the one that ends the file).
// Throws InputError naming `path` when it cannot be opened or read.
// Cost: one sequential read of [0, p) in 1 MiB blocks, vectorised counting (several GB/s from
// the page cache).
std::optional<SplitPoint> find_split(const std::string& path, uint64_t target);

}  // namespace kartoteka
