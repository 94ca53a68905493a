// One piece of work on a second thread (issue 29): the caller starts it, does its own half, then
// join()s; an exception thrown on the second thread is rethrown in the caller by join(), so no
// call site forwards exceptions by hand.
//
//   Background other([&] { hi = sum(mid, n); });
//   lo = sum(0, mid);   // if this throws, ~Background joins (the other's exception is dropped)
//   other.join();       // rethrows the other thread's exception, if any
#pragma once
#include <exception>
#include <thread>
#include <utility>

namespace kartoteka {

class Background {
 public:
  template <class F>
  explicit Background(F&& work)
      : thread_([this, w = std::forward<F>(work)]() mutable {
          try {
            w();
          } catch (...) {
            failed_ = std::current_exception();
          }
        }) {}
  Background(const Background&) = delete;
  Background& operator=(const Background&) = delete;

  // Waits for the work; rethrows its exception in the calling thread. Idempotent.
  void join() {
    if (std::exception_ptr e = wait()) std::rethrow_exception(e);
  }
  // Waits for the work; returns its exception (null when none) instead of throwing it, for a
  // caller whose own answer makes the other half's moot.
  std::exception_ptr wait() {
    if (thread_.joinable()) thread_.join();
    return std::exchange(failed_, nullptr);
  }

 private:
  std::exception_ptr failed_;  // written by the thread, read after it is joined
  std::jthread thread_;        // last: starts after failed_ exists, joined before it goes
};

}  // namespace kartoteka
