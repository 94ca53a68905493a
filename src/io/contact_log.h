// The contact log file of `sms --log FILE` (SPEC §6.6, §8.52): the lock, reading, and the atomic
// append. What the rows mean (snoozing, the row format) is rules/contact_log.h.
//
//   ContactLog log(path, [&](const ContactRow& r) { recent.add(r); });  // locked, read
//   … write the batch, flush stdout / rename -o …
//   log.append(rows);                                                   // atomic, then unlocked
//
// - The lock: an exclusive flock on FILE.lock (created beside FILE, mode 0600), waited for, taken
//   before FILE is read and held until the object is destroyed — so jobs that start together run
//   one after the other, and a later one reads (and snoozes by) the earlier one's rows.
// - Before anything is written, the temporary file of the append is created in FILE's folder:
//   a folder that cannot take it stops the run while nothing has been written (InputError).
// - Reading: exactly the format kartoteka writes — UTF-8 (a BOM accepted), `,`, the header
//   `date,id,phone,campaign,segments`, dates `YYYY-MM-DD`, segments a whole number; anything else
//   is an InputError naming file:line (a log re-saved by a spreadsheet is fixed, not guessed at).
//   A missing or 0-byte FILE is a new log. A row's unusable phone reads as "" (matches no phone).
// - append(): a copy of FILE (a missing final newline added; the header for a new log) plus the
//   new rows, fsynced and renamed over FILE — the whole batch or nothing. A new log gets mode 0600,
//   an existing one keeps its mode. Failure: InputError saying the messages were written but not
//   logged.
#pragma once
#include <functional>
#include <memory>
#include <string>

#include "io/input.h"
#include "rules/contact_log.h"

namespace kartoteka {

// Reads the rows of a contact log (`log` a path, or bytes in memory: io/input.h) in the one format
// above, to `see`; InputError naming file:line for anything else. ContactLog reads FILE with it,
// under the lock, when FILE exists and is not empty.
void read_contact_log(const Input& log, const std::function<void(const ContactRow&)>& see);

class ContactLog {
 public:
  ContactLog(const std::string& path, const std::function<void(const ContactRow&)>& see);
  ~ContactLog();
  ContactLog(const ContactLog&) = delete;
  ContactLog& operator=(const ContactLog&) = delete;

  // `rows`: complete log lines (append_log_row), appended after FILE's rows. Once only.
  void append(const std::string& rows);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kartoteka
