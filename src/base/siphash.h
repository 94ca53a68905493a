// SipHash-2-4 (Aumasson, Bernstein): a keyed 64-bit hash, used where a value must not be
// recoverable from its hash without the key (--mask pseudonyms, rules/mask.h).
#pragma once
#include <cstdint>
#include <string_view>

namespace kartoteka {

// SipHash-2-4 of `data` under the 128-bit key (k0, k1): the reference test vectors hold
// (tests/unit/test_mask.cpp).
uint64_t siphash24(uint64_t k0, uint64_t k1, std::string_view data);

}  // namespace kartoteka
