// An index from string keys to the items 0…n−1 that hold them, for keys that live in the items
// themselves (ids in the patients table): open addressing over item numbers, no node or string
// per item. A slot keeps half its key's hash beside the item, so a probe reads a key (a cache
// miss) only when the hashes agree: in practice for the key itself.
#pragma once
#include <bit>
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "base/prefetch.h"

namespace kartoteka {

// `KeyOf` maps an item number to its key (a std::string_view valid as long as the index is
// used); the index keeps it to compare keys when it looks one up.
template <class KeyOf>
class KeyIndex {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  // Indexes items 0…n−1; of two items with one key, the lower number is found. Items are
  // indexed in order, each key's slot asked for some items ahead (a cache miss each, overlapped).
  KeyIndex(uint32_t n, KeyOf key_of)
      : key_of_(std::move(key_of)),
        mask_(std::bit_ceil(size_t{n} * 2 + 2) - 1),
        slots_(mask_ + 1, Slot{0, kNone}) {
    constexpr uint32_t kAhead = 16;
    uint64_t ahead[kAhead] = {};
    for (uint32_t i = 0; i < n + kAhead; ++i) {
      if (i >= kAhead) {
        const uint32_t q = i - kAhead;  // its hash leaves the ring here, i's takes its place
        const uint64_t h = ahead[q % kAhead];
        Slot& s = slots_[slot_of(key_of_(q), h)];
        if (s.item == kNone) s = {static_cast<uint32_t>(h >> 32), q};
      }
      if (i < n) {
        ahead[i % kAhead] = hash_(key_of_(i));
        prefetch_read(&slots_[ahead[i % kAhead] & mask_]);
      }
    }
  }

  // The item with this key, kNone when none has it.
  uint32_t find(std::string_view key) const { return slots_[slot_of(key, hash_(key))].item; }

 private:
  struct Slot {
    uint32_t tag;  // the hash's high half (its low bits pick the slot)
    uint32_t item;
  };
  // The key's slot, or the empty slot where it would go.
  size_t slot_of(std::string_view key, uint64_t h) const {
    size_t i = h & mask_;
    const auto tag = static_cast<uint32_t>(h >> 32);
    while (slots_[i].item != kNone && (slots_[i].tag != tag || key_of_(slots_[i].item) != key))
      i = (i + 1) & mask_;
    return i;
  }

  KeyOf key_of_;
  size_t mask_;
  std::vector<Slot> slots_;
  std::hash<std::string_view> hash_;
};

}  // namespace kartoteka
