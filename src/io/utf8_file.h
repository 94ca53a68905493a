// The whole-file UTF-8 check of encoding detection (§8.2) on a regular file: the one pass over
// the file that must finish before the first record is read, so on two cores it runs on both.
#pragma once
#include <cstdint>
#include <string>

namespace kartoteka::io_detail {

// Offset (from `from`) of the first byte of `fd` at or after file offset `from`, up to the end of
// the file, that starts an invalid UTF-8 sequence — exactly utf8_check's answer for the whole
// range — or -1 when all of it is valid. Reads with pread(2): the file offset is left alone.
// With `two_threads` and at least `split_from` bytes, the second half is checked on another
// thread at the same time, from a byte where a character starts. Throws InputError naming
// `name` on a read error.
int64_t find_invalid_utf8(int fd, int64_t from, const std::string& name, bool two_threads,
                          uint64_t split_from = uint64_t{32} << 20);

}  // namespace kartoteka::io_detail
