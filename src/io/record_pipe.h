// Reading a file's records on one thread while another works on them.
//
//   pipe_records(rd, {id_col, date_col}, use_two_threads(), [&](const RecordBatch& b) {
//     for (size_t i = 0; i < b.size(); ++i) { b.get(i, rec); ... }
//   });
//
// Splitting a CSV into records is the part of reading that must go in file order (a quoted field
// may hold line breaks); parsing the cells, looking patients up and folding need not wait for it.
// The reading thread only splits records (checking their structure and encoding) and copies the
// cells of the columns the work needs into batches of a few thousand records; the working thread
// takes the batches in file order. Memory stays a few batches however long the file.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "io/record_reader.h"
#include "base/threads.h"  // use_two_threads(), the usual `two_threads` argument

namespace kartoteka {

// Records as the reader gave them: each its line, and the reader's error or the cells of the
// piped columns.
class RecordBatch {
 public:
  size_t size() const { return records_.size(); }
  // Sets rec.line and rec.error of record i and, when it is good, rec.fields[c] for each piped
  // column c (views into this batch, valid while the work function runs). Other fields are left
  // as they are: size rec.fields to the header once.
  void get(size_t i, Record& rec) const;
  // Cell k of the piped columns (the k-th of pipe_records' `columns`) of record i, as get() would
  // set it; empty for a bad record. For looking a few records ahead.
  std::string_view cell(size_t i, size_t k) const;
  // How far the reader had got after this batch (for progress).
  uint64_t bytes_read() const { return bytes_read_; }

 private:
  friend class RecordPipe;
  struct Entry {
    int64_t line = 0;
    uint32_t at = 0;         // the record (or the error) starts here in text_
    uint32_t error_len = 0;  // > 0: a bad record, its reason is text_[at, at + error_len)
    uint32_t cells_at = 0;   // its piped cells start here in cells_
  };
  struct Cell {
    uint32_t at, len;  // from the record's start in text_
  };
  const std::vector<int>* columns_ = nullptr;
  std::vector<Entry> records_;
  std::vector<Cell> cells_;
  std::string text_;
  uint64_t bytes_read_ = 0;
};

// Hands every record `rd` has left to `work`, batch after batch in file order, the cells of
// `columns` filled. With `two_threads`, work runs on a second thread while this one reads on.
// An exception from `work` stops the reading and is rethrown here once the second thread has
// stopped; an exception from the reader is rethrown after the records read before it have been
// worked on, so that whatever they report comes first, as it would reading on one thread.
void pipe_records(RecordReader& rd, std::vector<int> columns, bool two_threads,
                  const std::function<void(const RecordBatch&)>& work);

}  // namespace kartoteka
