#include "io/record_pipe.h"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <stop_token>
#include <string_view>

#include "base/background.h"

namespace kartoteka {

void RecordBatch::get(size_t i, Record& rec) const {
  const Entry& e = records_[i];
  rec.line = e.line;
  if (e.error_len > 0) {
    rec.error.assign(text_.data() + e.at, e.error_len);
    return;
  }
  rec.error.clear();
  const Cell* cell = cells_.data() + e.cells_at;
  for (int c : *columns_) {
    rec.fields[static_cast<size_t>(c)] =
        std::string_view(text_.data() + e.at + cell->at, cell->len);
    ++cell;
  }
}

std::string_view RecordBatch::cell(size_t i, size_t k) const {
  const Entry& e = records_[i];
  if (e.error_len > 0) return {};
  const Cell& c = cells_[e.cells_at + k];
  return std::string_view(text_.data() + e.at + c.at, c.len);
}

// Fills batches from the reader (the friend of RecordBatch).
class RecordPipe {
 public:
  static constexpr size_t kRecords = 4096;
  // A batch's text is capped well below what its 32-bit offsets reach.
  static constexpr size_t kMaxText = size_t{1} << 30;

  static void clear(RecordBatch& b) {
    b.records_.clear();
    b.cells_.clear();
    b.text_.clear();
  }
  // Appends rec; true when the batch is full. A record that stands whole in the reader's
  // buffer, and whose piped cells make up most of it, is copied in one piece, its cells located
  // by offset; otherwise cell by cell. (Every byte copied is a byte the other core must fetch.)
  static bool add(RecordBatch& b, const Record& rec) {
    RecordBatch::Entry& e = b.records_.emplace_back();
    e.line = rec.line;
    e.at = static_cast<uint32_t>(b.text_.size());
    if (!rec.error.empty()) {
      e.error_len = static_cast<uint32_t>(rec.error.size());
      b.text_.append(rec.error);
    } else if (!rec.raw.empty() && piped_bytes(b, rec) * 2 > rec.raw.size()) {
      e.cells_at = static_cast<uint32_t>(b.cells_.size());
      b.text_.append(rec.raw);
      for (int c : *b.columns_) {
        const std::string_view v = rec.fields[static_cast<size_t>(c)];
        b.cells_.push_back(
            {static_cast<uint32_t>(v.data() - rec.raw.data()), static_cast<uint32_t>(v.size())});
      }
    } else {
      e.cells_at = static_cast<uint32_t>(b.cells_.size());
      for (int c : *b.columns_) {
        const std::string_view v = rec.fields[static_cast<size_t>(c)];
        b.cells_.push_back(
            {static_cast<uint32_t>(b.text_.size() - e.at), static_cast<uint32_t>(v.size())});
        b.text_.append(v);
      }
    }
    return b.records_.size() == kRecords || b.text_.size() > kMaxText;
  }
  static size_t piped_bytes(const RecordBatch& b, const Record& rec) {
    size_t n = 0;
    for (int c : *b.columns_) n += rec.fields[static_cast<size_t>(c)].size();
    return n;
  }
  static void seal(RecordBatch& b, uint64_t bytes_read) { b.bytes_read_ = bytes_read; }
  static void bind(RecordBatch& b, const std::vector<int>& columns) { b.columns_ = &columns; }
  static bool empty(const RecordBatch& b) { return b.records_.empty(); }
};

namespace {

// A few batches passed back and forth between the reader (fills) and the worker (empties).
class BatchQueue {
 public:
  BatchQueue(size_t batches, const std::vector<int>& columns) : all_(batches) {
    for (auto& b : all_) {
      RecordPipe::bind(b, columns);
      free_.push_back(&b);
    }
  }
  // Reader side. take_free() waits for an emptied batch; nullptr once the worker has ended (it
  // failed: the reader stops and joins it).
  RecordBatch* take_free() {
    std::unique_lock<std::mutex> lock(m_);
    cv_.wait(lock, [&] { return !free_.empty() || worker_gone_; });
    if (worker_gone_) return nullptr;
    RecordBatch* b = free_.front();
    free_.pop_front();
    RecordPipe::clear(*b);
    return b;
  }
  void put_full(RecordBatch* b) {
    std::lock_guard<std::mutex> lock(m_);
    full_.push_back(b);
    cv_.notify_all();
  }
  // No more batches: the worker stops after the queued ones.
  void close() {
    std::lock_guard<std::mutex> lock(m_);
    closed_ = true;
    cv_.notify_all();
  }
  // Worker side: the next full batch, in the order they were put; nullptr once closed and empty,
  // or at once when a stop is requested (the reader left early).
  RecordBatch* take_full(std::stop_token stop) {
    std::unique_lock<std::mutex> lock(m_);
    if (!cv_.wait(lock, stop, [&] { return !full_.empty() || closed_; }) || full_.empty())
      return nullptr;
    RecordBatch* b = full_.front();
    full_.pop_front();
    return b;
  }
  void put_free(RecordBatch* b) {
    std::lock_guard<std::mutex> lock(m_);
    free_.push_back(b);
    cv_.notify_all();
  }
  // The worker has ended, however: a reader waiting for a free batch stops waiting.
  void worker_gone() {
    std::lock_guard<std::mutex> lock(m_);
    worker_gone_ = true;
    cv_.notify_all();
  }

 private:
  std::vector<RecordBatch> all_;
  std::deque<RecordBatch*> free_, full_;
  bool closed_ = false, worker_gone_ = false;
  std::mutex m_;
  std::condition_variable_any cv_;
};

// One thread: each batch is worked on as soon as it is full. A reading error comes after the
// work on the records read before it (unless that work fails: its error comes first).
void pipe_on_one_thread(RecordReader& rd, RecordBatch& b,
                        const std::function<void(const RecordBatch&)>& work) {
  auto pass_on = [&] {
    RecordPipe::seal(b, rd.bytes_read());
    work(b);
    RecordPipe::clear(b);
  };
  Record rec;
  for (;;) {
    bool more = false;
    try {
      more = rd.next(rec);
    } catch (...) {
      if (!RecordPipe::empty(b)) pass_on();
      throw;
    }
    if (!more) break;
    if (RecordPipe::add(b, rec)) pass_on();
  }
  if (!RecordPipe::empty(b)) pass_on();
}

}  // namespace

void pipe_records(RecordReader& rd, std::vector<int> columns, bool two_threads,
                  const std::function<void(const RecordBatch&)>& work) {
  BatchQueue queue(two_threads ? 4 : 1, columns);
  if (!two_threads) return pipe_on_one_thread(rd, *queue.take_free(), work);
  // The worker's exception ends it: the reader then gets no more free batches, stops, and
  // join() rethrows that exception. If this function is left any other way, ~Background stops
  // the worker at once.
  Background worker(
      [&](std::stop_token stop) {
        while (RecordBatch* b = queue.take_full(stop)) {
          work(*b);
          queue.put_free(b);
        }
      },
      [&] { queue.worker_gone(); });
  RecordBatch* b = queue.take_free();
  auto pass_on = [&] {
    RecordPipe::seal(*b, rd.bytes_read());
    queue.put_full(b);
    b = queue.take_free();
  };
  // A reading error is rethrown after the records read before it have been worked on (and
  // after the work's own error, if it failed): the order of errors on one thread.
  std::exception_ptr reading;
  Record rec;
  try {
    while (b && rd.next(rec))
      if (RecordPipe::add(*b, rec)) pass_on();
  } catch (...) {
    reading = std::current_exception();
  }
  if (b && !RecordPipe::empty(*b)) pass_on();
  queue.close();
  worker.join();
  if (reading) std::rethrow_exception(reading);
}

}  // namespace kartoteka
