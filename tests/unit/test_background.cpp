// base/background.h: the work runs, join() waits for it and rethrows its exception in the caller.
#include <doctest/doctest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <stop_token>
#include <thread>

#include "base/background.h"

using namespace kartoteka;

TEST_CASE("background: work runs on another thread and is joined") {
  const auto caller = std::this_thread::get_id();
  std::thread::id ran_on;
  int result = 0;
  Background b([&] {
    ran_on = std::this_thread::get_id();
    result = 42;
  });
  b.join();
  CHECK(result == 42);
  CHECK(ran_on != caller);
  b.join();  // a second join is harmless
}

TEST_CASE("background: the work's exception is rethrown by join, once") {
  Background b([] { throw std::runtime_error("second half failed"); });
  CHECK_THROWS_WITH_AS(b.join(), "second half failed", std::runtime_error);
  CHECK_NOTHROW(b.join());
}

TEST_CASE("background: a caller's exception wins; the destructor joins") {
  bool done = false;
  try {
    Background b([&] { done = true; });
    throw std::logic_error("first half failed");
  } catch (const std::logic_error& e) {
    CHECK(std::string(e.what()) == "first half failed");
  }
  CHECK(done);
}

TEST_CASE("background: wait returns the exception instead of throwing it") {
  Background b([] { throw std::runtime_error("moot"); });
  std::exception_ptr e = b.wait();
  CHECK(e != nullptr);
  CHECK(b.wait() == nullptr);
}

TEST_CASE("background: leaving the caller's scope stops a waiting work, then `ended` runs") {
  // The work waits for a flag nobody sets: only the stop requested by ~Background ends it.
  std::mutex mu;
  std::condition_variable_any cv;
  bool stopped = false, ended = false;
  {
    Background b(
        [&](std::stop_token stop) {
          std::unique_lock<std::mutex> lock(mu);
          stopped = !cv.wait(lock, stop, [] { return false; });
        },
        [&] { ended = stopped; });  // runs after the work: sees what it left
  }
  CHECK(stopped);
  CHECK(ended);
}

TEST_CASE("background: `ended` runs after a failed work; join still rethrows") {
  std::atomic<bool> ended{false};
  Background b([] { throw std::runtime_error("worker failed"); }, [&] { ended = true; });
  CHECK_THROWS_WITH_AS(b.join(), "worker failed", std::runtime_error);
  CHECK(ended);
}
