// Opening an export for RecordReader (SPEC §2.1, §8.2): a file or stdin, the whole-file UTF-8
// check that decides the encoding (with the line of the first bad byte), and the decoder stack
// (BOM drop, cp1251). The splitter itself is in record_split.h.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "base/threads.h"
#include "io/byte_source.h"
#include "io/cp1251.h"
#include "io/record_split.h"
#include "io/utf8_file.h"
#include "model/errors.h"

namespace kartoteka {

namespace {

using io_detail::kBlockSize;
using io_detail::kPadding;

// Physical line breaks (LF, CRLF, lone CR) in a byte stream fed in chunks.
struct LineCounter {
  int64_t breaks = 0;
  bool prev_cr = false;
  void feed(const char* p, size_t n) {
    for (size_t i = 0; i < n; ++i) {
      if (p[i] == '\n') {
        if (!prev_cr) ++breaks;  // the LF of a CRLF was counted at its CR
        prev_cr = false;
      } else {
        prev_cr = p[i] == '\r';
        if (prev_cr) ++breaks;
      }
    }
  }
};

// Line number of the byte at `offset` (from `start`), for an error message only.
int64_t line_at(int fd, off_t start, int64_t offset, const std::string& name) {
  if (::lseek(fd, start, SEEK_SET) != start) {
    throw InputError(fmt::format("{}: cannot rewind: {}", name, std::strerror(errno)));
  }
  std::unique_ptr<char[]> buf(new char[kBlockSize]);
  LineCounter lines;
  while (offset > 0) {
    ssize_t got = ::read(fd, buf.get(), static_cast<size_t>(std::min<int64_t>(offset, kBlockSize)));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    lines.feed(buf.get(), static_cast<size_t>(got));
    offset -= got;
  }
  return lines.breaks + 1;
}

int open_file(const std::string& path, const std::string& name) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError(fmt::format("{}: cannot open: {}", name, std::strerror(errno)));
  return fd;
}

// fd's status; a directory cannot be read as an export.
struct stat stat_input(int fd, const std::string& name) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    throw InputError(fmt::format("{}: cannot open: {}", name, std::strerror(errno)));
  }
  if (S_ISDIR(st.st_mode)) {
    throw InputError(fmt::format("{}: cannot open: {}", name, std::strerror(EISDIR)));
  }
  return st;
}

}  // namespace

void RecordReader::Impl::open(const std::string& path, Encoding requested) {
  const bool owns = path != "-";
  const int fd = owns ? open_file(path, name) : 0;
  // Until a source takes ownership of fd, close it ourselves on error.
  struct Guard {
    int fd;
    bool armed;
    ~Guard() {
      if (armed) ::close(fd);
    }
  } guard{fd, owns};

  const struct stat st = stat_input(fd, name);
  // A regular file (also stdin redirected from one) can be read twice; start from where the
  // descriptor stands, which for stdin need not be offset 0.
  off_t start = S_ISREG(st.st_mode) ? ::lseek(fd, 0, SEEK_CUR) : off_t{-1};
  const bool seekable = start >= 0;

  std::unique_ptr<io_detail::RawSource> raw_src;
  encoding = requested;
  if (requested == Encoding::Cp1251) {
    raw_src = std::make_unique<io_detail::FdSource>(fd, name, owns);
    guard.armed = false;
    if (seekable) total = static_cast<uint64_t>(st.st_size - start);
  } else {
    int64_t bad = -1, bad_line = 0;
    if (seekable) {
      // Whole-file validation pass, then rewind: §8.2 decides on the whole file, and a second
      // read from the page cache is far cheaper than holding gigabytes in memory.
      bad = io_detail::find_invalid_utf8(fd, start, name, use_two_threads());
      if (bad >= 0 && requested == Encoding::Utf8) bad_line = line_at(fd, start, bad, name);
      if (::lseek(fd, start, SEEK_SET) != start) {
        throw InputError(fmt::format("{}: cannot rewind: {}", name, std::strerror(errno)));
      }
      total = static_cast<uint64_t>(st.st_size - start);
      raw_src = std::make_unique<io_detail::FdSource>(fd, name, owns);
      guard.armed = false;
    } else {
      // stdin or a pipe: cannot be read twice, so it is held in memory.
      return open_memory(io_detail::slurp_fd(fd, name), requested);
    }
    if (bad >= 0) {
      if (requested == Encoding::Utf8) {
        throw InputError(fmt::format("{}:{}: not valid UTF-8", name, bad_line));
      }
      encoding = Encoding::Cp1251;
    } else {
      encoding = Encoding::Utf8;
    }
  }
  start_reading(std::move(raw_src));
}

// Bytes already in memory (a pipe, or data a caller has read to look at it first).
void RecordReader::Impl::open_memory(std::string data, Encoding requested) {
  encoding = requested;
  if (requested != Encoding::Cp1251) {
    size_t at = io_detail::utf8_check(data.data(), data.size(), true, nullptr);
    encoding = at < data.size() ? Encoding::Cp1251 : Encoding::Utf8;
    if (at < data.size() && requested == Encoding::Utf8) {
      LineCounter lines;
      lines.feed(data.data(), at);
      throw InputError(fmt::format("{}:{}: not valid UTF-8", name, lines.breaks + 1));
    }
  }
  total = data.size();
  start_reading(std::make_unique<io_detail::MemorySource>(std::move(data)));
}

void RecordReader::Impl::start_reading(std::unique_ptr<io_detail::RawSource> raw_src) {
  raw = raw_src.get();

  // Drop a UTF-8 BOM under every encoding (§8.2); otherwise hand the peeked bytes back.
  char head[3];
  size_t got = io_detail::read_fully(*raw_src, head, 3);
  std::string prefix;
  if (!(got == 3 && std::memcmp(head, "\xEF\xBB\xBF", 3) == 0)) prefix.assign(head, got);
  src = std::make_unique<io_detail::PrefixSource>(std::move(prefix), std::move(raw_src));
  if (encoding == Encoding::Cp1251) {
    src = std::make_unique<io_detail::Cp1251Source>(std::move(src));
  }

  cap = 2 * static_cast<size_t>(kBlockSize);
  buf.reset(new char[cap + kPadding]);
  std::memset(buf.get(), 0, kPadding);
}

}  // namespace kartoteka
