// Raw deflate (RFC 1951, no zlib or gzip wrapper) of one byte stream on several threads, the
// way pigz does it (issue 32: the zip of a 10^6-row xlsx list was a 1.4 s single-core tail).
//
// The input is cut into fixed blocks of kBlock bytes. zlib deflates each block on its own, primed
// with the last 32 KiB of the block before (deflateSetDictionary, so matches still reach back
// across the cut), and ends it with Z_SYNC_FLUSH: a non-final, byte-aligned end. The last block
// ends with Z_FINISH. Concatenated in order, the blocks' outputs are one valid deflate stream, and
// its bytes depend only on the input and the level, never on the number of threads or their
// timing. The compression itself is zlib's; this class only cuts, schedules and orders.
//
//   ParallelDeflate z(1, [&](std::span<const unsigned char> out) { file.write(out); });
//   z.write(data, size);   // any number of times; the sink gets compressed bytes in order,
//   z.write(more, n);      // on this thread, from inside write() and finish()
//   z.finish();            // then crc32() and size() describe the whole input
//
// Threads start with the second block, so a stream shorter than kBlock is deflated on the
// calling thread. At most kInFlight blocks (input and output, ~2.2 MiB each) are alive at once.
// write() and finish() throw std::runtime_error when zlib fails, or what the sink throws; after a
// throw the object may only be destroyed (the destructor stops and joins the workers).
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>

namespace kartoteka {

class ParallelDeflate {
 public:
  using Sink = std::function<void(std::span<const unsigned char>)>;
  static constexpr size_t kBlock = size_t{1} << 20;
  static constexpr size_t kInFlight = 4;

  // `threads`: workers once a second block exists; 0 means one per hardware thread.
  ParallelDeflate(int level, Sink sink, unsigned threads = 0);
  ~ParallelDeflate();
  ParallelDeflate(const ParallelDeflate&) = delete;
  ParallelDeflate& operator=(const ParallelDeflate&) = delete;

  void write(const void* data, size_t size);
  void finish();

  uint32_t crc32() const;  // of the input, after finish()
  uint64_t size() const;   // bytes of input

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kartoteka
