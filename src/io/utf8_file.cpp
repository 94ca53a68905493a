#include "io/utf8_file.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <memory>

#include "base/background.h"
#include "io/byte_source.h"
#include "io/utf8.h"
#include "model/errors.h"

namespace kartoteka::io_detail {

namespace {

// Checks file offsets [from, to) (to < 0: to the end of the file) as one UTF-8 text; the file
// offset of the first invalid byte, or -1. Gives up (-1) once `stop` is set.
int64_t check_range(int fd, int64_t from, int64_t to, const std::string& name,
                    const std::atomic<bool>& stop) {
  constexpr size_t kChunk = kBlockSize;  // stays in L2 between pread(2) and the check
  std::unique_ptr<char[]> buf(new char[kChunk + 4]);
  size_t carry = 0;   // incomplete sequence from the previous chunk, at buf[0, carry)
  int64_t at = from;  // file offset of the next read
  for (;;) {
    if (stop.load(std::memory_order_relaxed)) return -1;
    size_t want = kChunk;
    if (to >= 0) want = static_cast<size_t>(std::min<int64_t>(want, to - at));
    ssize_t got = want == 0 ? 0 : ::pread(fd, buf.get() + carry, want, at);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw InputError(fmt::format("{}: read error: {}", name, std::strerror(errno)));
    }
    at += got;
    const size_t n = carry + static_cast<size_t>(got);
    const bool final = got == 0;
    size_t tail = 0;
    const size_t bad = utf8_check(buf.get(), n, final, &tail);
    if (bad < n) return at - static_cast<int64_t>(n) + static_cast<int64_t>(bad);
    if (final) return -1;
    std::memmove(buf.get(), buf.get() + n - tail, tail);
    carry = tail;
  }
}

// The first offset at or after `mid` holding a byte that is not a UTF-8 continuation byte,
// looking at most 4 bytes on; -1 when there is none (the file is not valid UTF-8 there anyway).
int64_t character_start(int fd, int64_t mid) {
  unsigned char bytes[4];
  ssize_t got;
  do got = ::pread(fd, bytes, sizeof bytes, mid);
  while (got < 0 && errno == EINTR);
  for (ssize_t k = 0; k < got; ++k)
    if ((bytes[k] & 0xC0) != 0x80) return mid + k;
  return -1;
}

}  // namespace

int64_t find_invalid_utf8(int fd, int64_t from, const std::string& name, bool two_threads,
                          uint64_t split_from) {
  std::atomic<bool> stop{false};
  struct stat st {};
  int64_t mid = -1;
  if (two_threads && ::fstat(fd, &st) == 0 && st.st_size - from >= 2 &&
      static_cast<uint64_t>(st.st_size - from) >= split_from)
    mid = character_start(fd, from + (st.st_size - from) / 2);
  if (mid < 0) {
    int64_t bad = check_range(fd, from, -1, name, stop);
    return bad < 0 ? -1 : bad - from;
  }
  // A sequence that starts before `mid` ends before it or is invalid at its lead byte either way,
  // and one whole-file check stands at a character start on `mid`: so the first half's first
  // error, else the second half's, is the whole file's first error.
  int64_t second = -1;
  Background other([&] { second = check_range(fd, mid, -1, name, stop); });
  int64_t first = -1;
  try {
    first = check_range(fd, from, mid, name, stop);
  } catch (...) {
    stop = true;  // then ~Background joins the other half
    throw;
  }
  if (first >= 0) {
    stop = true;   // the second half's answer (or failure) no longer matters
    other.wait();  // its exception, if any, is dropped on purpose
    return first - from;
  }
  other.join();
  return second < 0 ? -1 : second - from;
}

}  // namespace kartoteka::io_detail
