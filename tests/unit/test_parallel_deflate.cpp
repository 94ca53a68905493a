// base/parallel_deflate.h: block-parallel raw deflate whose sink gets one valid deflate stream.
//
// What is checked, and by which independent method:
// - round trip: the sink's bytes, concatenated, are inflated by zlib's own inflate (inflateInit2
//   with windowBits -15: raw deflate, no wrapper); the stream must end (Z_STREAM_END: the last
//   block is marked final) with no byte left over, and give back exactly the input.
// - crc32() equals zlib's crc32() over the whole input in one call, size() the input's length.
// - cases: empty; a few bytes; exactly kBlock; kBlock+1; ~3.5 MiB of CSV-like text with a counter
//   fed in odd-sized writes; ~2.5 MiB of pseudo-random bytes (fixed-seed std::mt19937).
// - determinism: the compressed bytes are compared between threads=1, 2, 4, between chunkings
//   and between two runs (byte equality, not a stored expected output).
// - a throwing sink: write()/finish() propagate its std::runtime_error and the object is then
//   destroyed (a hang would time the suite out; ASan runs this suite).
// Level 1, as the xlsx writer uses; every case deflates a few MiB at most.
#include <doctest/doctest.h>
#include <zlib.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "base/parallel_deflate.h"

using namespace kartoteka;

namespace {

using Bytes = std::vector<unsigned char>;
constexpr size_t kBlock = ParallelDeflate::kBlock;

struct Deflated {
  Bytes out;  // the sink's bytes, concatenated
  int sink_calls = 0;
  uint32_t crc = 0;
  uint64_t size = 0;
};

// Deflates `in` written in pieces of the sizes in `chunks`, cycled, on `threads` workers.
Deflated squeeze(const Bytes& in, unsigned threads, std::vector<size_t> chunks = {kBlock},
                 int level = 1) {
  Deflated d;
  ParallelDeflate z(
      level,
      [&](std::span<const unsigned char> s) {
        d.out.insert(d.out.end(), s.begin(), s.end());
        ++d.sink_calls;
      },
      threads);
  size_t at = 0;
  for (size_t k = 0; at < in.size(); ++k) {
    const size_t n = std::min(chunks[k % chunks.size()], in.size() - at);
    z.write(in.data() + at, n);
    at += n;
  }
  z.finish();
  d.crc = z.crc32();
  d.size = z.size();
  return d;
}

// zlib's inflate over the whole raw stream; fails the test unless it ends exactly at its end.
Bytes inflate_raw(const Bytes& deflated) {
  z_stream z{};
  REQUIRE(inflateInit2(&z, -15) == Z_OK);
  Bytes out(64 * 1024);
  z.next_in = const_cast<unsigned char*>(deflated.data());
  z.avail_in = static_cast<uInt>(deflated.size());
  int r = Z_OK;
  size_t used = 0;
  while (r == Z_OK) {
    if (used == out.size()) out.resize(out.size() * 2);
    z.next_out = out.data() + used;
    z.avail_out = static_cast<uInt>(out.size() - used);
    r = inflate(&z, Z_NO_FLUSH);
    used = out.size() - z.avail_out;
  }
  const uInt left = z.avail_in;
  inflateEnd(&z);
  CHECK(r == Z_STREAM_END);
  CHECK(left == 0);  // nothing after the final block
  out.resize(used);
  return out;
}

uint32_t zlib_crc(const Bytes& in) {
  return static_cast<uint32_t>(::crc32(0, in.data(), static_cast<uInt>(in.size())));
}

// Round trip, crc and size, all against zlib's own functions.
void check_round_trip(const Bytes& in, const Deflated& d) {
  CHECK(d.size == in.size());
  CHECK(d.crc == zlib_crc(in));
  const Bytes back = inflate_raw(d.out);
  CHECK(back.size() == in.size());
  CHECK(back == in);
}

// ~`size` bytes of a clinic-like CSV: compressible, yet every line differs (the counter).
Bytes csv_text(size_t size) {
  Bytes b;
  b.reserve(size + 100);
  for (unsigned i = 0; b.size() < size; ++i) {
    const std::string line = std::to_string(i) + ";Иванова Мария Петровна;+7916" +
                             std::to_string(1000000 + i * 7 % 9000000) + ";0" +
                             std::to_string(1 + i % 28) + ".03.2024;1 234,50\n";
    b.insert(b.end(), line.begin(), line.end());
  }
  b.resize(size);
  return b;
}

Bytes random_bytes(size_t size) {
  std::mt19937 rng(20240307);
  Bytes b(size);
  for (auto& c : b) c = static_cast<unsigned char>(rng() >> 24);
  return b;
}

}  // namespace

TEST_CASE("parallel deflate: empty input is one empty final block") {
  const Deflated d = squeeze({}, 2);
  check_round_trip({}, d);
  CHECK(d.crc == 0);
  CHECK(d.size == 0);
  // RFC 1951 by hand: BFINAL=1, BTYPE=01 (fixed), then code 256 (0000000): bits 1,1,0 then seven
  // zeros, packed from the low bit: 0b011 = 0x03, then 0x00.
  CHECK(d.out == Bytes{0x03, 0x00});
}

TEST_CASE("parallel deflate: a few bytes") {
  const Bytes in = {'1', '2', '3', '4', '5', '6', '7', '8', '9'};
  const Deflated d = squeeze(in, 2, {1});
  check_round_trip(in, d);
  CHECK(d.crc == 0xcbf43926u);  // CRC-32's published check value for "123456789"
}

TEST_CASE("parallel deflate: exactly one block, and one block and a byte") {
  const Bytes text = csv_text(kBlock + 1);
  const Bytes one(text.begin(), text.begin() + kBlock);
  check_round_trip(one, squeeze(one, 2));
  check_round_trip(text, squeeze(text, 2));
  check_round_trip(text, squeeze(text, 2, {kBlock, 1}));  // the extra byte in its own write
}

TEST_CASE("parallel deflate: 3.5 MiB of text in odd-sized writes round-trips and compresses") {
  const Bytes in = csv_text(kBlock * 7 / 2);
  const Deflated d = squeeze(in, 4, {1, 7, 4096, 100000, 65537, 3});
  check_round_trip(in, d);
  CHECK(d.out.size() < in.size() / 3);  // repetitive lines: far smaller than the input
  CHECK(d.sink_calls == 4);             // one call per block, the last included
}

TEST_CASE("parallel deflate: 2.5 MiB of random bytes round-trip") {
  const Bytes in = random_bytes(kBlock * 5 / 2);
  const Deflated d = squeeze(in, 4, {4096, 100000, 7});
  check_round_trip(in, d);
  // Incompressible: stored blocks cost 5 bytes per 64 KiB at most, plus the flushes.
  CHECK(d.out.size() <= in.size() + in.size() / 1000 + 64);
}

TEST_CASE("parallel deflate: the bytes depend on the input only, not threads or chunking") {
  const Bytes in = csv_text(kBlock * 5 / 2);
  const Deflated base = squeeze(in, 1);
  check_round_trip(in, base);
  CHECK(squeeze(in, 2).out == base.out);
  CHECK(squeeze(in, 4).out == base.out);
  CHECK(squeeze(in, 4, {1, 7, 4096, 100000}).out == base.out);
  CHECK(squeeze(in, 2, {kBlock * 3}).out == base.out);  // one write of everything
  CHECK(squeeze(in, 1).out == base.out);                // and the same again

  const Bytes noise = random_bytes(kBlock * 3 / 2);
  const Deflated a = squeeze(noise, 1, {100000});
  CHECK(squeeze(noise, 4, {7, 4096}).out == a.out);
}

TEST_CASE("parallel deflate: many blocks (more than in flight) at level 6") {
  // A repeating 1000-byte pattern: cheap to deflate, yet kInFlight+2 blocks long, so write()
  // waits for the oldest block while later ones are still out.
  Bytes in((ParallelDeflate::kInFlight + 2) * kBlock + 12345);
  for (size_t i = 0; i < in.size(); ++i) in[i] = static_cast<unsigned char>('a' + i % 1000 % 26);
  const Deflated d = squeeze(in, 2, {300000}, 6);
  check_round_trip(in, d);
  CHECK(d.out.size() < in.size() / 100);
  CHECK(squeeze(in, 1, {kBlock}, 6).out == d.out);
}

TEST_CASE("parallel deflate: a sink's exception propagates and the object can be destroyed") {
  const auto throwing = [](int at_call) {
    return [at_call, calls = 0](std::span<const unsigned char>) mutable {
      if (++calls == at_call) throw std::runtime_error("disk full");
    };
  };
  SUBCASE("from finish(): one block, deflated on the calling thread") {
    ParallelDeflate z(1, throwing(1), 2);
    const Bytes in = csv_text(1000);
    z.write(in.data(), in.size());  // less than a block: nothing reaches the sink yet
    CHECK_THROWS_WITH_AS(z.finish(), "disk full", std::runtime_error);
  }
  SUBCASE("from write(): more than kInFlight blocks make write() wait for the sink") {
    ParallelDeflate z(1, throwing(1), 2);
    const Bytes zeros(ParallelDeflate::kInFlight * kBlock + 1);
    CHECK_THROWS_WITH_AS(z.write(zeros.data(), zeros.size()), "disk full", std::runtime_error);
  }
  SUBCASE("from write() or finish(), with blocks still out on the workers") {
    ParallelDeflate z(1, throwing(2), 4);
    const Bytes in = csv_text(kBlock * 7 / 2);
    const auto write_all = [&] {
      z.write(in.data(), in.size());
      z.finish();
    };
    CHECK_THROWS_WITH_AS(write_all(), "disk full", std::runtime_error);
  }
}
