// Atomic `-o FILE` (SPEC §3): see output_file.h.
#include "io/output_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>

#include "model/errors.h"

namespace kartoteka {

namespace {

[[noreturn]] void throw_file_error(const std::string& path, int err) {
  throw InputError(fmt::format("cannot write {}: {}", path, std::strerror(err)));
}

}  // namespace

struct OutputTarget::Impl {
  std::string path;      // as the user gave it; messages name this, never the temporary file
  std::string tmp_path;  // empty for stdout
  std::FILE* file = nullptr;
  std::optional<Sink> sink;
  bool committed = false;

  // Closes and removes the temporary file; used on every failure path and by a run that ends
  // without commit(), so FILE is never replaced by partial output and no `.FILE.*` is left behind.
  void discard() noexcept {
    if (file) {
      std::fclose(file);
      file = nullptr;
    }
    if (!tmp_path.empty()) {
      ::unlink(tmp_path.c_str());
      tmp_path.clear();
    }
  }
};

OutputTarget::OutputTarget(const std::string& path, unsigned mode)
    : impl_(std::make_unique<Impl>()) {
  if (path.empty() || path == "-") {
    impl_->sink.emplace(stdout, "stdout");
    return;
  }
  impl_->path = path;

  // The temporary file must live in FILE's folder: rename() is atomic only within a filesystem.
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? std::string(".") : path.substr(0, slash + 1);
  const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  std::string tmpl = slash == std::string::npos ? fmt::format(".{}.XXXXXX", base)
                                                : fmt::format("{}.{}.XXXXXX", dir, base);

  const int fd = ::mkstemp(tmpl.data());
  if (fd < 0) throw_file_error(path, errno);
  impl_->tmp_path = tmpl;
  // mkstemp already uses 0600 on glibc, but the file holds patient data (§3): make the mode
  // explicit rather than rely on the libc (or the umask, for --mode). The renamed file keeps it,
  // also when it replaces an older FILE with a wider mode.
  if (::fchmod(fd, static_cast<mode_t>(mode & 07777)) != 0) {
    const int err = errno;
    ::close(fd);
    impl_->discard();
    throw_file_error(path, err);
  }
  impl_->file = ::fdopen(fd, "wb");
  if (!impl_->file) {
    const int err = errno;
    ::close(fd);
    impl_->discard();
    throw_file_error(path, err);
  }
  impl_->sink.emplace(impl_->file, path);
}

OutputTarget::~OutputTarget() {
  if (!impl_->committed) impl_->discard();
}

Sink& OutputTarget::sink() {
  return *impl_->sink;
}

void OutputTarget::commit() {
  Impl& m = *impl_;
  if (m.committed) return;
  if (m.tmp_path.empty()) {  // stdout
    m.sink->flush();
    m.committed = true;
    return;
  }
  try {
    m.sink->flush();
  } catch (...) {
    m.discard();
    throw;
  }
  // fsync before rename: otherwise a crash could leave FILE renamed but empty.
  if (::fsync(::fileno(m.file)) != 0) {
    const int err = errno;
    m.discard();
    throw_file_error(m.path, err);
  }
  const int close_rc = std::fclose(m.file);
  m.file = nullptr;
  if (close_rc != 0) {
    const int err = errno;
    m.discard();
    throw_file_error(m.path, err);
  }
  if (::rename(m.tmp_path.c_str(), m.path.c_str()) != 0) {
    const int err = errno;
    m.discard();
    throw_file_error(m.path, err);
  }
  m.tmp_path.clear();
  m.committed = true;
}

}  // namespace kartoteka
