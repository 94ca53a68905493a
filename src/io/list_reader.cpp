#include "io/list_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/byte_source.h"

namespace kartoteka {
namespace {

// The first bytes of a regular file from `offset` on, up to the first non-blank one (at most
// 64 KiB: a list does not start with more blank space than that). Reads with pread(2), so the
// descriptor's offset is left alone. "" when it cannot be read: the csv reader then says why.
std::string head_of(int fd, off_t offset) {
  std::string head;
  char buf[4096];
  while (head.size() < (64u << 10)) {
    const ssize_t n = ::pread(fd, buf, sizeof buf, offset + static_cast<off_t>(head.size()));
    if (n <= 0) break;
    head.append(buf, static_cast<size_t>(n));
    if (head.find_first_not_of(" \t\r\n\xEF\xBB\xBF") != std::string::npos) break;
  }
  return head;
}

}  // namespace

ListReader::ListReader(const std::string& path, std::string display_name)
    : name_(std::move(display_name)) {
  if (path == "-") {
    struct stat st {};
    const off_t at = ::fstat(STDIN_FILENO, &st) == 0 && S_ISREG(st.st_mode)
                         ? ::lseek(STDIN_FILENO, 0, SEEK_CUR)
                         : off_t{-1};
    if (at < 0) {  // a pipe: read once, into memory
      std::string data = io_detail::slurp_fd(STDIN_FILENO, name_);
      if (looks_like_jsonl(data))
        table_ = parse_jsonl(data, name_);
      else
        csv_ = std::make_unique<RecordReader>(RecordReader::InMemory{std::move(data)},
                                              Encoding::Auto, 0, name_);
      return;
    }
    if (looks_like_jsonl(head_of(STDIN_FILENO, at)))
      table_ = parse_jsonl(io_detail::slurp_fd(STDIN_FILENO, name_), name_);
    else
      csv_ = std::make_unique<RecordReader>(path, Encoding::Auto, 0, name_);
    return;
  }
  bool jsonl = false;
  if (int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC); fd >= 0) {
    struct Closer {
      int fd;
      ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
      jsonl = looks_like_jsonl(head_of(fd, 0));
      if (jsonl) table_ = parse_jsonl(io_detail::slurp_fd(fd, name_), name_);
    }
  }
  if (!jsonl) csv_ = std::make_unique<RecordReader>(path, Encoding::Auto, 0, name_);
}

ListReader::~ListReader() = default;

const std::vector<std::string>& ListReader::header() const {
  return table_ ? table_->header : csv_->header();
}

bool ListReader::next(Record& out) {
  if (csv_) return csv_->next(out);
  if (row_ >= table_->rows.size()) return false;
  const JsonlTable::Row& r = table_->rows[row_++];
  out.fields.assign(r.values.begin(), r.values.end());
  out.line = r.line;
  out.error.clear();
  out.raw = {};
  return true;
}

}  // namespace kartoteka
