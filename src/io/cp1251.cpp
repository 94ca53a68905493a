#include "io/cp1251.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <stdexcept>

#include "base/words.h"
#include "io/byte_source.h"

namespace kartoteka::io_detail {

namespace {

// Code points of bytes 0x80–0xBF (Microsoft's table; 0x98 is undefined → U+FFFD). Bytes
// 0xC0–0xFF are А–я in order: U+0410 + (byte − 0xC0).
constexpr uint16_t kCp1251High[64] = {
    0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021,  // 80
    0x20AC, 0x2030, 0x0409, 0x2039, 0x040A, 0x040C, 0x040B, 0x040F,  // 88
    0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,  // 90
    0xFFFD, 0x2122, 0x0459, 0x203A, 0x045A, 0x045C, 0x045B, 0x045F,  // 98
    0x00A0, 0x040E, 0x045E, 0x0408, 0x00A4, 0x0490, 0x00A6, 0x00A7,  // A0
    0x0401, 0x00A9, 0x0404, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x0407,  // A8
    0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6, 0x00B7,  // B0
    0x0451, 0x2116, 0x0454, 0x00BB, 0x0458, 0x0405, 0x0455, 0x0457,  // B8
};

// Pre-encoded UTF-8 so decoding is a table copy. Every entry is 2 or 3 bytes; all 4 bytes are
// copied at once and only `len` of them kept.
struct Utf8Char {
  char bytes[4];
  uint8_t len;
};

constexpr std::array<Utf8Char, 128> make_table() {
  std::array<Utf8Char, 128> t{};
  for (int i = 0; i < 128; ++i) {
    uint32_t cp = i < 64 ? kCp1251High[i] : 0x0410 + (i - 64);
    if (cp < 0x800) {
      t[i] = {{static_cast<char>(0xC0 | (cp >> 6)), static_cast<char>(0x80 | (cp & 0x3F)), 0, 0},
              2};
    } else {
      t[i] = {{static_cast<char>(0xE0 | (cp >> 12)), static_cast<char>(0x80 | ((cp >> 6) & 0x3F)),
               static_cast<char>(0x80 | (cp & 0x3F)), 0},
              3};
    }
  }
  return t;
}

constexpr std::array<Utf8Char, 128> kTable = make_table();
// А (0xC0) and я (0xFF), the ends of the computed range, as UTF-8.
static_assert(kTable[0x40].len == 2 && kTable[0x40].bytes[0] == '\xD0' &&
              kTable[0x40].bytes[1] == '\x90');
static_assert(kTable[0x7F].len == 2 && kTable[0x7F].bytes[0] == '\xD1' &&
              kTable[0x7F].bytes[1] == '\x8F');

// All 256 bytes, ASCII included, for the branch-free path.
constexpr std::array<Utf8Char, 256> make_full_table() {
  std::array<Utf8Char, 256> t{};
  for (int i = 0; i < 128; ++i) t[i] = {{static_cast<char>(i), 0, 0, 0}, 1};
  for (int i = 0; i < 128; ++i) t[128 + i] = kTable[i];
  return t;
}

constexpr std::array<Utf8Char, 256> kFullTable = make_full_table();

}  // namespace

size_t cp1251_to_utf8(const char* in, size_t size, char* out) {
  char* o = out;
  size_t i = 0;
  // Mixed Cyrillic/ASCII text would mispredict a per-byte branch, so 16 bytes at a time are
  // either copied (all ASCII) or translated without branches through a 256-entry table. Each
  // table entry stores 4 bytes; stopping one byte early keeps those stores inside 3 * size.
  while (i + 17 <= size) {
    if (((load64(in + i) | load64(in + i + 8)) & kHighBits) == 0) {
      std::memcpy(o, in + i, 16);
      i += 16, o += 16;
      continue;
    }
    for (int k = 0; k < 16; ++k) {
      const Utf8Char& u = kFullTable[static_cast<unsigned char>(in[i + k])];
      std::memcpy(o, u.bytes, 4);
      o += u.len;
    }
    i += 16;
  }
  for (; i < size; ++i) {
    const Utf8Char& u = kFullTable[static_cast<unsigned char>(in[i])];
    std::memcpy(o, u.bytes, 3);
    o += u.len;
  }
  return static_cast<size_t>(o - out);
}

Cp1251Source::Cp1251Source(std::unique_ptr<::io::ByteSourceBase> inner)
    : inner_(std::move(inner)), in_(new char[kBlockSize]) {}

int Cp1251Source::read(char* buffer, int size) {
  if (pos_ == end_) {
    int got = inner_->read(in_.get(), kBlockSize);
    if (got <= 0) return 0;
    pos_ = 0, end_ = static_cast<size_t>(got);
  }
  // Decode as much as surely fits: each input byte becomes at most 3 output bytes.
  // A buffer under 3 bytes might not hold one character, and returning 0 would mean "end".
  if (size < 3) throw std::logic_error("Cp1251Source::read: buffer smaller than 3 bytes");
  size_t take = std::min(end_ - pos_, static_cast<size_t>(size) / 3);
  size_t n = cp1251_to_utf8(in_.get() + pos_, take, buffer);
  pos_ += take;
  return static_cast<int>(n);
}

}  // namespace kartoteka::io_detail
