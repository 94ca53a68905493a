#include "io/contact_log.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

#include "io/record_reader.h"
#include "model/errors.h"
#include "model/phone.h"
#include "model/text.h"

namespace kartoteka {
namespace {

constexpr const char* kTitles[] = {"date", "id", "phone", "campaign", "segments"};

std::string errno_text(int err) {
  return std::strerror(err);
}

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t w = ::write(fd, bytes.data(), bytes.size());
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(w));
  }
  return true;
}

// One data row of the log, checked as kartoteka writes it.
ContactRow parse_row(const RecordReader& rd, const Record& rec) {
  auto bad = [&](std::string_view col, std::string_view v, std::string_view why) {
    return InputError(
        fmt::format("{}:{}: column \"{}\": \"{}\" {} (the contact log is "
                    "kartoteka's own file: date,id,phone,campaign,segments)",
                    rd.name(), rec.line, col, v, why));
  };
  if (!rec.error.empty())
    throw InputError(fmt::format("{}:{}: {} (the contact log is kartoteka's own file)", rd.name(),
                                 rec.line, rec.error));
  ContactRow row;
  const std::string_view date = rec.fields[0];
  // Only the form kartoteka writes: YYYY-MM-DD, no time part.
  if (date.size() != 10 || date[4] != '-' || date[7] != '-' || !parse_date(date, row.date) ||
      row.date == kNoDay)
    throw bad("date", date, "is not a date YYYY-MM-DD");
  const std::string_view seg = rec.fields[4];
  uint32_t n = 0;
  auto [end, ec] = std::from_chars(seg.data(), seg.data() + seg.size(), n);
  if (seg.empty() || ec != std::errc() || end != seg.data() + seg.size())
    throw bad("segments", seg, "is not a whole number");
  row.id = trim(rec.fields[1]);
  row.campaign = trim(rec.fields[3]);
  return row;
}

}  // namespace

void read_contact_log(const Input& log, const std::function<void(const ContactRow&)>& see) {
  RecordReader rd(log, Encoding::Utf8, ',');
  const auto& header = rd.header();
  bool ok = header.size() == std::size(kTitles);
  for (size_t c = 0; ok && c < header.size(); ++c) ok = header[c] == kTitles[c];
  if (!ok)
    throw InputError(fmt::format(
        "{}:{}: not a contact log: the header must be exactly date,id,phone,campaign,segments "
        "(a log re-saved by a spreadsheet must be fixed, not guessed at)",
        rd.name(), rd.header_line()));
  Record rec;
  std::string phone;
  while (rd.next(rec)) {
    ContactRow row = parse_row(rd, rec);
    phone = normalize_phone(rec.fields[2]);
    row.phone = phone;
    see(row);
  }
}

struct ContactLog::Impl {
  std::string path, tmp_path;
  int lock_fd = -1, tmp_fd = -1;
  bool exists = false;  // FILE exists and is not empty
  mode_t mode = 0600;
  bool appended = false;

  ~Impl() {
    if (tmp_fd >= 0) ::close(tmp_fd);
    if (!tmp_path.empty()) ::unlink(tmp_path.c_str());
    if (lock_fd >= 0) ::close(lock_fd);  // releases the flock
  }
  [[noreturn]] void fail(std::string_view what, int err) const {
    throw InputError(fmt::format("{}: {}: {}", path, what, errno_text(err)));
  }
  void lock();
  void make_temp();
  void read(const std::function<void(const ContactRow&)>& see);
};

void ContactLog::Impl::lock() {
  const std::string lock_path = path + ".lock";
  lock_fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd < 0)
    throw InputError(fmt::format("cannot create the lock file {} of the contact log: {}", lock_path,
                                 errno_text(errno)));
  while (::flock(lock_fd, LOCK_EX) != 0)
    if (errno != EINTR) fail("cannot lock the contact log", errno);
}

void ContactLog::Impl::make_temp() {
  const size_t slash = path.rfind('/');
  std::string tmpl =
      slash == std::string::npos
          ? fmt::format(".{}.XXXXXX", path)
          : fmt::format("{}.{}.XXXXXX", path.substr(0, slash + 1), path.substr(slash + 1));
  tmp_fd = ::mkstemp(tmpl.data());
  if (tmp_fd < 0) fail("the contact log's folder is not writable", errno);
  tmp_path = tmpl;
}

void ContactLog::Impl::read(const std::function<void(const ContactRow&)>& see) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) fail("cannot read the contact log", errno);
    return;
  }
  if (st.st_size == 0) return;  // an empty log counts as new (§8.52): written 0600
  mode = st.st_mode & 07777;
  exists = true;
  read_contact_log(path, see);
}

ContactLog::ContactLog(const std::string& path, const std::function<void(const ContactRow&)>& see)
    : impl_(std::make_unique<Impl>()) {
  impl_->path = path;
  impl_->lock();
  impl_->make_temp();
  impl_->read(see);
}

ContactLog::~ContactLog() = default;

void ContactLog::append(const std::string& rows) {
  Impl& m = *impl_;
  if (m.appended) return;
  auto fail = [&](int err) {
    throw InputError(
        fmt::format("{}: the messages were written but not logged: {}", m.path, errno_text(err)));
  };
  // The log as it is now (we hold the lock: no kartoteka run has changed it since it was read).
  char last = '\n';
  if (m.exists) {
    const int in = ::open(m.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (in < 0) fail(errno);
    char buf[1 << 16];
    for (;;) {
      const ssize_t n = ::read(in, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 || (n > 0 && !write_all(m.tmp_fd, std::string_view(buf, n)))) {
        const int err = errno;
        ::close(in);
        fail(err);
      }
      if (n == 0) break;
      last = buf[n - 1];
    }
    ::close(in);
  }
  std::string tail;
  if (!m.exists) tail = kContactLogHeader;
  if (last != '\n') tail += '\n';
  tail += rows;
  if (!write_all(m.tmp_fd, tail) || ::fchmod(m.tmp_fd, m.mode) != 0 || ::fsync(m.tmp_fd) != 0)
    fail(errno);
  const int rc = ::close(m.tmp_fd);
  m.tmp_fd = -1;
  if (rc != 0) fail(errno);
  if (::rename(m.tmp_path.c_str(), m.path.c_str()) != 0) fail(errno);
  m.tmp_path.clear();
  m.appended = true;
}

}  // namespace kartoteka
