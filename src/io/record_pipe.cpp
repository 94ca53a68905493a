#include "io/record_pipe.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <string_view>
#include <thread>

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
  // Reader side. take_free() waits for an emptied batch.
  RecordBatch* take_free() {
    std::unique_lock<std::mutex> lock(m_);
    cv_.wait(lock, [&] { return !free_.empty(); });
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
  // No more batches: the worker stops after the queued ones (abandon: at once).
  void close(bool abandon) {
    std::lock_guard<std::mutex> lock(m_);
    closed_ = true;
    if (abandon) full_.clear();
    cv_.notify_all();
  }
  // Worker side: the next full batch, in the order they were put; nullptr once closed and empty.
  RecordBatch* take_full() {
    std::unique_lock<std::mutex> lock(m_);
    cv_.wait(lock, [&] { return !full_.empty() || closed_; });
    if (full_.empty()) return nullptr;
    RecordBatch* b = full_.front();
    full_.pop_front();
    return b;
  }
  void put_free(RecordBatch* b) {
    std::lock_guard<std::mutex> lock(m_);
    free_.push_back(b);
    cv_.notify_all();
  }

 private:
  std::vector<RecordBatch> all_;
  std::deque<RecordBatch*> free_, full_;
  bool closed_ = false;
  std::mutex m_;
  std::condition_variable cv_;
};

}  // namespace

void pipe_records(RecordReader& rd, std::vector<int> columns, bool two_threads,
                  const std::function<void(const RecordBatch&)>& work) {
  BatchQueue queue(two_threads ? 4 : 1, columns);
  std::thread worker;
  std::exception_ptr failure;  // the worker's, read after join
  std::atomic<bool> failed{false};
  if (two_threads)
    worker = std::thread([&] {
      while (RecordBatch* b = queue.take_full()) {
        if (!failed.load(std::memory_order_relaxed)) {
          try {
            work(*b);
          } catch (...) {
            failure = std::current_exception();
            failed.store(true);
          }
        }
        queue.put_free(b);
      }
    });
  // However this function is left, the worker is stopped and joined first.
  struct Join {
    BatchQueue& queue;
    std::thread& worker;
    void now(bool abandon) {
      if (!worker.joinable()) return;
      queue.close(abandon);
      worker.join();
    }
    ~Join() { now(true); }
  } join{queue, worker};

  RecordBatch* b = queue.take_free();
  auto pass_on = [&] {
    RecordPipe::seal(*b, rd.bytes_read());
    if (two_threads) {
      queue.put_full(b);
      b = queue.take_free();
    } else {
      try {
        work(*b);
      } catch (...) {
        failure = std::current_exception();
        failed.store(true);
        throw;
      }
      RecordPipe::clear(*b);
    }
  };
  Record rec;
  try {
    while (!failed.load(std::memory_order_relaxed) && rd.next(rec))
      if (RecordPipe::add(*b, rec)) pass_on();
  } catch (...) {
    std::exception_ptr reading = std::current_exception();
    if (!failed && !RecordPipe::empty(*b)) pass_on();
    join.now(false);
    if (failure) std::rethrow_exception(failure);
    std::rethrow_exception(reading);
  }
  if (!failed && !RecordPipe::empty(*b)) pass_on();
  join.now(false);
  if (failure) std::rethrow_exception(failure);
}

}  // namespace kartoteka
