// Strict UTF-8 validation: see utf8.h.
#include "io/utf8.h"

#include <cstdint>
#include <cstring>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

#include "base/words.h"

namespace kartoteka::io_detail {
namespace {

// Byte-at-a-time validation (with an ASCII skip); exact about where the first error is.
size_t utf8_check_scalar(const char* data, size_t size, bool final, size_t* tail) {
  const auto* p = reinterpret_cast<const unsigned char*>(data);
  size_t i = 0;
  while (i < size) {
    // Exports are mostly ASCII digits and separators: skip them a word at a time.
    while (i + 8 <= size && (load64(data + i) & kHighBits) == 0) i += 8;
    if (i >= size) break;
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c == 0xE0) {
      len = 3, lo = 0xA0;  // no overlongs
    } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
      len = 3;
    } else if (c == 0xED) {
      len = 3, hi = 0x9F;  // no surrogates
    } else if (c == 0xF0) {
      len = 4, lo = 0x90;
    } else if (c >= 0xF1 && c <= 0xF3) {
      len = 4;
    } else if (c == 0xF4) {
      len = 4, hi = 0x8F;  // nothing above U+10FFFF
    } else {
      return i;
    }
    for (size_t k = 1; k < len; ++k) {
      if (i + k >= size) {
        if (final) return i;
        if (tail) *tail = size - i;
        return size;
      }
      unsigned char d = p[i + k];
      if (d < (k == 1 ? lo : 0x80) || d > (k == 1 ? hi : 0xBF)) return i;
    }
    i += len;
  }
  return size;
}

#if defined(__x86_64__) && defined(__GNUC__)
#define KARTOTEKA_UTF8_AVX2 1

// Keiser & Lemire, "Validating UTF-8 In Less Than One Instruction Per Byte" (the lookup
// algorithm simdjson and simdutf use). Cyrillic text defeats an ASCII fast path, and the scalar
// loop then runs at ~0.5 GB/s; this checks 32 bytes per step. Checks data[0, 32 * blocks) and
// returns false on any error. A sequence cut by the end of the range is not reported: the caller
// re-checks the last character with the scalar code.
constexpr uint8_t kTooShort = 1 << 0, kTooLong = 1 << 1, kOverlong3 = 1 << 2, kTooLarge = 1 << 3,
                  kSurrogate = 1 << 4, kOverlong2 = 1 << 5, kTooLarge1000 = 1 << 6,
                  kOverlong4 = 1 << 6, kTwoConts = 1 << 7;
constexpr uint8_t kCarry = kTooShort | kTooLong | kTwoConts;
constexpr uint8_t kBig = kCarry | kTooLarge | kTooLarge1000;
constexpr uint8_t kCont80 =
    kTooLong | kOverlong2 | kTwoConts | kOverlong3 | kTooLarge1000 | kOverlong4;
constexpr uint8_t kCont90 = kTooLong | kOverlong2 | kTwoConts | kOverlong3 | kTooLarge;
constexpr uint8_t kContA0 = kTooLong | kOverlong2 | kTwoConts | kSurrogate | kTooLarge;
// Error classes by the high nibble of the previous byte, its low nibble, the high nibble of
// this byte; a pair is invalid when all three share a bit.
alignas(16) constexpr uint8_t kByte1High[16] = {kTooLong,
                                                kTooLong,
                                                kTooLong,
                                                kTooLong,
                                                kTooLong,
                                                kTooLong,
                                                kTooLong,
                                                kTooLong,
                                                kTwoConts,
                                                kTwoConts,
                                                kTwoConts,
                                                kTwoConts,
                                                kTooShort | kOverlong2,
                                                kTooShort,
                                                kTooShort | kOverlong3 | kSurrogate,
                                                kTooShort | kTooLarge | kTooLarge1000 | kOverlong4};
alignas(16) constexpr uint8_t kByte1Low[16] = {kCarry | kOverlong3 | kOverlong2 | kOverlong4,
                                               kCarry | kOverlong2,
                                               kCarry,
                                               kCarry,
                                               kCarry | kTooLarge,
                                               kBig,
                                               kBig,
                                               kBig,
                                               kBig,
                                               kBig,
                                               kBig,
                                               kBig,
                                               kBig,
                                               kBig | kSurrogate,
                                               kBig,
                                               kBig};
alignas(16) constexpr uint8_t kByte2High[16] = {
    kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort,
    kCont80,   kCont90,   kContA0,   kContA0,   kTooShort, kTooShort, kTooShort, kTooShort};

__attribute__((target("avx2"))) bool utf8_valid_avx2(const char* data, size_t blocks) {
  const __m256i byte1_high =
      _mm256_broadcastsi128_si256(_mm_load_si128(reinterpret_cast<const __m128i*>(kByte1High)));
  const __m256i byte1_low =
      _mm256_broadcastsi128_si256(_mm_load_si128(reinterpret_cast<const __m128i*>(kByte1Low)));
  const __m256i byte2_high =
      _mm256_broadcastsi128_si256(_mm_load_si128(reinterpret_cast<const __m128i*>(kByte2High)));
  // Non-zero where the last three bytes of a block begin a sequence the block does not finish.
  const __m256i max_value =
      _mm256_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                       -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, static_cast<char>(0xF0 - 1),
                       static_cast<char>(0xE0 - 1), static_cast<char>(0xC0 - 1));
  const __m256i low_nibble = _mm256_set1_epi8(0x0F);

  __m256i error = _mm256_setzero_si256();
  __m256i prev_input = _mm256_setzero_si256();
  __m256i prev_incomplete = _mm256_setzero_si256();
  for (size_t b = 0; b < blocks; ++b) {
    const __m256i input = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(data + 32 * b));
    if (_mm256_movemask_epi8(input) == 0) {
      error = _mm256_or_si256(error, prev_incomplete);
    } else {
      // prevN = the input shifted N bytes later, filled from the previous block.
      const __m256i carry_in = _mm256_permute2x128_si256(prev_input, input, 0x21);
      const __m256i prev1 = _mm256_alignr_epi8(input, carry_in, 16 - 1);
      const __m256i prev2 = _mm256_alignr_epi8(input, carry_in, 16 - 2);
      const __m256i prev3 = _mm256_alignr_epi8(input, carry_in, 16 - 3);
      const __m256i b1h = _mm256_shuffle_epi8(
          byte1_high, _mm256_and_si256(_mm256_srli_epi16(prev1, 4), low_nibble));
      const __m256i b1l = _mm256_shuffle_epi8(byte1_low, _mm256_and_si256(prev1, low_nibble));
      const __m256i b2h = _mm256_shuffle_epi8(
          byte2_high, _mm256_and_si256(_mm256_srli_epi16(input, 4), low_nibble));
      const __m256i special = _mm256_and_si256(_mm256_and_si256(b1h, b1l), b2h);
      const __m256i third = _mm256_subs_epu8(prev2, _mm256_set1_epi8(0xE0 - 0x80));
      const __m256i fourth = _mm256_subs_epu8(prev3, _mm256_set1_epi8(0xF0 - 0x80));
      const __m256i must23 = _mm256_and_si256(_mm256_or_si256(third, fourth),
                                              _mm256_set1_epi8(static_cast<char>(0x80)));
      error = _mm256_or_si256(error, _mm256_xor_si256(must23, special));
      prev_incomplete = _mm256_subs_epu8(input, max_value);
    }
    prev_input = input;
    // Checking once per 64 blocks keeps the loop tight and still stops early on cp1251 input.
    if ((b & 63) == 63 && !_mm256_testz_si256(error, error)) return false;
  }
  return _mm256_testz_si256(error, error);
}
#endif

}  // namespace

size_t utf8_check(const char* data, size_t size, bool final, size_t* tail) {
  if (tail) *tail = 0;
#ifdef KARTOTEKA_UTF8_AVX2
  static const bool has_avx2 = __builtin_cpu_supports("avx2");
  if (has_avx2 && size >= 64) {
    size_t m = size & ~size_t{31};
    if (!utf8_valid_avx2(data, m / 32)) {
      return utf8_check_scalar(data, size, final, tail);  // find where, exactly
    }
    // All of [0, m) is consistent; the last character may continue past m. Re-check from its
    // lead byte on.
    const auto* p = reinterpret_cast<const unsigned char*>(data);
    size_t s = m;
    while (s > 0 && m - s < 3 && (p[s - 1] & 0xC0) == 0x80) --s;
    if (s > 0 && p[s - 1] >= 0xC0) --s;
    size_t sub_tail = 0;
    size_t r = utf8_check_scalar(data + s, size - s, final, &sub_tail);
    if (tail) *tail = sub_tail;
    return s + r;
  }
#endif
  return utf8_check_scalar(data, size, final, tail);
}

}  // namespace kartoteka::io_detail
