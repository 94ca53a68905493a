// How a file's lines end (for `inspect`, SPEC §6.8): CRLF, LF, lone CR, or a mix of them.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace kartoteka {

class LineEndings {
 public:
  // Feeds the next bytes of the file (any chunking: a CR at the end of one chunk and an LF at the
  // start of the next are one CRLF). Line breaks inside quoted fields (a 1C comment's lines) are
  // the field's text, not line ends, and are not counted: every `"` toggles "inside quotes"
  // (a `""` escape toggles twice), which is exact for RFC 4180 quoting.
  void feed(std::string_view bytes);
  // Call after the last feed (a trailing CR is then a lone CR).
  void finish();

  uint64_t crlf() const { return crlf_; }
  uint64_t lf() const { return lf_; }
  uint64_t cr() const { return cr_; }
  // "CRLF", "LF", "CR", "none" (one line without an end) or "mixed (2 CRLF, 1 LF)".
  std::string describe() const;

 private:
  uint64_t crlf_ = 0, lf_ = 0, cr_ = 0;
  bool pending_cr_ = false;
  bool quoted_ = false;
};

// The line endings of a whole file (read in blocks). Throws InputError naming `name` when the
// file cannot be read.
LineEndings line_endings_of_file(const std::string& path, const std::string& name);

}  // namespace kartoteka
