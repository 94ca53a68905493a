#include "io/diagnostics.h"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "model/errors.h"

namespace kartoteka {
namespace {
constexpr uint64_t kReportLimit = 20;

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
}  // namespace

Diagnostics::Diagnostics(bool quiet, bool skip_bad_rows)
    : quiet_(quiet),
      skip_(skip_bad_rows),
      tty_(isatty(STDERR_FILENO) == 1),
      started_ms_(now_ms()) {}

void Diagnostics::note(std::string_view text) {
  if (!quiet_) fmt::print(stderr, "kartoteka: note: {}\n", text);
}

void Diagnostics::warn(std::string_view text) {
  if (!quiet_) fmt::print(stderr, "kartoteka: warning: {}\n", text);
}

void Diagnostics::bad_row(std::string message) {
  if (!skip_) throw InputError(std::move(message));
  if (skipped_ < kReportLimit) fmt::print(stderr, "kartoteka: skipped: {}\n", message);
  ++skipped_;
}

void Diagnostics::finish_bad_rows() {
  if (skipped_ > kReportLimit)
    fmt::print(stderr, "kartoteka: skipped: {} more bad rows not shown\n", skipped_ - kReportLimit);
  if (skipped_ > 0) fmt::print(stderr, "kartoteka: {} bad rows skipped in all\n", skipped_);
}

void Diagnostics::progress(std::string_view what, uint64_t done, uint64_t total) {
  if (!tty_ || quiet_ || total == 0) return;
  int64_t now = now_ms();
  // Only long runs: nothing in the first second, then at most 4 updates a second.
  if (now - started_ms_ < 1000 || now - last_progress_ms_ < 250) return;
  last_progress_ms_ = now;
  progress_shown_ = true;
  fmt::print(stderr, "\r{}: {:3d}%", what, static_cast<int>(done * 100 / total));
  std::fflush(stderr);
}

void Diagnostics::progress_done() {
  if (progress_shown_) {
    fmt::print(stderr, "\r\033[K");
    std::fflush(stderr);
    progress_shown_ = false;
  }
}

}  // namespace kartoteka
