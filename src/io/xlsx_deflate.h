// The deflate level of the xlsx zip (issue 32's budget: a 10^6-row list in xlsx within 3 × its
// csv time).
//
// libxlsxwriter 1.1.4 (Debian 12) zips every part of a workbook through minizip at zlib's
// Z_DEFAULT_COMPRESSION (level 6) and offers no option for it. A list's sheet is ~330 bytes of
// XML a row, and level 6 spends ~4.3 s CPU on the 327 MB sheet of a 10^6-row list — most of what
// xlsx costs over csv. Level 1 takes ~1.4 s for a file 36 % larger (63 MB instead of 46 MB; both
// are valid deflate that every spreadsheet reads).
//
// So this unit defines minizip's `zipOpenNewFileInZip4_64`, the one call libxlsxwriter makes to
// start a zip entry. The executable exports it (CMakeLists.txt), so the dynamic linker binds
// libxlsxwriter's reference to it ahead of libminizip's; it passes every argument on to
// libminizip's own function (found with dlsym(RTLD_NEXT)) unchanged, except the level while a
// FastDeflate lives on the calling thread. Outside a FastDeflate it changes nothing. If the
// binding is ever lost (a libxlsxwriter with minizip built in), workbooks come out as before,
// only slower: tests/xlsx/check_xlsx.py fails then, as it checks the entries' "fastest" flag.
//
//   { FastDeflate fast;  workbook_close(book); }   // the zip written at level 1
#pragma once

namespace kartoteka {

inline constexpr int kXlsxDeflateLevel = 1;

class FastDeflate {
 public:
  FastDeflate();
  ~FastDeflate();
  FastDeflate(const FastDeflate&) = delete;
  FastDeflate& operator=(const FastDeflate&) = delete;

 private:
  bool outer_;  // the level in force before this one
};

}  // namespace kartoteka
