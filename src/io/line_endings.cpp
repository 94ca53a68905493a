#include "io/line_endings.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "io/byte_source.h"
#include "model/errors.h"

namespace kartoteka {

void LineEndings::feed(std::string_view bytes) {
  for (size_t i = 0; i < bytes.size(); ++i) {
    const char c = bytes[i];
    if (c != '\r' && c != '\n') {
      if (pending_cr_) ++cr_, pending_cr_ = false;
      if (c == '"') quoted_ = !quoted_;
      continue;
    }
    if (quoted_) continue;
    if (c == '\n') {
      if (pending_cr_)
        ++crlf_, pending_cr_ = false;
      else
        ++lf_;
    } else {  // CR: its kind depends on the next byte
      if (pending_cr_) ++cr_;
      pending_cr_ = true;
    }
  }
}

void LineEndings::finish() {
  if (pending_cr_) ++cr_, pending_cr_ = false;
}

std::string LineEndings::describe() const {
  const int kinds = (crlf_ > 0) + (lf_ > 0) + (cr_ > 0);
  if (kinds == 0) return "none";
  if (kinds == 1) return crlf_ ? "CRLF" : lf_ ? "LF" : "CR";
  std::string parts;
  for (auto [n, name] : {std::pair{crlf_, "CRLF"}, {lf_, "LF"}, {cr_, "CR"}})
    if (n > 0) parts += fmt::format("{}{} {}", parts.empty() ? "" : ", ", n, name);
  return fmt::format("mixed ({})", parts);
}

LineEndings line_endings_of_file(const std::string& path, const std::string& name) {
  const io_detail::ReadFd file(path, name);
  const int fd = file.get();
  LineEndings e;
  std::vector<char> buf(1 << 20);
  while (true) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw InputError(fmt::format("{}: cannot read: {}", name, std::strerror(errno)));
    if (n == 0) break;
    e.feed(std::string_view(buf.data(), static_cast<size_t>(n)));
  }
  e.finish();
  return e;
}

}  // namespace kartoteka
