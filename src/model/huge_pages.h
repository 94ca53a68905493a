// Large tables are touched once, page by page; in a VM every 4 KiB page fault is expensive, so
// ask for transparent huge pages (where the system allows them on request) before first touch.
#pragma once
#include <sys/mman.h>

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace kartoteka {

inline void advise_huge(const void* p, size_t bytes) {
#ifdef MADV_HUGEPAGE
  if (bytes < (size_t{4} << 20)) return;
  uintptr_t a = (reinterpret_cast<uintptr_t>(p) + 4095) & ~uintptr_t{4095};
  uintptr_t e = (reinterpret_cast<uintptr_t>(p) + bytes) & ~uintptr_t{4095};
  if (e > a) madvise(reinterpret_cast<void*>(a), e - a, MADV_HUGEPAGE);
#else
  (void)p, (void)bytes;
#endif
}

// Memory for many small blocks, carved in order from large chunks that ask for huge pages before
// first touch: ten million small records then fault in 2 MiB pages, not 4 KiB ones. Untouched
// chunk memory costs no resident memory. Blocks are not freed one by one; clear() frees all.
class ChunkArena {
  static_assert(__STDCPP_DEFAULT_NEW_ALIGNMENT__ >= 16, "chunks start 16-byte aligned");

 public:
  // `bytes` (at most kChunk), 16-byte aligned, uninitialised.
  void* allocate(size_t bytes) {
    assert(bytes <= kChunk && "ChunkArena: a block larger than a chunk");
    bytes = (bytes + 15) & ~size_t{15};
    if (used_ + bytes > kChunk) {
      chunks_.push_back(std::make_unique_for_overwrite<char[]>(kChunk));
      advise_huge(chunks_.back().get(), kChunk);
      used_ = 0;
    }
    void* p = chunks_.back().get() + used_;
    used_ += bytes;
    return p;
  }
  void clear() {
    chunks_.clear();
    used_ = kChunk;
  }
  static constexpr size_t kChunk = size_t{32} << 20;

 private:
  std::vector<std::unique_ptr<char[]>> chunks_;
  size_t used_ = kChunk;
};

}  // namespace kartoteka
