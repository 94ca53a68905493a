// base/ordered_jobs.h: jobs run on worker threads and come back in push order.
//
// What is checked, and how independently of the class:
// - order: every job carries its push index; early jobs sleep longer than later ones, so workers
//   finish out of order, and pop() must still hand back indices 0, 1, 2, … The result a job
//   computes (i*i+1) is checked against the formula, not against another run.
// - pop_if_done never skips ahead: job 0 waits on a gate the test holds; the test waits (by its
//   own counter) until every later job has run, then pop_if_done must still return null.
// - errors: the runner throws for one index k; pop() must rethrow it exactly when k is popped.
// - make_runner: the test records std::this_thread::get_id() at every call (a set, so "once per
//   worker" is a count of distinct ids equal to the number of calls and to `threads`), and every
//   job records the thread it ran on, which must be one whose runner was made there.
// - teardown: destroying with jobs out returns (a hang would time the suite out) with no crash
//   (ASan runs this suite).
// - destruction drops the jobs still queued: at most the one a worker had taken runs.
// Sleeps are a few milliseconds: the file runs in well under a second.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "base/ordered_jobs.h"

using namespace kartoteka;
using namespace std::chrono_literals;

namespace {

struct Job {
  int index = 0;
  long result = 0;
  std::thread::id ran_on;
};

std::unique_ptr<Job> job(int index) {
  auto j = std::make_unique<Job>();
  j->index = index;
  return j;
}

// A runner maker whose runner computes i*i+1 after sleeping `sleep(i)`.
template <class Sleep>
std::function<OrderedJobs<Job>::Runner()> squares(Sleep sleep) {
  return [sleep] {
    return [sleep](Job& j) {
      std::this_thread::sleep_for(sleep(j.index));
      j.result = long{j.index} * j.index + 1;
      j.ran_on = std::this_thread::get_id();
    };
  };
}

// Pushes n jobs whose earlier ones take longer, pops them all; returns the results in pop order.
std::vector<long> run_squares(unsigned threads, int n) {
  OrderedJobs<Job> jobs(threads, squares([n](int i) { return (n - i) * 1ms; }));
  for (int i = 0; i < n; ++i) jobs.push(job(i));
  std::vector<long> results;
  while (jobs.out()) {
    auto j = jobs.pop();
    REQUIRE(j);
    CHECK(j->index == static_cast<int>(results.size()));
    results.push_back(j->result);
  }
  return results;
}

}  // namespace

TEST_CASE("ordered jobs: results come back in push order though workers finish out of order") {
  const int n = 8;
  std::vector<long> want;  // i*i+1 by hand
  for (int i = 0; i < n; ++i) want.push_back(long{i} * i + 1);
  CHECK(run_squares(4, n) == want);
  CHECK(run_squares(1, n) == want);  // one worker gives the same
  CHECK(run_squares(0, n) == want);  // 0: one per hardware thread
}

TEST_CASE("ordered jobs: out() counts pushed and not popped; pop on nothing is null") {
  OrderedJobs<Job> jobs(2, squares([](int) { return 0ms; }));
  CHECK(jobs.out() == 0);
  CHECK(jobs.pop() == nullptr);
  CHECK(jobs.pop_if_done() == nullptr);
  for (int i = 0; i < 5; ++i) jobs.push(job(i));
  CHECK(jobs.out() == 5);
  CHECK(jobs.pop()->index == 0);
  CHECK(jobs.out() == 4);
  jobs.push(job(5));
  CHECK(jobs.out() == 5);
  for (int i = 1; i <= 5; ++i) CHECK(jobs.pop()->index == i);
  CHECK(jobs.out() == 0);
  CHECK(jobs.pop() == nullptr);
}

TEST_CASE("ordered jobs: pop_if_done is null while the oldest runs and never skips ahead") {
  std::promise<void> open;
  std::shared_future<void> gate = open.get_future().share();
  std::atomic<int> later_done{0};
  OrderedJobs<Job> jobs(2, [&] {
    return [&](Job& j) {
      if (j.index == 0)
        gate.wait();  // the oldest holds one worker until the test opens the gate
      else
        ++later_done;
    };
  });
  for (int i = 0; i < 6; ++i) jobs.push(job(i));
  // The other worker runs jobs 1..5 meanwhile; wait (≤ 5 s) until all five have returned.
  for (int waited = 0; later_done < 5 && waited < 5000; ++waited) std::this_thread::sleep_for(1ms);
  REQUIRE(later_done == 5);
  CHECK(jobs.pop_if_done() == nullptr);
  CHECK(jobs.pop_if_done() == nullptr);
  CHECK(jobs.out() == 6);
  open.set_value();
  CHECK(jobs.pop()->index == 0);  // waits for the oldest
  for (int i = 1; i < 6; ++i) {   // the rest were done before: no waiting needed
    auto j = jobs.pop_if_done();
    REQUIRE(j);
    CHECK(j->index == i);
  }
  CHECK(jobs.out() == 0);
}

TEST_CASE("ordered jobs: a runner's exception is rethrown when its job is popped, in order") {
  for (unsigned threads : {1u, 4u}) {
    CAPTURE(threads);
    OrderedJobs<Job> jobs(threads, [] {
      return [](Job& j) {
        // An early job is slow, so job 3's failure happens first in time, not in order.
        if (j.index == 0) std::this_thread::sleep_for(5ms);
        if (j.index == 3) throw std::runtime_error("job 3 failed");
        j.result = j.index * 10;
      };
    });
    for (int i = 0; i < 7; ++i) jobs.push(job(i));
    for (int i = 0; i < 3; ++i) CHECK(jobs.pop()->result == i * 10);
    CHECK_THROWS_WITH_AS(jobs.pop(), "job 3 failed", std::runtime_error);
    CHECK(jobs.out() == 3);  // the failed job is gone; the ones after it follow normally
    for (int i = 4; i < 7; ++i) CHECK(jobs.pop()->result == i * 10);
    CHECK(jobs.out() == 0);
  }
}

TEST_CASE("ordered jobs: make_runner runs once on each worker thread; jobs use that runner") {
  const unsigned threads = 3;
  std::mutex m;
  std::vector<std::thread::id> made_on;  // one entry per make_runner call
  std::vector<Job> popped;
  {
    OrderedJobs<Job> jobs(threads, [&] {
      const auto here = std::this_thread::get_id();
      {
        std::lock_guard lock(m);
        made_on.push_back(here);
      }
      return [here](Job& j) {
        std::this_thread::sleep_for(1ms);               // keeps every worker busy for a while
        j.ran_on = here;                                // the thread the runner was made on ...
        j.result = std::this_thread::get_id() == here;  // ... is the one it runs on
      };
    });
    for (int i = 0; i < 24; ++i) jobs.push(job(i));
    while (jobs.out()) popped.push_back(*jobs.pop());
  }  // joined: every worker has called make_runner by now
  const std::set<std::thread::id> distinct(made_on.begin(), made_on.end());
  CHECK(made_on.size() == threads);
  CHECK(distinct.size() == threads);
  CHECK(distinct.count(std::this_thread::get_id()) == 0);
  REQUIRE(popped.size() == 24);
  for (const Job& j : popped) {
    CHECK(j.result == 1);
    CHECK(distinct.count(j.ran_on) == 1);
  }
}

TEST_CASE("ordered jobs: a make_runner that throws fails every job with its exception") {
  std::atomic<int> calls{0};
  OrderedJobs<Job> jobs(2, [&]() -> OrderedJobs<Job>::Runner {
    ++calls;
    throw std::runtime_error("no runner");
  });
  for (int i = 0; i < 5; ++i) jobs.push(job(i));
  for (int i = 0; i < 5; ++i) CHECK_THROWS_WITH_AS(jobs.pop(), "no runner", std::runtime_error);
  CHECK(jobs.out() == 0);
  CHECK(calls >= 1);
  CHECK(calls <= 2);
}

TEST_CASE("ordered jobs: destroying with jobs out neither hangs nor crashes") {
  std::atomic<int> ran{0};
  auto slow = [&] {
    return [&](Job&) {
      std::this_thread::sleep_for(2ms);
      ++ran;
    };
  };
  {  // nothing popped
    OrderedJobs<Job> jobs(2, slow);
    for (int i = 0; i < 6; ++i) jobs.push(job(i));
  }
  {  // some popped, one running, some queued
    OrderedJobs<Job> jobs(1, slow);
    for (int i = 0; i < 6; ++i) jobs.push(job(i));
    CHECK(jobs.pop()->index == 0);
  }
  {  // never pushed: no workers to stop
    OrderedJobs<Job> jobs(4, slow);
  }
  CHECK(ran.load() <= 12);  // nothing runs after its OrderedJobs is gone (ASan sees use-after-free)
}

// The header promises that jobs still out when the object is destroyed are "dropped unrun"
// (condition_variable_any's wait(lock, stop, pred) returns pred() once a stop is requested, so
// the worker must also check the stop: it once ran the whole queue first).
TEST_CASE("ordered jobs: queued jobs are dropped unrun at destruction") {
  std::atomic<int> ran{0};
  {
    OrderedJobs<Job> jobs(1, [&] {
      return [&](Job&) {
        std::this_thread::sleep_for(2ms);
        ++ran;
      };
    });
    for (int i = 0; i < 10; ++i) jobs.push(job(i));
  }
  // At most the job the one worker had taken when the stop came may have run.
  CHECK(ran.load() <= 1);
}
