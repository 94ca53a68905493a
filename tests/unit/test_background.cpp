// base/background.h: the work runs, join() waits for it and rethrows its exception in the caller.
#include <doctest/doctest.h>

#include <stdexcept>
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
