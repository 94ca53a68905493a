// RecordReader (record_reader.h): construction, the header, and next(). The splitter is in
// record_split.h, opening and decoding in record_open.cpp.
#include "io/record_reader.h"

#include <fmt/format.h>

#include <algorithm>

#include "io/record_split.h"
#include "model/errors.h"

namespace kartoteka {

RecordReader::RecordReader(Input input, Encoding encoding, char delimiter, std::string display_name)
    : impl_(std::make_unique<Impl>()) {
  impl_->name = display_name.empty() ? input.name() : std::move(display_name);
  if (delimiter != 0 && delimiter != ';' && delimiter != ',' && delimiter != '\t' &&
      delimiter != '|') {
    throw UsageError(fmt::format("unsupported delimiter '{}'", delimiter));
  }
  if (input.in_memory())
    impl_->open_memory(std::move(input).release_bytes(), encoding);
  else
    impl_->open(input.name(), encoding);
  impl_->read_header(delimiter);
}

RecordReader::~RecordReader() = default;

const std::vector<std::string>& RecordReader::header() const {
  return impl_->header;
}
int64_t RecordReader::header_line() const {
  return impl_->header_line;
}
char RecordReader::delimiter() const {
  return impl_->delim;
}
Encoding RecordReader::encoding() const {
  return impl_->encoding;
}
const std::string& RecordReader::name() const {
  return impl_->name;
}

bool RecordReader::next(Record& out) {
  Impl& m = *impl_;
  if (!m.parse_full(out)) return false;
  if (out.error.empty() && m.field_count != m.header.size()) {
    out.error = fmt::format("expected {} fields, found {}", m.header.size(), m.field_count);
  }
  return true;
}

uint64_t RecordReader::bytes_read() const {
  uint64_t n = impl_->raw ? impl_->raw->consumed() : 0;
  return impl_->total ? std::min(n, impl_->total) : n;
}

uint64_t RecordReader::total_bytes() const {
  return impl_->total;
}

}  // namespace kartoteka
