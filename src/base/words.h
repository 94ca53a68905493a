// Eight bytes at a time: the ASCII fast paths of the byte scanners (UTF-8 check, cp1251 decoding)
// skip a word whose bytes all have the high bit clear.
#pragma once
#include <cstdint>
#include <cstring>

namespace kartoteka {

inline constexpr uint64_t kHighBits = 0x8080808080808080ULL;

// The 8 bytes at p as one word (any alignment).
inline uint64_t load64(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

}  // namespace kartoteka
