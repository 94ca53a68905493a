// ChunkArena: blocks are 16-byte aligned, never overlap, and a new chunk starts when the current
// one cannot hold the next block whole.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "base/huge_pages.h"

using kartoteka::ChunkArena;

TEST_CASE("ChunkArena: aligned, disjoint blocks across chunks") {
  ChunkArena arena;
  // 19-byte records (the ledger's) round up to 32 bytes: consecutive blocks sit 32 bytes apart.
  auto* a = static_cast<char*>(arena.allocate(19));
  auto* b = static_cast<char*>(arena.allocate(19));
  CHECK(reinterpret_cast<uintptr_t>(a) % 16 == 0);
  CHECK(b - a == 32);
  std::memset(a, 1, 19);
  std::memset(b, 2, 19);
  CHECK(a[18] == 1);
  // Fill the rest of the first chunk (kChunk − 64 bytes left) exactly, then one more byte needs
  // a second chunk: its block cannot follow the first chunk's last one.
  auto* rest = static_cast<char*>(arena.allocate(ChunkArena::kChunk - 64));
  CHECK(rest == b + 32);
  rest[ChunkArena::kChunk - 65] = 3;  // the last byte of the first chunk is ours to write
  auto* next = static_cast<char*>(arena.allocate(1));
  CHECK(reinterpret_cast<uintptr_t>(next) % 16 == 0);
  CHECK((next < a || next >= rest + (ChunkArena::kChunk - 64)));
  *next = 4;
  CHECK(a[0] == 1);
  CHECK(b[0] == 2);
  arena.clear();
  auto* again = static_cast<char*>(arena.allocate(ChunkArena::kChunk));  // a whole chunk
  again[ChunkArena::kChunk - 1] = 5;
  CHECK(again[ChunkArena::kChunk - 1] == 5);
}

TEST_CASE("ChunkArena: prefaulting ahead changes no block, and clear() waits for it") {
  // Blocks of a quarter chunk: the fifth starts the second chunk, from which on the next chunk is
  // faulted in on another thread. Each block is filled with its number and read back after all
  // twelve (three chunks) are carved.
  ChunkArena arena;
  arena.prefault_ahead(true);
  constexpr size_t kQuarter = ChunkArena::kChunk / 4;
  std::vector<char*> blocks;
  for (int k = 0; k < 12; ++k) {
    blocks.push_back(static_cast<char*>(arena.allocate(kQuarter)));
    std::memset(blocks.back(), k + 1, kQuarter);
  }
  bool intact = true;
  for (int k = 0; k < 12; ++k)
    intact = intact && blocks[k][0] == k + 1 && blocks[k][kQuarter - 1] == k + 1;
  CHECK(intact);
  CHECK(blocks[4] != blocks[3] + kQuarter);  // a new chunk, not the first one's continuation
  arena.clear();                             // with the fourth chunk possibly still faulting
  ChunkArena moved = std::move(arena);       // an empty arena moves; the spare is gone
  auto* again = static_cast<char*>(moved.allocate(16));
  again[15] = 7;
  CHECK(again[15] == 7);
}
