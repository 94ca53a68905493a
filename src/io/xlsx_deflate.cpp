// The zip of xlsx workbooks: level 1, deflated on every core. See xlsx_deflate.h.
#include "io/xlsx_deflate.h"

#include <dlfcn.h>

#include <memory>
#include <span>
#include <stdexcept>

#include "base/parallel_deflate.h"

namespace kartoteka {
namespace {
thread_local bool fast = false;
}

FastDeflate::FastDeflate() : outer_(fast) {
  fast = true;
}
FastDeflate::~FastDeflate() {
  fast = outer_;
}

}  // namespace kartoteka

// minizip 1.1's declarations (zip.h, libminizip1: the header is not needed for three calls, so
// the build does not depend on libminizip-dev): zipFile is a void*, uInt unsigned int, uLong
// unsigned long, ZPOS64_T unsigned long long; zip_fileinfo is passed through unread.
extern "C" {
struct zip_fileinfo;
using ZipOpen4_64 = int (*)(void* file, const char* filename, const zip_fileinfo* zipfi,
                            const void* extrafield_local, unsigned size_extrafield_local,
                            const void* extrafield_global, unsigned size_extrafield_global,
                            const char* comment, int method, int level, int raw, int windowBits,
                            int memLevel, int strategy, const char* password,
                            unsigned long crcForCrypting, unsigned long versionMadeBy,
                            unsigned long flagBase, int zip64);
using ZipWrite = int (*)(void* file, const void* buf, unsigned len);
using ZipClose = int (*)(void* file);
using ZipCloseRaw64 = int (*)(void* file, unsigned long long uncompressed_size,
                              unsigned long crc32);
}

namespace {
constexpr int kZipOk = 0;
constexpr int kZipInternalError = -104;
constexpr int kZDeflated = 8;  // zlib's Z_DEFLATED

// libminizip's own functions: the next definitions after this executable's, looked up once (a
// static's initialisation is thread-safe). libxlsxwriter, the only caller, needs libminizip
// loaded, so they are there; if not, minizip's ZIP_INTERNALERROR fails the workbook.
struct Minizip {
  ZipOpen4_64 open = reinterpret_cast<ZipOpen4_64>(dlsym(RTLD_NEXT, "zipOpenNewFileInZip4_64"));
  ZipWrite write = reinterpret_cast<ZipWrite>(dlsym(RTLD_NEXT, "zipWriteInFileInZip"));
  ZipClose close = reinterpret_cast<ZipClose>(dlsym(RTLD_NEXT, "zipCloseFileInZip"));
  ZipCloseRaw64 close_raw =
      reinterpret_cast<ZipCloseRaw64>(dlsym(RTLD_NEXT, "zipCloseFileInZipRaw64"));
};
const Minizip& minizip() {
  static const Minizip m;
  return m;
}

// The entry being written in raw mode: its zip and the deflate that feeds it. One at a time, as
// minizip allows one open entry per zip; thread_local like `fast`.
struct RawEntry {
  void* zip = nullptr;
  std::unique_ptr<kartoteka::ParallelDeflate> deflate;
};
thread_local RawEntry entry;

// Runs `f`; an exception must not cross libxlsxwriter's C frames, so it becomes minizip's error.
template <class F>
int guarded(F&& f) {
  try {
    return f();
  } catch (...) {
    return kZipInternalError;
  }
}
}  // namespace

extern "C" {
int zipOpenNewFileInZip4_64(void* file, const char* filename, const zip_fileinfo* zipfi,
                            const void* extrafield_local, unsigned size_extrafield_local,
                            const void* extrafield_global, unsigned size_extrafield_global,
                            const char* comment, int method, int level, int raw, int windowBits,
                            int memLevel, int strategy, const char* password,
                            unsigned long crcForCrypting, unsigned long versionMadeBy,
                            unsigned long flagBase, int zip64) {
  const Minizip& m = minizip();
  if (!m.open) return kZipInternalError;
  // Inside a FastDeflate, a plain deflated entry is opened raw: minizip writes the headers (its
  // flags say level 1) and takes the compressed bytes as they are, with the CRC and size given at
  // close; ParallelDeflate makes those bytes.
  const bool take_over = kartoteka::fast && m.write && m.close && m.close_raw &&
                         method == kZDeflated && !raw && !password && !entry.zip;
  if (kartoteka::fast) level = kartoteka::kXlsxDeflateLevel;
  const int r =
      m.open(file, filename, zipfi, extrafield_local, size_extrafield_local, extrafield_global,
             size_extrafield_global, comment, method, level, take_over ? 1 : raw, windowBits,
             memLevel, strategy, password, crcForCrypting, versionMadeBy, flagBase, zip64);
  if (r != kZipOk || !take_over) return r;
  return guarded([&] {
    entry.deflate = std::make_unique<kartoteka::ParallelDeflate>(
        level, [file, write = m.write](std::span<const unsigned char> out) {
          if (write(file, out.data(), static_cast<unsigned>(out.size())) < 0)
            throw std::runtime_error("zip write failed");
        });
    entry.zip = file;
    return kZipOk;
  });
}

int zipWriteInFileInZip(void* file, const void* buf, unsigned len) {
  if (file == entry.zip && entry.deflate)
    return guarded([&] {
      entry.deflate->write(buf, len);
      return kZipOk;
    });
  const Minizip& m = minizip();
  return m.write ? m.write(file, buf, len) : kZipInternalError;
}

int zipCloseFileInZip(void* file) {
  const Minizip& m = minizip();
  if (file != entry.zip) return m.close ? m.close(file) : kZipInternalError;
  std::unique_ptr<kartoteka::ParallelDeflate> deflate = std::move(entry.deflate);
  entry.zip = nullptr;
  const int r = deflate ? guarded([&] {
    deflate->finish();
    return kZipOk;
  })
                        : kZipInternalError;
  // Closed either way, so minizip's state stays whole; a failed deflate fails the workbook.
  const int closed = deflate && r == kZipOk ? m.close_raw(file, deflate->size(), deflate->crc32())
                                            : m.close_raw(file, 0, 0);
  return r != kZipOk ? r : closed;
}
}
