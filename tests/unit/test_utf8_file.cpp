// find_invalid_utf8 on files, on one thread and split in two halves checked at once (split_from
// 0 forces the split on these small files). The split must never change the answer: the offset of
// the first byte that starts an invalid sequence in the whole file.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <string>

#include "io/utf8_file.h"
#include "temp_file.h"

using kartoteka::io_detail::find_invalid_utf8;
using kartoteka::test::TempFile;

namespace {

// The answer on one thread and split, from file offset `from`; both must agree.
int64_t first_invalid(const std::string& content, int64_t from = 0) {
  TempFile f(content);
  int fd = ::open(f.path.c_str(), O_RDONLY);
  REQUIRE(fd >= 0);
  int64_t serial = find_invalid_utf8(fd, from, f.path, false);
  int64_t split = find_invalid_utf8(fd, from, f.path, true, 0);
  off_t pos = ::lseek(fd, 0, SEEK_CUR);
  ::close(fd);
  CHECK(pos == 0);  // pread only: the caller's offset stays where it was
  CHECK_MESSAGE(serial == split, content);
  return split;
}

const std::string kYa = "\xD1\x8F";  // я: lead byte D1, one continuation byte

}  // namespace

TEST_CASE("find_invalid_utf8: valid files, whatever falls on the middle") {
  CHECK(first_invalid("") == -1);
  CHECK(first_invalid("a") == -1);
  CHECK(first_invalid("ab") == -1);
  // 2 bytes: the middle (offset 1) is я's continuation byte, the split moves to offset 2 (the end).
  CHECK(first_invalid(kYa) == -1);
  // a b D1 8F c d: the middle, offset 3, is я's continuation byte; the split moves to 4.
  CHECK(first_invalid("ab" + kYa + "cd") == -1);
  // A 4-byte character (U+1F600, F0 9F 98 80) across the middle of 8 bytes: offsets 2–5, mid 4.
  CHECK(first_invalid("xy\xF0\x9F\x98\x80zw") == -1);
  CHECK(first_invalid("id;имя\r\n1;Иванов\r\n") == -1);
}

TEST_CASE("find_invalid_utf8: the first error, before, across and after the middle") {
  // Windows-1251 "Иванов" (C8 E2 E0 ED EE E2): C8 E2 is no UTF-8 pair, the first error is at 0.
  CHECK(first_invalid("\xC8\xE2\xE0\xED\xEE\xE2") == 0);
  // Only the second half is bad: 10 valid bytes, then a lone continuation byte at offset 10 of 12.
  CHECK(first_invalid("0123456789\x80z") == 10);
  // Errors in both halves: the first half's (offset 1) wins over the second's (offset 9).
  CHECK(first_invalid("a\xFF"
                      "cdefgh\xFFj") == 1);
  // A lead byte cut by the middle: 8 bytes, D1 at 3, the middle (4) is 'x' — the sequence is
  // invalid at its lead byte, 3, as in a whole-file check.
  CHECK(first_invalid("abc\xD1xyzw") == 3);
  // A run of continuation bytes over the middle (no character start within 4 bytes of it): the
  // check runs on one thread; the first error is the run's first byte, offset 2.
  CHECK(first_invalid("ab\x80\x80\x80\x80\x80\x80\x80\x80"
                      "cd") == 2);
  // Truncated at the very end: E2 82 (of the 3-byte €) with nothing after, at offset 4.
  CHECK(first_invalid("abcd\xE2\x82") == 4);
}

TEST_CASE("find_invalid_utf8: from an offset (stdin redirected from a file mid-way)") {
  // The check starts at `from` and answers relative to it: the bad byte at file offset 5 is
  // offset 3 from 2; from 6 on, all is valid.
  CHECK(first_invalid("ab"
                      "cde\xFF"
                      "gh",
                      2) == 3);
  CHECK(first_invalid("abcde\xFF"
                      "gh",
                      6) == -1);
}

TEST_CASE("find_invalid_utf8: every split point of a mixed text agrees with one thread") {
  // Cyrillic, ASCII, a 4-byte character and one bad byte (FF) moved through every position: the
  // split lands on every kind of byte, and the answer is always the FF's offset.
  const std::string text = "№;Иванов Пётр;\xF0\x9F\x98\x80;+7 (912) 345-67-89\r\n";
  for (size_t at = 0; at <= text.size(); ++at) {
    // Insert FF only where a character starts, so the text before it stays valid.
    if (at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) continue;
    std::string bad = text.substr(0, at) + "\xFF" + text.substr(at);
    CHECK(first_invalid(bad) == static_cast<int64_t>(at));
  }
  CHECK(first_invalid(text) == -1);
}
