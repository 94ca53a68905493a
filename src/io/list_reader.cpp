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

ListReader::ListReader(const Input& input, std::string display_name, char delimiter)
    : name_(std::move(display_name)) {
  if (input.in_memory()) {
    open_bytes(input.bytes(), delimiter);
    return;
  }
  const std::string& path = input.name();
  const bool is_stdin = path == "-";
  const int fd = is_stdin ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {  // the csv reader says why
    csv_ = std::make_unique<RecordReader>(path, Encoding::Auto, delimiter, name_);
    return;
  }
  struct Closer {
    int fd;
    bool owns;
    ~Closer() {
      if (owns) ::close(fd);
    }
  } closer{fd, !is_stdin};
  struct stat st {};
  const off_t at = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? ::lseek(fd, 0, SEEK_CUR) : -1;
  if (at < 0) {  // a pipe (stdin, `<(…)`, a FIFO): read once, into memory, then decide
    open_bytes(io_detail::slurp_fd(fd, name_), delimiter);
    return;
  }
  if (looks_like_jsonl(head_of(fd, at)))
    table_ = parse_jsonl(io_detail::slurp_fd(fd, name_), name_);
  else  // a regular file: the csv reader streams it (from where stdin stands)
    csv_ = std::make_unique<RecordReader>(path, Encoding::Auto, delimiter, name_);
}

void ListReader::open_bytes(std::string data, char delimiter) {
  if (looks_like_jsonl(data))
    table_ = parse_jsonl(data, name_);
  else
    csv_ = std::make_unique<RecordReader>(Input::memory(std::move(data), name_), Encoding::Auto,
                                          delimiter, name_);
}

ListReader::~ListReader() = default;

const std::vector<std::string>& ListReader::header() const {
  return table_ ? table_->header : csv_->header();
}

int64_t ListReader::header_line() const {
  if (csv_) return csv_->header_line();
  return table_->rows.empty() ? 1 : table_->rows.front().line;
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
