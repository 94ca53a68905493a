// Jobs run on worker threads and handed back in the order they were given: the pipeline of pigz,
// used where one serial stream is cut into pieces whose results must be joined in order (the
// xlsx zip's deflate blocks, a workbook's row batches; issue 32).
//
//   OrderedJobs<Block> jobs(threads, [] {                 // once on each worker thread:
//     return [z = std::make_shared<Deflater>()](Block& b) { z->run(b); };   // its own state
//   });
//   jobs.push(std::move(block));                          // in stream order
//   jobs.pop_ready(kMax, use);     // the done ones, oldest first; waits while kMax are out
//   jobs.pop_ready(1, use);        // all of them, at the end
//
// pop() rethrows what the job's runner threw (or what make_runner threw on that worker), so the
// caller meets errors in job order, the first one first. Workers start with the first push().
// The destructor stops the workers and joins them; jobs still out are dropped unrun or unread.
#pragma once
#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <stop_token>
#include <thread>
#include <vector>

#include "base/background.h"

namespace kartoteka {

template <class Job>
class OrderedJobs {
 public:
  using Runner = std::function<void(Job&)>;

  // `threads` 0: one per hardware thread.
  OrderedJobs(unsigned threads, std::function<Runner()> make_runner)
      : threads_(threads ? threads : std::max(1u, std::thread::hardware_concurrency())),
        make_runner_(std::move(make_runner)) {}
  ~OrderedJobs() { workers_.clear(); }  // ~Background: stop requested (waits end), then joined
  OrderedJobs(const OrderedJobs&) = delete;
  OrderedJobs& operator=(const OrderedJobs&) = delete;

  void push(std::unique_ptr<Job> job) {
    while (workers_.size() < threads_)
      workers_.push_back(std::make_unique<Background>([this](std::stop_token s) { work(s); }));
    auto slot = std::make_unique<Slot>();
    slot->job = std::move(job);
    {
      std::lock_guard lock(mutex_);
      queue_.push_back(slot.get());
    }
    ready_.notify_one();
    out_.push_back(std::move(slot));
  }

  size_t out() const { return out_.size(); }  // pushed and not yet popped

  // The oldest job out, once its runner returned; null when none is out.
  std::unique_ptr<Job> pop() {
    if (out_.empty()) return nullptr;
    {
      std::unique_lock lock(mutex_);
      done_.wait(lock, [&] { return out_.front()->done; });
    }
    return take_front();
  }

  // Passes jobs to `use` (a std::unique_ptr<Job>), oldest first: waiting for them while `limit`
  // or more are out, then every one already done. `limit` 1: every job out.
  template <class Use>
  void pop_ready(size_t limit, Use&& use) {
    while (out() >= limit) use(pop());
    while (std::unique_ptr<Job> job = pop_if_done()) use(std::move(job));
  }

  // The oldest job out if its runner has returned, else null.
  std::unique_ptr<Job> pop_if_done() {
    if (out_.empty()) return nullptr;
    {
      std::lock_guard lock(mutex_);
      if (!out_.front()->done) return nullptr;
    }
    return take_front();
  }

 private:
  struct Slot {
    std::unique_ptr<Job> job;
    std::exception_ptr failed;
    bool done = false;  // guarded by mutex_
  };

  std::unique_ptr<Job> take_front() {
    std::unique_ptr<Slot> slot = std::move(out_.front());
    out_.pop_front();
    if (slot->failed) std::rethrow_exception(slot->failed);
    return std::move(slot->job);
  }

  void work(std::stop_token stop) {
    Runner run;
    std::exception_ptr cannot;  // make_runner's failure fails every job this worker takes
    try {
      run = make_runner_();
    } catch (...) {
      cannot = std::current_exception();
    }
    for (;;) {
      Slot* slot;
      {
        std::unique_lock lock(mutex_);
        // A stopped wait still returns true while jobs are queued: those are dropped, not run.
        if (!ready_.wait(lock, stop, [&] { return !queue_.empty(); }) || stop.stop_requested())
          return;
        slot = queue_.front();
        queue_.pop_front();
      }
      std::exception_ptr failed = cannot;
      if (!failed) try {
          run(*slot->job);
        } catch (...) {
          failed = std::current_exception();
        }
      {
        std::lock_guard lock(mutex_);
        slot->failed = failed;
        slot->done = true;
      }
      done_.notify_all();
    }
  }

  const unsigned threads_;
  const std::function<Runner()> make_runner_;
  std::deque<std::unique_ptr<Slot>> out_;  // the caller's: pushed, not popped, in order
  std::mutex mutex_;
  std::condition_variable_any ready_, done_;
  std::deque<Slot*> queue_;  // guarded by mutex_: pushed, not yet taken by a worker
  std::vector<std::unique_ptr<Background>> workers_;  // last: joined before the rest goes
};

}  // namespace kartoteka
