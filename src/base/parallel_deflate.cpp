// Block-parallel raw deflate: see parallel_deflate.h.
#include "base/parallel_deflate.h"

#include <zlib.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "base/ordered_jobs.h"

namespace kartoteka {
namespace {

constexpr size_t kWindow = 32 * 1024;  // deflate's reach back: the dictionary a block gets

struct Block {
  std::vector<unsigned char> dict;  // the previous block's last kWindow bytes (empty: first)
  std::vector<unsigned char> in;
  std::vector<unsigned char> out;
  bool last = false;
  uint32_t crc = 0;
};

// One zlib deflate state, reset for every block: raw deflate (windowBits −15), zlib's default
// memory level and strategy.
class Deflater {
 public:
  explicit Deflater(int level) {
    if (deflateInit2(&z_, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
      throw std::runtime_error("zlib: deflateInit2 failed (out of memory?)");
  }
  ~Deflater() { deflateEnd(&z_); }
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;

  void run(Block& b) {
    check(deflateReset(&z_), "deflateReset");
    if (!b.dict.empty())
      check(deflateSetDictionary(&z_, b.dict.data(), static_cast<uInt>(b.dict.size())),
            "deflateSetDictionary");
    // deflateBound covers the data; a sync flush adds an empty stored block (5 bytes) and the
    // bit buffer's rest. The loop still grows `out` should zlib ever need more.
    b.out.resize(deflateBound(&z_, b.in.size()) + 64);
    z_.next_in = b.in.data();
    z_.avail_in = static_cast<uInt>(b.in.size());
    size_t used = 0;
    for (;;) {
      z_.next_out = b.out.data() + used;
      z_.avail_out = static_cast<uInt>(b.out.size() - used);
      const int r = deflate(&z_, b.last ? Z_FINISH : Z_SYNC_FLUSH);
      if (r != Z_OK && r != Z_STREAM_END && r != Z_BUF_ERROR) check(r, "deflate");
      used = b.out.size() - z_.avail_out;
      if (b.last ? r == Z_STREAM_END : z_.avail_in == 0 && z_.avail_out != 0) break;
      b.out.resize(b.out.size() * 2);
    }
    b.out.resize(used);
    b.crc = static_cast<uint32_t>(::crc32(0, b.in.data(), static_cast<uInt>(b.in.size())));
  }

 private:
  static void check(int r, const char* what) {
    if (r != Z_OK) throw std::runtime_error(std::string("zlib: ") + what + " failed");
  }
  z_stream z_{};
};

}  // namespace

struct ParallelDeflate::Impl {
  int level;
  Sink sink;
  uint32_t crc = 0;
  uint64_t size = 0;
  std::unique_ptr<Block> current = fresh();
  std::vector<std::unique_ptr<Block>> spare;  // emitted blocks, kept for their buffers
  OrderedJobs<Block> jobs;

  Impl(int lvl, Sink s, unsigned threads)
      : level(lvl), sink(std::move(s)), jobs(threads, [lvl] {
          return [z = std::make_shared<Deflater>(lvl)](Block& b) { z->run(b); };
        }) {}

  static std::unique_ptr<Block> fresh() {
    auto b = std::make_unique<Block>();
    b->in.reserve(kBlock);
    return b;
  }

  std::unique_ptr<Block> take_spare() {
    if (spare.empty()) return fresh();
    std::unique_ptr<Block> b = std::move(spare.back());
    spare.pop_back();
    return b;
  }

  // Hands `current` to the workers (or, when it is the whole stream, deflates it here) and
  // starts the next block with the end of this one as its dictionary.
  void submit(bool last) {
    current->last = last;
    if (last && jobs.out() == 0 && size == 0) {  // one block: no thread is worth starting
      Deflater(level).run(*current);
      emit(std::move(current));
      return;
    }
    std::unique_ptr<Block> next = take_spare();
    const size_t keep = std::min(kWindow, current->in.size());
    next->dict.assign(current->in.end() - static_cast<std::ptrdiff_t>(keep), current->in.end());
    next->in.clear();
    jobs.push(std::move(current));
    current = std::move(next);
    emit_ready(kInFlight);
  }

  void emit_ready(size_t limit) {
    jobs.pop_ready(limit, [this](std::unique_ptr<Block> b) { emit(std::move(b)); });
  }

  // Gives a deflated block to the sink and folds it into the stream's crc and size.
  void emit(std::unique_ptr<Block> b) {
    sink(std::span<const unsigned char>(b->out));
    crc = static_cast<uint32_t>(crc32_combine(crc, b->crc, static_cast<z_off_t>(b->in.size())));
    size += b->in.size();
    spare.push_back(std::move(b));
  }
};

ParallelDeflate::ParallelDeflate(int level, Sink sink, unsigned threads)
    : impl_(std::make_unique<Impl>(level, std::move(sink), threads)) {}
ParallelDeflate::~ParallelDeflate() = default;

void ParallelDeflate::write(const void* data, size_t size) {
  Impl& m = *impl_;
  auto p = static_cast<const unsigned char*>(data);
  while (size > 0) {
    if (m.current->in.size() == kBlock) m.submit(false);  // full, and more follows: not the last
    const size_t n = std::min(size, kBlock - m.current->in.size());
    m.current->in.insert(m.current->in.end(), p, p + n);
    p += n;
    size -= n;
  }
}

void ParallelDeflate::finish() {
  Impl& m = *impl_;
  m.submit(true);
  m.emit_ready(1);
}

uint32_t ParallelDeflate::crc32() const {
  return impl_->crc;
}
uint64_t ParallelDeflate::size() const {
  return impl_->size;
}

}  // namespace kartoteka
