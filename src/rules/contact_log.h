// The contact log's rules (`sms --log`, SPEC §6.6, §8.52): which log rows make a patient
// "recently contacted" (snoozing), and the rows a batch adds. Pure: reading, locking and the
// atomic append are io/contact_log.h.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

#include "model/date.h"

namespace kartoteka {

// One log row, parsed: `date,id,phone,campaign,segments`.
struct ContactRow {
  Day date = kNoDay;
  std::string_view id;        // trimmed
  std::string_view phone;     // E.164, or "" when the row's phone is unusable (§8.52)
  std::string_view campaign;  // trimmed
};

// The snooze windows. A row counts when as_of − DAYS < date ≤ as_of (rows after as_of are
// ignored): `--snooze DAYS` counts every row, `--snooze-campaign DAYS` only the rows of
// `campaign` (compared exactly after trimming). Either window skips. A row counts for its id and
// for its phone. Only the ids and phones of rows in a window are kept, so a long log costs
// memory for the recent rows only.
class RecentContacts {
 public:
  RecentContacts(Day as_of, std::optional<uint32_t> snooze_days,
                 std::optional<uint32_t> campaign_days, std::string_view campaign);

  void add(const ContactRow& row);

  // True when a counted row names this id, or this phone (the one the message would go to).
  bool contacted(std::string_view id, std::string_view phone) const;

 private:
  bool in_window(Day date, std::optional<uint32_t> days) const;

  Day as_of_;
  std::optional<uint32_t> days_, campaign_days_;
  std::string campaign_;
  std::unordered_set<std::string> ids_, phones_;
};

// The log's header line and one row as kartoteka writes them (§6.6, §8.52): `,`, LF, csv quoting
// only where a value holds `,` `"` CR or LF (§8.17).
inline constexpr std::string_view kContactLogHeader = "date,id,phone,campaign,segments\n";
void append_log_row(std::string& out, Day date, std::string_view id, std::string_view phone,
                    std::string_view campaign, uint32_t segments);

}  // namespace kartoteka
