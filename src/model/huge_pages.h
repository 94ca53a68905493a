// Large tables are touched once, page by page; in a VM every 4 KiB page fault is expensive, so
// ask for transparent huge pages (where the system allows them on request) before first touch.
#pragma once
#include <sys/mman.h>

#include <cstddef>
#include <cstdint>

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

}  // namespace kartoteka
