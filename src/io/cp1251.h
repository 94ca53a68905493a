// Encoding helpers for the record reader: a Windows-1251 → UTF-8 decoding byte source (strict
// UTF-8 validation is in io/utf8.h, included here for the readers that use both).
//
// Windows-1251 byte 0x98 has no character. It decodes to U+FFFD (the replacement character)
// rather than failing: a stray byte in a comment must not make a whole export unreadable, and
// U+FFFD stays visible in the output, so nothing changes silently.
#pragma once
#include <libfccp/csv.h>

#include <cstddef>
#include <memory>
#include <string>

#include "io/utf8.h"

namespace kartoteka::io_detail {

// Appends the UTF-8 form of Windows-1251 `in[0, size)` to `out` (at most 3 output bytes per
// input byte); returns the number of bytes written. `out` must have room for 3 * size bytes.
size_t cp1251_to_utf8(const char* in, size_t size, char* out);

// Decodes another source from Windows-1251 to UTF-8, block by block.
class Cp1251Source : public ::io::ByteSourceBase {
 public:
  explicit Cp1251Source(std::unique_ptr<::io::ByteSourceBase> inner);
  int read(char* buffer, int size) override;

 private:
  std::unique_ptr<::io::ByteSourceBase> inner_;
  std::unique_ptr<char[]> in_;
  size_t pos_ = 0, end_ = 0;
};

}  // namespace kartoteka::io_detail
