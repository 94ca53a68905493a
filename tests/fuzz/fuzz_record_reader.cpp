// Fuzz harness: RecordReader over arbitrary bytes, every encoding × every delimiter (SPEC §2.1,
// §8.2–§8.5). The configuration comes from the input's length, so raw CSV files are seeds as they
// are. Invariants: only InputError escapes; a good record has as many fields as the header; field
// text is valid UTF-8 after decoding; line numbers never go backwards.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz_input.h"
#include "io/record_reader.h"
#include "model/errors.h"

namespace {

bool valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kartoteka;
  static const Encoding kEnc[] = {Encoding::Auto, Encoding::Utf8, Encoding::Cp1251};
  static const char kDelim[] = {0, ',', ';', '\t', '|'};
  const size_t sel = size % 15;
  const Encoding enc = kEnc[sel % 3];
  const char delim = kDelim[sel / 3];

  // Both ways in: a descriptor (an anonymous in-memory file: the whole-file UTF-8 pass and the
  // rewind) and bytes in memory (MemorySource).
  fuzz::MemFile file(data, size);
  const Input inputs[] = {
      Input(file.path()),
      Input::memory(std::string(reinterpret_cast<const char*>(data), size), "fuzz.csv")};
  for (const Input& in : inputs) {
    try {
      RecordReader r(in, enc, delim, "fuzz.csv");
      const size_t width = r.header().size();
      if (width == 0) std::abort();
      for (const auto& t : r.header())
        if (!valid_utf8(t)) std::abort();
      if (r.encoding() == Encoding::Auto) std::abort();
      Record rec;
      int64_t last = r.header_line();
      int records = 0;
      while (r.next(rec)) {
        if (rec.line <= last) std::abort();  // records start on strictly later lines
        last = rec.line;
        if (rec.error.empty()) {
          if (rec.fields.size() != width) std::abort();
          for (auto f : rec.fields)
            if (!valid_utf8(f)) std::abort();
        }
        if (++records > 1000000) std::abort();  // more records than bytes: a loop
      }
      if (r.bytes_read() > size) std::abort();
    } catch (const InputError&) {
    }
  }
  return 0;
}
