// Split-point search: count `"` bytes and line breaks up to the target, then walk forward to the
// first line break with an even quote count before it.
//
// The bulk of the work is the count over [0, target): hundreds of megabytes, so it runs on
// 32-byte (AVX2, chosen at run time) or 16-byte (SSE2) vectors with byte-wide accumulators flushed
// every 255 steps, no per-byte branches; read(2)'s copy from the page cache then dominates.
// The forward walk is short for real data (the next line break), but inside a long quoted field
// it jumps from quote to quote with memchr and counts the line breaks in between with the same
// vector loop, so an unbalanced quote cannot make it crawl byte by byte to the end of the file.
#include "io/split.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include "io/byte_source.h"
#include "model/errors.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace kartoteka {

namespace {

// Running counts over a prefix of the file. A line break is counted at its first byte (a CR, or an
// LF not preceded by CR), which is how the reader's LineCounter counts, so `breaks` over [0, p)
// is the number of line breaks that started before p.
struct Counts {
  uint64_t quotes = 0;
  int64_t breaks = 0;
  bool prev_cr = false;  // the last byte counted was a CR
};

#if defined(__x86_64__)
// The vector part of count(): p[i, n) for i >= 1 (each byte also looks at the one before it), in
// whole vectors; returns where it stopped. A match is 0xFF = -1 in its byte, so subtracting it
// adds one to that byte's accumulator, which is summed into `c` every 255 steps, before it can
// wrap. A break byte: a CR, or an LF whose previous byte is not a CR.
size_t count_sse2(const char* p, size_t i, size_t n, Counts& c) {
  const __m128i quote = _mm_set1_epi8('"'), cr = _mm_set1_epi8('\r'), lf = _mm_set1_epi8('\n');
  auto sum = [](__m128i acc) {
    __m128i s = _mm_sad_epu8(acc, _mm_setzero_si128());  // two 64-bit lane sums
    return static_cast<uint64_t>(_mm_cvtsi128_si64(s)) +
           static_cast<uint64_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(s, s)));
  };
  while (n - i >= 16) {
    size_t steps = std::min<size_t>((n - i) / 16, 255);
    __m128i acc_q = _mm_setzero_si128(), acc_b = _mm_setzero_si128();
    for (size_t k = 0; k < steps; ++k, i += 16) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      __m128i prev = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i - 1));
      acc_q = _mm_sub_epi8(acc_q, _mm_cmpeq_epi8(v, quote));
      __m128i brk = _mm_or_si128(_mm_cmpeq_epi8(v, cr),
                                 _mm_andnot_si128(_mm_cmpeq_epi8(prev, cr), _mm_cmpeq_epi8(v, lf)));
      acc_b = _mm_sub_epi8(acc_b, brk);
    }
    c.quotes += sum(acc_q);
    c.breaks += static_cast<int64_t>(sum(acc_b));
  }
  return i;
}

// The same on 32-byte vectors, for CPUs that have AVX2 (the build targets plain x86-64). Under
// load this is what keeps the count well below the read(2) copy time.
__attribute__((target("avx2"))) size_t count_avx2(const char* p, size_t i, size_t n, Counts& c) {
  const __m256i quote = _mm256_set1_epi8('"'), cr = _mm256_set1_epi8('\r'),
                lf = _mm256_set1_epi8('\n');
  auto sum = [](__m256i acc) __attribute__((target("avx2"))) {
    __m256i s = _mm256_sad_epu8(acc, _mm256_setzero_si256());  // four 64-bit lane sums
    __m128i t = _mm_add_epi64(_mm256_castsi256_si128(s), _mm256_extracti128_si256(s, 1));
    return static_cast<uint64_t>(_mm_cvtsi128_si64(t)) +
           static_cast<uint64_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(t, t)));
  };
  while (n - i >= 32) {
    size_t steps = std::min<size_t>((n - i) / 32, 255);
    __m256i acc_q = _mm256_setzero_si256(), acc_b = _mm256_setzero_si256();
    for (size_t k = 0; k < steps; ++k, i += 32) {
      __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i));
      __m256i prev = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i - 1));
      acc_q = _mm256_sub_epi8(acc_q, _mm256_cmpeq_epi8(v, quote));
      __m256i brk = _mm256_or_si256(
          _mm256_cmpeq_epi8(v, cr),
          _mm256_andnot_si256(_mm256_cmpeq_epi8(prev, cr), _mm256_cmpeq_epi8(v, lf)));
      acc_b = _mm256_sub_epi8(acc_b, brk);
    }
    c.quotes += sum(acc_q);
    c.breaks += static_cast<int64_t>(sum(acc_b));
  }
  return i;
}

// __builtin_cpu_init: this runs as a static initializer, possibly before libgcc's own one.
const bool kHaveAvx2 = [] {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") != 0;
}();
#endif

// Adds the quotes and line breaks of p[0, n) to `c`.
void count(const char* p, size_t n, Counts& c) {
  if (n == 0) return;
  // The first byte looks back at the previous chunk through prev_cr; the rest look at p[i - 1].
  c.quotes += p[0] == '"';
  c.breaks += p[0] == '\r' || (p[0] == '\n' && !c.prev_cr);
  size_t i = 1;
#if defined(__x86_64__)
  i = kHaveAvx2 ? count_avx2(p, i, n, c) : count_sse2(p, i, n, c);
  i = count_sse2(p, i, n, c);  // the AVX2 loop leaves up to 31 bytes
#endif
  for (; i < n; ++i) {
    c.quotes += p[i] == '"';
    c.breaks += p[i] == '\r' || (p[i] == '\n' && p[i - 1] != '\r');
  }
  c.prev_cr = p[n - 1] == '\r';
}

// read(2) that retries on EINTR and throws on errors.
size_t read_some(int fd, char* buf, size_t size, const std::string& path) {
  for (;;) {
    ssize_t got = ::read(fd, buf, size);
    if (got >= 0) return static_cast<size_t>(got);
    if (errno != EINTR) {
      throw InputError(fmt::format("{}: read error: {}", path, std::strerror(errno)));
    }
  }
}

}  // namespace

std::optional<SplitPoint> find_split(const std::string& path, uint64_t target) {
  if (path == "-") return std::nullopt;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    throw InputError(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  }
  if (!S_ISREG(st.st_mode)) return std::nullopt;
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  if (target >= size) return std::nullopt;
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);

  constexpr size_t kBlock = io_detail::kBlockSize;
  std::unique_ptr<char[]> buf(new char[kBlock]);
  Counts c;

  // Count [0, start). The walk starts one byte before the target so that a line break ending
  // right at the target (p == target) is found like any other.
  const uint64_t start = target > 0 ? target - 1 : 0;
  uint64_t done = 0;
  while (done < start) {
    size_t got = read_some(fd, buf.get(),
                           static_cast<size_t>(std::min<uint64_t>(kBlock, start - done)), path);
    if (got == 0) return std::nullopt;  // the file shrank
    count(buf.get(), got, c);
    done += got;
  }

  // Walk forward. A candidate p must have a byte after it (p < size); the file size is the
  // fstat one, which is what a reader opened now will see too.
  auto found = [&](uint64_t p) -> std::optional<SplitPoint> {
    if (p >= size) return std::nullopt;
    return SplitPoint{p, c.breaks + 1};
  };
  bool cr_pending = false;  // a CR with even parity ended the previous block: is it lone?
  uint64_t base = done;     // file offset of buf[0]
  for (;;) {
    const size_t n = read_some(fd, buf.get(), kBlock, path);
    if (n == 0) return std::nullopt;
    const char* p = buf.get();
    if (cr_pending && p[0] != '\n') return found(base);
    cr_pending = false;
    size_t i = 0;
    while (i < n) {
      if (c.quotes & 1) {
        // Inside quotes: no boundary until the next quote; count the line breaks on the way.
        const void* q = std::memchr(p + i, '"', n - i);
        size_t e = q ? static_cast<size_t>(static_cast<const char*>(q) - p) : n;
        count(p + i, e - i, c);
        if (e == n) break;
        ++c.quotes, c.prev_cr = false;
        i = e + 1;
        continue;
      }
      const char ch = p[i];
      if (ch == '"') {
        ++c.quotes, c.prev_cr = false;
      } else if (ch == '\n') {
        if (!c.prev_cr) ++c.breaks;  // the LF of a CRLF was counted at its CR
        c.prev_cr = false;
        return found(base + i + 1);
      } else if (ch == '\r') {
        ++c.breaks, c.prev_cr = true;
        if (i + 1 == n) {
          cr_pending = true;
        } else if (p[i + 1] != '\n') {
          return found(base + i + 1);
        }
        // A CRLF: the LF, next, ends it.
      } else {
        c.prev_cr = false;
      }
      ++i;
    }
    base += n;
  }
}

}  // namespace kartoteka
