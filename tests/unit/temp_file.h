// Temporary files for tests that are about files: TempFile holds the given bytes for the length of
// a test (the descriptor path of the record reader, stdin redirected from a file, find_invalid_utf8
// on a descriptor); read_back reads what a test wrote to a temporary FILE*; slurp and spit read and
// write a whole file by path. Everything else feeds
// its reader bytes in memory (memory_input.h).
#pragma once
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace kartoteka::test {

struct TempFile {
  std::string path;
  explicit TempFile(const std::string& content) {
    char tmpl[] = "/tmp/kartoteka_test_XXXXXX";
    int fd = mkstemp(tmpl);
    REQUIRE(fd >= 0);
    path = tmpl;
    size_t done = 0;
    while (done < content.size()) {
      ssize_t w = ::write(fd, content.data() + done, content.size() - done);
      REQUIRE(w > 0);
      done += static_cast<size_t>(w);
    }
    ::close(fd);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() { std::remove(path.c_str()); }
};

// Everything written so far to `f` (a temporary file open for reading and writing), which it
// closes.
inline std::string read_back(std::FILE* f) {
  std::string out;
  std::rewind(f);
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  std::fclose(f);
  return out;
}

// A file's whole content ("" when it cannot be read), and a file made to hold `bytes`.
inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}
inline void spit(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

}  // namespace kartoteka::test
