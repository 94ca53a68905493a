// Everything that goes to stderr besides the fatal error: notes, warnings, skipped-row reports,
// and the progress indicator. Never patient data in progress output. Every message line starts
// `kartoteka: ` (`kartoteka: note:`, `kartoteka: warning:`, `kartoteka: skipped:`, §6.9, §8.63),
// as errors do, so that the stage of a pipe that speaks is clear.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace kartoteka {

class Diagnostics {
 public:
  Diagnostics(bool quiet, bool skip_bad_rows);

  // Notes and warnings; hidden by --quiet (§8.38).
  void note(std::string_view text);
  void warn(std::string_view text);

  // A bad row or value, message already formatted as `file:line: …`. Without --skip-bad-rows
  // throws InputError(message). With it, the row is skipped and reported (the first 20 per run,
  // then only counted; always printed, also under --quiet).
  void bad_row(std::string message);
  // Prints "N bad rows skipped" when any were skipped. Called once at the end of loading.
  void finish_bad_rows();
  uint64_t skipped() const { return skipped_; }
  bool skip_bad_rows() const { return skip_; }
  bool quiet() const { return quiet_; }

  // Progress on long runs when stderr is a terminal: "reading visits.csv: 42%".
  void progress(std::string_view what, uint64_t done, uint64_t total);
  void progress_done();

 private:
  bool quiet_;
  bool skip_;
  bool tty_;
  uint64_t skipped_ = 0;
  int64_t last_progress_ms_ = 0;
  int64_t started_ms_ = 0;
  bool progress_shown_ = false;
};

}  // namespace kartoteka
