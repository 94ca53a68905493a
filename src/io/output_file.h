// Where a command's output goes: stdout, or `-o FILE` written atomically (SPEC §3, §8.38):
// a temporary file in FILE's folder, mode 0600 (or `--mode`), renamed over FILE only on commit().
// A run that fails (destructor without commit) removes the temporary file and leaves FILE
// untouched. Two runs writing the same FILE at once each write their own temporary file, so FILE
// is always one run's complete output (the last rename wins), never a mix.
#pragma once
#include <memory>
#include <string>

#include "io/table_writer.h"

namespace kartoteka {

class OutputTarget {
 public:
  // path empty or "-" = stdout. Throws InputError when the temporary file cannot be created
  // (e.g. folder not writable), naming the path.
  // `mode` is the permission bits FILE gets (exactly, whatever the umask); default 0600.
  explicit OutputTarget(const std::string& path, unsigned mode = 0600);
  ~OutputTarget();
  OutputTarget(const OutputTarget&) = delete;
  OutputTarget& operator=(const OutputTarget&) = delete;

  Sink& sink();
  // Flushes, fsyncs and renames into place. Throws InputError on failure (disk full …),
  // in which case the temporary file is removed and the old FILE stays intact.
  void commit();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kartoteka
