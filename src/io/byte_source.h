// Byte sources for the record reader: a file descriptor (a file or stdin), an in-memory buffer
// (stdin slurped for encoding detection) and a wrapper that replays a few peeked bytes (used to
// drop a leading UTF-8 BOM from a stream that cannot be rewound).
//
// They implement fast-cpp-csv-parser's io::ByteSourceBase so that other fccp-based code can use
// them too. read() is called once per large block, never per byte. read() throws InputError on an
// I/O error (the base interface has no error channel).
#pragma once
#include <libfccp/csv.h>

#include <cstdint>
#include <memory>
#include <string>

namespace kartoteka::io_detail {

// Read granularity. Large enough that syscall and virtual-call overhead vanish, small enough to
// stay cache friendly.
inline constexpr int kBlockSize = 1 << 20;

// A source that reads the raw input and can say how many raw bytes it has delivered, so that
// progress is reported against the file size even when a decoder sits on top.
class RawSource : public ::io::ByteSourceBase {
 public:
  virtual uint64_t consumed() const = 0;
};

// Reads a file descriptor with read(2). Owns (closes) the descriptor unless it is stdin.
class FdSource : public RawSource {
 public:
  FdSource(int fd, std::string name, bool owns);
  ~FdSource() override;
  FdSource(const FdSource&) = delete;
  FdSource& operator=(const FdSource&) = delete;
  int read(char* buffer, int size) override;
  uint64_t consumed() const override { return consumed_; }

 private:
  int fd_;
  std::string name_;
  bool owns_;
  uint64_t consumed_ = 0;
};

// Serves bytes from a string it owns.
class MemorySource : public RawSource {
 public:
  explicit MemorySource(std::string data) : data_(std::move(data)) {}
  int read(char* buffer, int size) override;
  uint64_t consumed() const override { return pos_; }

 private:
  std::string data_;
  size_t pos_ = 0;
};

// Returns `prefix` first, then whatever `inner` returns.
class PrefixSource : public ::io::ByteSourceBase {
 public:
  PrefixSource(std::string prefix, std::unique_ptr<::io::ByteSourceBase> inner)
      : prefix_(std::move(prefix)), inner_(std::move(inner)) {}
  int read(char* buffer, int size) override;

 private:
  std::string prefix_;
  size_t pos_ = 0;
  std::unique_ptr<::io::ByteSourceBase> inner_;
};

// Reads from `src` until `size` bytes are read or the source ends; returns the count. Pipes
// return short reads, this hides them where a caller needs an exact count.
size_t read_fully(::io::ByteSourceBase& src, char* buffer, size_t size);

// Reads all of a descriptor into memory (stdin, pipes: they cannot be rewound for a second pass).
// Throws InputError naming `name` on a read error.
std::string slurp_fd(int fd, const std::string& name);

// A file opened for reading, closed when it goes out of scope. Throws InputError
// "NAME: cannot open: REASON" when it cannot be opened.
class ReadFd {
 public:
  ReadFd(const std::string& path, const std::string& name);
  ~ReadFd();
  ReadFd(const ReadFd&) = delete;
  ReadFd& operator=(const ReadFd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace kartoteka::io_detail
