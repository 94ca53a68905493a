// Shared helpers for the fuzz harnesses: the fuzzer's bytes as a file the readers can open.
#pragma once
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace kartoteka::fuzz {

// An anonymous in-memory file holding the input; path() is /proc/self/fd/N, which RecordReader
// opens like any other path. Falls back to a temporary file where memfd_create is missing.
class MemFile {
 public:
  MemFile(const uint8_t* data, size_t size) {
    fd_ = ::memfd_create("kartoteka-fuzz", MFD_CLOEXEC);
    if (fd_ < 0) {
      char tmpl[] = "/tmp/kartoteka-fuzz.XXXXXX";
      fd_ = ::mkstemp(tmpl);
      ::unlink(tmpl);
    }
    size_t done = 0;
    while (done < size) {
      ssize_t n = ::write(fd_, data + done, size - done);
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    path_ = "/proc/self/fd/" + std::to_string(fd_);
  }
  ~MemFile() { ::close(fd_); }
  MemFile(const MemFile&) = delete;
  MemFile& operator=(const MemFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  int fd_ = -1;
  std::string path_;
};

}  // namespace kartoteka::fuzz
