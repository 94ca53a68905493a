// A visit's identity packed into 64 bits without a table (§8.5: a visit counted once): the date
// when it has no visit_id, else a numeric id of up to 17 digits or a short id of up to 7 bytes,
// each tagged in the top 2 bits (a long id's tag, 3, is its owner's: it numbers them itself).
#pragma once
#include <cstddef>
#include <cstdint>

#include "model/visit_stats.h"

namespace kartoteka {

// The packed key, or 0 for a long visit_id (the caller numbers those; a visit with a visit_id
// never packs to 0, its tag being set).
inline uint64_t packed_visit_key(const VisitRow& r) {
  constexpr uint64_t kDate = 0, kNumber = 1ull << 62, kShort = 2ull << 62;
  if (r.visit_id.empty()) return kDate | static_cast<uint32_t>(r.date);
  const auto& v = r.visit_id;
  if (v.size() <= 17) {
    uint64_t n = 0;
    bool digits = true;
    for (char c : v) {
      unsigned d = static_cast<unsigned char>(c) - '0';
      digits &= d <= 9;
      n = n * 10 + d;
    }
    if (digits) return kNumber | static_cast<uint64_t>(v.size()) << 57 | n;
  }
  if (v.size() <= 7) {
    uint64_t w = 0;
    for (size_t i = 0; i < v.size(); ++i)
      w |= static_cast<uint64_t>(static_cast<unsigned char>(v[i])) << (8 * i);
    return kShort | static_cast<uint64_t>(v.size()) << 56 | w;
  }
  return 0;
}

}  // namespace kartoteka
