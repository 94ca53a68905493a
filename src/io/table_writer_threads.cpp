// write_rows_on_two_threads (table_writer.h): rows filled and formatted on a second thread in
// chunks while the first writes them, in order; the second thread's exception reaches the caller
// through Background::join().
#include <condition_variable>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <stop_token>

#include "base/background.h"
#include "io/table_writer.h"

namespace kartoteka {

namespace {

// Rows [from, to) formatted into `out` (cleared first).
void format_rows(const TableWriter& w, const RowFiller& fill, std::vector<std::string>& cells,
                 size_t from, size_t to, std::string& out) {
  out.clear();
  for (size_t i = from; i < to; ++i) {
    fill(i, cells);
    w.format_row(cells, out);
  }
}

}  // namespace

void write_rows_on_two_threads(TableWriter& w, size_t n, size_t width,
                               const std::function<RowFiller()>& make_fill) {
  constexpr size_t kChunk = 1024;  // rows: ~100 KB of text, a few cache misses' worth of rows
  constexpr size_t kAhead = 2;     // chunks the second thread may have ready before they are due
  const size_t chunks = (n + kChunk - 1) / kChunk;
  auto format_chunk = [&](const RowFiller& fill, std::vector<std::string>& cells, size_t c,
                          std::string& out) {
    format_rows(w, fill, cells, c * kChunk, std::min(n, (c + 1) * kChunk), out);
  };
  const RowFiller fill = make_fill();  // before the second thread calls make_fill() too

  // The second thread formats the odd chunks into buffers this one writes and hands back. If
  // this one leaves early (a write failed), ~Background stops the second one's wait and joins.
  std::mutex mu;
  std::condition_variable_any cv;
  std::deque<std::string> ready, spare;
  bool ended = false;  // the second thread is done: all its chunks are in `ready`, or it failed
  Background second(
      [&](std::stop_token stop) {
        const RowFiller own = make_fill();
        std::vector<std::string> cells(width);
        for (size_t c = 1; c < chunks; c += 2) {
          std::string buf;
          {
            std::unique_lock<std::mutex> lock(mu);
            if (!cv.wait(lock, stop, [&] { return ready.size() < kAhead; })) return;
            if (!spare.empty()) buf = std::move(spare.front()), spare.pop_front();
          }
          format_chunk(own, cells, c, buf);
          std::lock_guard<std::mutex> lock(mu);
          ready.push_back(std::move(buf));
          cv.notify_all();
        }
      },
      [&] {
        std::lock_guard<std::mutex> lock(mu);
        ended = true;
        cv.notify_all();
      });

  std::vector<std::string> cells(width);
  std::string mine;
  for (size_t c = 0; c < chunks; ++c) {
    if (c % 2 == 0) {
      format_chunk(fill, cells, c, mine);
      w.write_formatted(mine);
      continue;
    }
    std::string theirs;
    {
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [&] { return !ready.empty() || ended; });
      if (ready.empty()) {
        lock.unlock();
        second.join();  // rethrows why the second thread ended without this chunk
        throw std::logic_error("write_rows_on_two_threads: a chunk went missing");
      }
      theirs = std::move(ready.front());
      ready.pop_front();
    }
    cv.notify_all();
    w.write_formatted(theirs);
    std::lock_guard<std::mutex> lock(mu);
    spare.push_back(std::move(theirs));
  }
  second.join();
}

}  // namespace kartoteka
