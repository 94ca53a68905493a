// The zip level of xlsx workbooks: see xlsx_deflate.h.
#include "io/xlsx_deflate.h"

#include <dlfcn.h>

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

// minizip 1.1's declaration (zip.h, libminizip1: the header is not needed for one call, so the
// build does not depend on libminizip-dev): zipFile is a void*, uInt unsigned int, uLong unsigned
// long; zip_fileinfo is passed through unread.
extern "C" {
struct zip_fileinfo;
using ZipOpen4_64 = int (*)(void* file, const char* filename, const zip_fileinfo* zipfi,
                            const void* extrafield_local, unsigned size_extrafield_local,
                            const void* extrafield_global, unsigned size_extrafield_global,
                            const char* comment, int method, int level, int raw, int windowBits,
                            int memLevel, int strategy, const char* password,
                            unsigned long crcForCrypting, unsigned long versionMadeBy,
                            unsigned long flagBase, int zip64);

int zipOpenNewFileInZip4_64(void* file, const char* filename, const zip_fileinfo* zipfi,
                            const void* extrafield_local, unsigned size_extrafield_local,
                            const void* extrafield_global, unsigned size_extrafield_global,
                            const char* comment, int method, int level, int raw, int windowBits,
                            int memLevel, int strategy, const char* password,
                            unsigned long crcForCrypting, unsigned long versionMadeBy,
                            unsigned long flagBase, int zip64) {
  // libminizip's own function: the next definition after this executable's, looked up once (a
  // static's initialisation is thread-safe). libxlsxwriter, the only caller, needs libminizip
  // loaded, so it is there; if not, minizip's ZIP_INTERNALERROR fails the workbook.
  static const auto next =
      reinterpret_cast<ZipOpen4_64>(dlsym(RTLD_NEXT, "zipOpenNewFileInZip4_64"));
  if (!next) return -104;
  if (kartoteka::fast) level = kartoteka::kXlsxDeflateLevel;
  return next(file, filename, zipfi, extrafield_local, size_extrafield_local, extrafield_global,
              size_extrafield_global, comment, method, level, raw, windowBits, memLevel, strategy,
              password, crcForCrypting, versionMadeBy, flagBase, zip64);
}
}
