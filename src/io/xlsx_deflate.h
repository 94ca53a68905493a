// The deflate of the xlsx zip: level 1, on every core (issue 32's budget: a 10^6-row list in
// xlsx within 3 × its csv time).
//
// libxlsxwriter 1.1.4 (Debian 12) zips every part of a workbook through minizip at zlib's
// Z_DEFAULT_COMPRESSION (level 6) and offers no option for it. A list's sheet is ~330 bytes of
// XML a row, and level 6 spends ~4.3 s CPU on the 327 MB sheet of a 10^6-row list — most of what
// xlsx costs over csv. Level 1 takes ~1.4 s for a file 36 % larger (63 MB instead of 46 MB; both
// are valid deflate that every spreadsheet reads).
//
// So this unit defines three of minizip's functions, the calls libxlsxwriter makes to write a
// zip entry: zipOpenNewFileInZip4_64, zipWriteInFileInZip and zipCloseFileInZip. The executable
// exports them (CMakeLists.txt), so the dynamic linker binds libxlsxwriter's references to them
// ahead of libminizip's. Outside a FastDeflate each passes its arguments on to libminizip's own
// function (found with dlsym(RTLD_NEXT)) unchanged. While a FastDeflate lives on the calling
// thread, a deflated entry is opened in minizip's raw mode at level 1 (minizip still writes every
// header, and its flags say "fastest"); the entry's bytes go to a base/ParallelDeflate, which
// deflates them in 1 MiB blocks on every core (~1.4 s CPU became ~0.75 s wall for the 10^6-row
// sheet), and the close hands minizip the CRC and size. A failure there becomes minizip's
// ZIP_INTERNALERROR, which fails the workbook. If the binding is ever lost (a libxlsxwriter with
// minizip built in), workbooks come out as before, only slower: tests/xlsx/check_xlsx.py fails
// then, as it checks the entries' "fastest" flag.
//
//   { FastDeflate fast;  workbook_close(book); }   // the zip at level 1, on every core
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
