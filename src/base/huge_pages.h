// Large tables are touched once, page by page; in a VM every 4 KiB page fault is expensive, so
// ask for transparent huge pages (where the system allows them on request) before first touch.
#pragma once
#include <sys/mman.h>

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "base/background.h"

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
//
// With prefault_ahead(true), an arena that has outgrown its first chunk has the next one faulted
// in on a second thread while it fills the current one: in a VM a page fault (the kernel
// clearing a huge page) costs more than the writes that follow it, and the thread filling the
// arena is often the busiest one. That costs at most one chunk of memory nobody uses.
class ChunkArena {
  static_assert(__STDCPP_DEFAULT_NEW_ALIGNMENT__ >= 16, "chunks start 16-byte aligned");

 public:
  ChunkArena() = default;
  ChunkArena(ChunkArena&&) noexcept = default;
  ChunkArena& operator=(ChunkArena&& other) noexcept {
    settle();
    chunks_ = std::move(other.chunks_);
    spare_ = std::move(other.spare_);
    faulting_ = std::move(other.faulting_);
    used_ = other.used_;
    prefault_ = other.prefault_;
    return *this;
  }
  ~ChunkArena() { settle(); }

  void prefault_ahead(bool on) { prefault_ = on; }

  // `bytes` (at most kChunk), 16-byte aligned, uninitialised.
  void* allocate(size_t bytes) {
    assert(bytes <= kChunk && "ChunkArena: a block larger than a chunk");
    bytes = (bytes + 15) & ~size_t{15};
    if (used_ + bytes > kChunk) next_chunk();
    void* p = chunks_.back().get() + used_;
    used_ += bytes;
    return p;
  }
  void clear() {
    settle();
    spare_.reset();
    chunks_.clear();
    used_ = kChunk;
  }
  static constexpr size_t kChunk = size_t{32} << 20;

 private:
  static std::unique_ptr<char[]> fresh() {
    auto chunk = std::make_unique_for_overwrite<char[]>(kChunk);
    advise_huge(chunk.get(), kChunk);
    return chunk;
  }
  // Waits for the spare chunk's faulting, if any (it cannot fail).
  void settle() { faulting_.reset(); }
  void next_chunk() {
    settle();
    chunks_.push_back(spare_ ? std::move(spare_) : fresh());
    used_ = 0;
    if (!prefault_ || chunks_.size() < 2) return;
    spare_ = fresh();
    // One write a page makes the kernel provide it; the bytes are ours and still unset.
    volatile char* p = spare_.get();
    faulting_ = std::make_unique<Background>([p] {
      for (size_t i = 0; i < kChunk; i += 4096) p[i] = 0;
    });
  }

  std::vector<std::unique_ptr<char[]>> chunks_;
  std::unique_ptr<char[]> spare_;         // the next chunk, being faulted in by faulting_
  std::unique_ptr<Background> faulting_;  // on the heap: a Background does not move
  size_t used_ = kChunk;
  bool prefault_ = false;
};

}  // namespace kartoteka
