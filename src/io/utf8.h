// Strict UTF-8 validation of input bytes (SPEC §8.2): a scalar checker exact about where the first
// error is, and an AVX2 path (Keiser & Lemire) for long runs of Cyrillic text.
#pragma once
#include <cstddef>

namespace kartoteka::io_detail {

// Checks `data[0, size)` as UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF). Returns
// the offset of the first byte that starts an invalid sequence, or `size` when all is valid.
// When `final` is false, an incomplete but so-far valid sequence at the very end is not an
// error: *tail receives its length (0–3) so the caller can carry it into the next chunk.
size_t utf8_check(const char* data, size_t size, bool final, size_t* tail);

}  // namespace kartoteka::io_detail
