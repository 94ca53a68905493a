// write_rows_on_two_threads (table_writer.h): rows filled and formatted on a second thread in
// chunks while the first writes them, in order, with exceptions carried back to the caller.
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

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

  // The second thread formats the odd chunks into buffers this one writes and hands back.
  std::mutex mu;
  std::condition_variable cv;
  std::deque<std::string> ready, spare;
  bool stop = false;
  std::exception_ptr failed;
  std::thread second([&] {
    try {
      const RowFiller own = make_fill();
      std::vector<std::string> cells(width);
      for (size_t c = 1; c < chunks; c += 2) {
        std::string buf;
        {
          std::unique_lock<std::mutex> lock(mu);
          cv.wait(lock, [&] { return stop || ready.size() < kAhead; });
          if (stop) return;
          if (!spare.empty()) buf = std::move(spare.front()), spare.pop_front();
        }
        format_chunk(own, cells, c, buf);
        std::lock_guard<std::mutex> lock(mu);
        ready.push_back(std::move(buf));
        cv.notify_all();
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(mu);
      failed = std::current_exception();
      cv.notify_all();
    }
  });
  // However this function is left, the second thread is stopped and joined first.
  struct Join {
    std::mutex& mu;
    std::condition_variable& cv;
    bool& stop;
    std::thread& t;
    ~Join() {
      {
        std::lock_guard<std::mutex> lock(mu);
        stop = true;
      }
      cv.notify_all();
      t.join();
    }
  } join{mu, cv, stop, second};

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
      cv.wait(lock, [&] { return !ready.empty() || failed; });
      if (ready.empty()) std::rethrow_exception(failed);
      theirs = std::move(ready.front());
      ready.pop_front();
    }
    cv.notify_all();
    w.write_formatted(theirs);
    std::lock_guard<std::mutex> lock(mu);
    spare.push_back(std::move(theirs));
  }
}

}  // namespace kartoteka
