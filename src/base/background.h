// One piece of work on a second thread (issue 29): the caller starts it, does its own half, then
// join()s; an exception thrown on the second thread is rethrown in the caller by join(), so no
// call site forwards exceptions by hand.
//
//   Background other([&] { hi = sum(mid, n); });
//   lo = sum(0, mid);   // if this throws, ~Background joins (the other's exception is dropped)
//   other.join();       // rethrows the other thread's exception, if any
//
// Work that waits for the caller (a producer/consumer pair) takes a std::stop_token: leaving the
// caller's scope early (~Background) requests a stop before joining, so the work must give up
// its waits on a stop (std::condition_variable_any::wait(lock, token, pred) does). An `ended`
// function, run on the second thread after the work however it ended, wakes a caller that waits
// for what the work would have produced: the caller then join()s and gets the work's exception.
//
//   Background worker([&](std::stop_token stop) { while (Job* j = queue.take(stop)) run(*j); },
//                     [&] { queue.worker_gone(); });
#pragma once
#include <exception>
#include <stop_token>
#include <thread>
#include <type_traits>
#include <utility>

namespace kartoteka {

class Background {
 public:
  template <class F>
  explicit Background(F&& work) : Background(std::forward<F>(work), [] {}) {}
  // `ended` must not throw; it runs on the second thread, after the work returned or threw.
  template <class F, class G>
  Background(F&& work, G&& ended)
      : thread_([this, w = std::forward<F>(work),
                 e = std::forward<G>(ended)](std::stop_token stop) mutable {
          try {
            if constexpr (std::is_invocable_v<decltype(w)&, std::stop_token>)
              w(std::move(stop));
            else
              w();
          } catch (...) {
            failed_ = std::current_exception();
          }
          e();
        }) {}
  Background(const Background&) = delete;
  Background& operator=(const Background&) = delete;
  // Requests a stop (see the header), then waits for the work; its exception is dropped.
  ~Background() = default;

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
  std::jthread thread_;        // last: starts after failed_ exists, stopped and joined before it
};

}  // namespace kartoteka
