// The hash of patient card numbers (short digit strings) for PatientTable's open addressing:
// fast, not keyed (ids come from the clinic's own export, not from an adversary).
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace kartoteka {

// The id's first (up to) 8 bytes as a little-endian word, zero padded. Ids hold no NUL bytes (the
// reader rejects them), so for ids of at most 8 bytes equal words and lengths mean equal ids.
inline uint64_t head_word(std::string_view s) {
  uint64_t w = 0;
  if (!s.empty()) std::memcpy(&w, s.data(), std::min<size_t>(s.size(), 8));
  return w;
}

inline uint64_t mix(uint64_t h) {
  h ^= h >> 32;
  h *= 0xD6E8FEB86659FD93ull;
  h ^= h >> 32;
  return h;
}

// Fast hash for card numbers (short digit strings): 8 bytes at a time, multiply-xorshift.
inline uint64_t id_hash(std::string_view s, uint64_t head) {
  uint64_t h = (head ^ (s.size() * 0x9E3779B97F4A7C15ull)) * 0xBF58476D1CE4E5B9ull;
  for (size_t i = 8; i < s.size(); i += 8) {
    uint64_t w = 0;
    std::memcpy(&w, s.data() + i, std::min<size_t>(s.size() - i, 8));
    h = (h ^ mix(w + i)) * 0x94D049BB133111EBull;
  }
  return mix(h);
}

}  // namespace kartoteka
