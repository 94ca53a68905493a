#include "io/byte_source.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "model/errors.h"

namespace kartoteka::io_detail {

FdSource::FdSource(int fd, std::string name, bool owns)
    : fd_(fd), name_(std::move(name)), owns_(owns) {}

FdSource::~FdSource() {
  if (owns_ && fd_ >= 0) ::close(fd_);
}

int FdSource::read(char* buffer, int size) {
  for (;;) {
    ssize_t got = ::read(fd_, buffer, static_cast<size_t>(size));
    if (got >= 0) {
      consumed_ += static_cast<uint64_t>(got);
      return static_cast<int>(got);
    }
    if (errno == EINTR) continue;
    throw InputError(fmt::format("{}: read error: {}", name_, std::strerror(errno)));
  }
}

int MemorySource::read(char* buffer, int size) {
  size_t n = std::min(static_cast<size_t>(size), data_.size() - pos_);
  std::memcpy(buffer, data_.data() + pos_, n);
  pos_ += n;
  return static_cast<int>(n);
}

int PrefixSource::read(char* buffer, int size) {
  if (pos_ < prefix_.size()) {
    size_t n = std::min(static_cast<size_t>(size), prefix_.size() - pos_);
    std::memcpy(buffer, prefix_.data() + pos_, n);
    pos_ += n;
    return static_cast<int>(n);
  }
  return inner_->read(buffer, size);
}

size_t read_fully(::io::ByteSourceBase& src, char* buffer, size_t size) {
  size_t total = 0;
  while (total < size) {
    size_t want = std::min(size - total, static_cast<size_t>(kBlockSize) * 64);
    int got = src.read(buffer + total, static_cast<int>(want));
    if (got <= 0) break;
    total += static_cast<size_t>(got);
  }
  return total;
}

std::string slurp_fd(int fd, const std::string& name) {
  FdSource src(fd, name, /*owns=*/false);
  std::string data;
  size_t used = 0;
  for (;;) {
    if (data.size() - used < static_cast<size_t>(kBlockSize)) {
      data.resize(std::max(data.size() * 2, used + kBlockSize));
    }
    int got = src.read(data.data() + used,
                       static_cast<int>(std::min(data.size() - used, size_t{1} << 30)));
    if (got == 0) break;
    used += static_cast<size_t>(got);
  }
  data.resize(used);
  return data;
}

ReadFd::ReadFd(const std::string& path, const std::string& name)
    : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
  if (fd_ < 0) throw InputError(fmt::format("{}: cannot open: {}", name, std::strerror(errno)));
}

ReadFd::~ReadFd() {
  ::close(fd_);
}

}  // namespace kartoteka::io_detail
