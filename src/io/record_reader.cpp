// Record splitting for clinic exports (SPEC §2.1, §8.2–§8.5).
//
// Layout: raw bytes (FdSource / MemorySource) → optional BOM-dropping PrefixSource → optional
// Cp1251Source → one growable block buffer. parse() splits one record out of the buffer in a
// single pass; fields are string_views into the buffer, except quoted fields containing `""`,
// which are unescaped into `scratch_`. When a record is cut by the end of the buffered data,
// parse() returns kNeedMore without side effects on the record, the caller refills (moving the
// partial record to the front) and parse() starts that record again. Re-parsing a prefix is
// cheaper than keeping resumable state, since it happens once per block.
#include "io/record_reader.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstring>

#include "io/byte_source.h"
#include "io/cp1251.h"
#include "base/threads.h"
#include "io/utf8_file.h"
#include "model/errors.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace kartoteka {

namespace {

using io_detail::kBlockSize;

// One record may not exceed this (hostile input, or an unbalanced quote in a huge file).
constexpr size_t kMaxRecordBytes = size_t{256} << 20;
// A header wider than this is not a clinic export; the cap keeps memory bounded for a line made
// of delimiters only.
constexpr size_t kMaxColumns = 65536;

// The buffer has this many readable bytes past its capacity, so a 64-byte window may start at
// any position before the end of data.
constexpr size_t kPadding = 64;

// Bitmasks of the interesting bytes in one 64-byte-aligned window of the buffer. A field scan
// is then a shift and a count-trailing-zeros: no per-byte branches, and no load → compare →
// movemask chain on the critical path of every field (SSE2 is always there on x86-64).
struct Window {
  // No window: any buffer index minus this wraps around to a huge distance.
  static constexpr size_t kNone = SIZE_MAX / 2;
  size_t base = kNone;    // buffer index of bit 0
  uint64_t unquoted = 0;  // delimiter, CR, LF, NUL: ends an unquoted field
  uint64_t quoted = 0;    // quote, CR, LF, NUL: stops the scan of a quoted field

  void load(const char* p, size_t at, char delim) {
    base = at;
#if defined(__SSE2__)
    const __m128i d = _mm_set1_epi8(delim), q = _mm_set1_epi8('"'), cr = _mm_set1_epi8('\r'),
                  lf = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
    uint64_t mu = 0, mq = 0;
    for (int k = 0; k < 4; ++k) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + at + 16 * k));
      __m128i line = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf)),
                                  _mm_cmpeq_epi8(v, zero));
      auto bits = [](__m128i x) {
        return static_cast<uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(x)));
      };
      mu |= bits(_mm_or_si128(line, _mm_cmpeq_epi8(v, d))) << (16 * k);
      mq |= bits(_mm_or_si128(line, _mm_cmpeq_epi8(v, q))) << (16 * k);
    }
    unquoted = mu, quoted = mq;
#else
    unquoted = quoted = 0;
    for (int k = 0; k < 64; ++k) {
      char c = p[at + k];
      bool line = c == '\r' || c == '\n' || c == '\0';
      unquoted |= static_cast<uint64_t>(line || c == delim) << k;
      quoted |= static_cast<uint64_t>(line || c == '"') << k;
    }
#endif
  }
};

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

}  // namespace

struct RecordReader::Impl {
  enum class Step { kRecord, kEnd, kNeedMore };

  std::string name;
  Encoding encoding = Encoding::Utf8;
  char delim = ';';
  std::unique_ptr<::io::ByteSourceBase> src;
  io_detail::RawSource* raw = nullptr;  // innermost source, owned through `src`
  uint64_t total = 0;

  std::unique_ptr<char[]> buf;
  size_t cap = 0, pos = 0, end = 0;
  bool eof = false;
  int64_t line = 1;  // physical line of buf[pos]

  std::vector<std::string> header;
  int64_t header_line = 0;

  // Per-record state of parse().
  size_t field_cap = kMaxColumns + 1;  // fields beyond this are counted, not stored
  size_t field_count = 0;
  std::string scratch;                                    // unescaped `""` fields
  std::vector<std::pair<size_t, size_t>> scratch_fields;  // (field index, offset in scratch)

  Window window;  // cached masks; invalidated whenever buffer contents or delimiter change

  void set_delimiter(char d) {
    delim = d;
    window.base = Window::kNone;
  }

  // Index of the first byte in buf[i, n) that ends an unquoted field (quoted: stops a quoted
  // scan), or n.
  template <bool kQuoted>
  size_t find_stop(size_t i, size_t n) {
    while (i < n) {
      if (i - window.base >= 64) window.load(buf.get(), i & ~size_t{63}, delim);
      uint64_t m = (kQuoted ? window.quoted : window.unquoted) >> (i - window.base);
      if (m != 0) return std::min(n, i + static_cast<size_t>(__builtin_ctzll(m)));
      i = window.base + 64;
    }
    return n;
  }

  [[noreturn]] void throw_nul(int64_t at_line) const {
    throw InputError(fmt::format("{}:{}: binary data (NUL byte)", name, at_line));
  }

  // Moves the unparsed tail to the front of the buffer and reads more after it.
  void refill() {
    window.base = Window::kNone;
    size_t keep = end - pos;
    if (keep >= kMaxRecordBytes) {
      throw InputError(fmt::format("{}:{}: record larger than {} MiB (unbalanced quote?)", name,
                                   line, kMaxRecordBytes >> 20));
    }
    if (pos > 0) {
      std::memmove(buf.get(), buf.get() + pos, keep);
      pos = 0, end = keep;
    }
    if (cap - end < static_cast<size_t>(kBlockSize)) {
      size_t new_cap = std::max(cap * 2, end + kBlockSize);
      std::unique_ptr<char[]> grown(new char[new_cap + kPadding]);
      std::memcpy(grown.get(), buf.get(), end);
      buf = std::move(grown);
      cap = new_cap;
    }
    int got = src->read(buf.get() + end, static_cast<int>(std::min<size_t>(cap - end, INT_MAX)));
    if (got <= 0) {
      eof = true;
    } else {
      end += static_cast<size_t>(got);
    }
    // Window loads may read up to 63 bytes past the data; keep those bytes defined.
    std::memset(buf.get() + end, 0, kPadding);
  }

  // Splits the next non-blank record starting at buf[pos] into `out` (fields, line, error) and
  // sets field_count. Blank lines are consumed even when the record then needs more data.
  Step parse(Record& out) {
    const char* b = buf.get();
    const size_t n = end;

    for (;;) {  // blank lines: only spaces/tabs, whatever the delimiter (§8.4)
      size_t q = pos;
      while (q < n && (b[q] == ' ' || b[q] == '\t')) ++q;
      if (q == n) {
        if (!eof) return Step::kNeedMore;
        pos = n;
        return Step::kEnd;
      }
      if (b[q] == '\n') {
        pos = q + 1, ++line;
        continue;
      }
      if (b[q] == '\r') {
        if (q + 1 == n && !eof) return Step::kNeedMore;  // CRLF or lone CR?
        pos = q + 1 + (q + 1 < n && b[q + 1] == '\n');
        ++line;
        continue;
      }
      break;
    }

    out.fields.clear();
    out.error.clear();
    out.raw = {};
    out.line = line;
    scratch.clear();
    scratch_fields.clear();
    field_count = 0;

    const char d = delim;
    // With TAB as the delimiter only spaces are trimmed. Two compares, no short-circuit branch.
    const char space2 = d == '\t' ? ' ' : '\t';
    auto is_space = [space2](char c) { return (c == ' ') | (c == space2); };
    auto field = [&](const char* p, size_t len) __attribute__((always_inline)) {
      if (field_count++ < field_cap) out.fields.emplace_back(p, len);
    };

    int64_t at = line;  // line of b[i]
    size_t i = pos;
    const size_t record_start = pos;
    for (;;) {
      while (i < n && is_space(b[i])) ++i;
      if (i < n && b[i] == '"') {
        const size_t start = ++i;
        size_t seg = start;  // first byte not yet copied to scratch (escaped fields only)
        size_t scratch_off = std::string::npos;
        for (;;) {
          i = find_stop<true>(i, n);
          if (i == n) {
            if (!eof) return Step::kNeedMore;
            // The rest of the file is this one bad row, reported at its first line.
            out.error = "unterminated quoted field";
            pos = n, line = at;
            return Step::kRecord;
          }
          const char c = b[i];
          if (c == '"') {
            if (i + 1 == n && !eof) return Step::kNeedMore;  // `""` or closing quote?
            if (i + 1 < n && b[i + 1] == '"') {
              if (scratch_off == std::string::npos) scratch_off = scratch.size();
              scratch.append(b + seg, i + 1 - seg);  // up to and including one quote
              i += 2, seg = i;
              continue;
            }
            break;
          }
          if (c == '\n') {
            ++i, ++at;
          } else if (c == '\r') {
            ++i, ++at;
            if (i < n && b[i] == '\n') ++i;
          } else {
            throw_nul(at);
          }
        }
        if (scratch_off == std::string::npos) {
          field(b + start, i - start);
        } else {
          scratch.append(b + seg, i - seg);
          if (field_count < field_cap) scratch_fields.emplace_back(field_count, scratch_off);
          field(b, scratch.size() - scratch_off);  // pointer fixed below, scratch may move
        }
        ++i;  // closing quote
        while (i < n && is_space(b[i])) ++i;
        if (i < n && b[i] != d && b[i] != '\n' && b[i] != '\r') {
          if (out.error.empty()) out.error = "unexpected character after closing quote";
          // Resynchronise: the junk runs as unquoted text to the next delimiter or record end.
          i = find_stop<false>(i, n);
          if (i < n && b[i] == '\0') throw_nul(at);
        }
      } else {
        const size_t start = i;
        i = find_stop<false>(i, n);
        if (i < n && b[i] == '\0') throw_nul(at);
        size_t e = i;
        while (e > start && is_space(b[e - 1])) --e;
        field(b + start, e - start);
      }

      if (i == n) {
        if (!eof) return Step::kNeedMore;
        pos = n, line = at;  // last record without a line end
        break;
      }
      const char c = b[i];
      if (c == d) {
        ++i;
        continue;
      }
      if (c == '\r') {
        if (i + 1 == n && !eof) return Step::kNeedMore;
        if (i + 1 < n && b[i + 1] == '\n') ++i;
      }
      pos = i + 1, line = at + 1;
      break;
    }

    for (auto [index, off] : scratch_fields) {
      out.fields[index] = std::string_view(scratch.data() + off, out.fields[index].size());
    }
    out.raw =
        scratch.empty() ? std::string_view(b + record_start, i - record_start) : std::string_view();
    return Step::kRecord;
  }

  // Parses with `delim`, refilling as needed; false at end of input.
  bool parse_full(Record& out) {
    for (;;) {
      Step s = parse(out);
      if (s == Step::kNeedMore) {
        refill();
        continue;
      }
      return s == Step::kRecord;
    }
  }

  void read_header(char requested) {
    Record rec;
    char chosen = requested;
    if (requested == 0) {
      // §8.3: the candidate that splits the header record into the most fields; ties and "none"
      // go to the earlier candidate. Each trial parses the header record with that delimiter
      // (quotes open only at field starts, which depend on it) and is then rewound.
      for (;;) {
        const size_t save_pos = pos;
        const int64_t save_line = line;
        size_t best = 0;
        chosen = ';';
        Step s = Step::kRecord;
        for (char cand : {';', ',', '\t', '|'}) {
          set_delimiter(cand);
          s = parse(rec);
          if (s != Step::kRecord) break;
          if (field_count > best) best = field_count, chosen = cand;
          pos = save_pos, line = save_line;
        }
        if (s == Step::kNeedMore) {
          refill();
          continue;
        }
        if (s == Step::kEnd) throw InputError(fmt::format("{}: no header line", name));
        break;
      }
    }
    set_delimiter(chosen);
    field_cap = kMaxColumns + 1;
    if (!parse_full(rec)) throw InputError(fmt::format("{}: no header line", name));
    if (!rec.error.empty()) {
      throw InputError(fmt::format("{}:{}: header: {}", name, rec.line, rec.error));
    }
    if (field_count > kMaxColumns) {
      throw InputError(
          fmt::format("{}:{}: header has more than {} columns", name, rec.line, kMaxColumns));
    }
    header.assign(rec.fields.begin(), rec.fields.end());
    header_line = rec.line;
    // Data rows store one field more than the header: enough to know the count is wrong, and
    // a row of a million delimiters cannot blow up memory.
    field_cap = header.size() + 1;
  }

  void open(const std::string& path, Encoding requested) {
    int fd = 0;
    bool owns = false;
    if (path != "-") {
      fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) throw InputError(fmt::format("{}: cannot open: {}", name, std::strerror(errno)));
      owns = true;
    }
    // Until a source takes ownership of fd, close it ourselves on error.
    struct Guard {
      int fd;
      bool armed;
      ~Guard() {
        if (armed) ::close(fd);
      }
    } guard{fd, owns};

    struct stat st {};
    if (::fstat(fd, &st) != 0) {
      throw InputError(fmt::format("{}: cannot open: {}", name, std::strerror(errno)));
    }
    if (S_ISDIR(st.st_mode)) {
      throw InputError(fmt::format("{}: cannot open: {}", name, std::strerror(EISDIR)));
    }
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
  void open_memory(std::string data, Encoding requested) {
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

  void start_reading(std::unique_ptr<io_detail::RawSource> raw_src) {
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
};

RecordReader::RecordReader(const std::string& path, Encoding encoding, char delimiter,
                           std::string display_name)
    : impl_(std::make_unique<Impl>()) {
  impl_->name = display_name.empty() ? path : std::move(display_name);
  if (delimiter != 0 && delimiter != ';' && delimiter != ',' && delimiter != '\t' &&
      delimiter != '|') {
    throw UsageError(fmt::format("unsupported delimiter '{}'", delimiter));
  }
  impl_->open(path, encoding);
  impl_->read_header(delimiter);
}

RecordReader::RecordReader(InMemory data, Encoding encoding, char delimiter,
                           std::string display_name)
    : impl_(std::make_unique<Impl>()) {
  impl_->name = std::move(display_name);
  if (delimiter != 0 && delimiter != ';' && delimiter != ',' && delimiter != '\t' &&
      delimiter != '|') {
    throw UsageError(fmt::format("unsupported delimiter '{}'", delimiter));
  }
  impl_->open_memory(std::move(data.bytes), encoding);
  impl_->read_header(delimiter);
}

RecordReader::~RecordReader() = default;

const std::vector<std::string>& RecordReader::header() const {
  return impl_->header;
}
int64_t RecordReader::header_line() const {
  return impl_->header_line;
}
char RecordReader::delimiter() const {
  return impl_->delim;
}
Encoding RecordReader::encoding() const {
  return impl_->encoding;
}
const std::string& RecordReader::name() const {
  return impl_->name;
}

bool RecordReader::next(Record& out) {
  Impl& m = *impl_;
  if (!m.parse_full(out)) return false;
  if (out.error.empty() && m.field_count != m.header.size()) {
    out.error = fmt::format("expected {} fields, found {}", m.header.size(), m.field_count);
  }
  return true;
}

uint64_t RecordReader::bytes_read() const {
  uint64_t n = impl_->raw ? impl_->raw->consumed() : 0;
  return impl_->total ? std::min(n, impl_->total) : n;
}

uint64_t RecordReader::total_bytes() const {
  return impl_->total;
}

}  // namespace kartoteka
