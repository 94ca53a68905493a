#include "rules/contact_log.h"

#include <fmt/format.h>

#include "model/text.h"

namespace kartoteka {

RecentContacts::RecentContacts(Day as_of, std::optional<uint32_t> snooze_days,
                               std::optional<uint32_t> campaign_days, std::string_view campaign)
    : as_of_(as_of), days_(snooze_days), campaign_days_(campaign_days), campaign_(trim(campaign)) {}

bool RecentContacts::in_window(Day date, std::optional<uint32_t> days) const {
  // as_of − DAYS < date ≤ as_of, in 64 bits so that a huge DAYS cannot wrap.
  return days && date != kNoDay && date <= as_of_ &&
         int64_t{as_of_} - int64_t{*days} < int64_t{date};
}

void RecentContacts::add(const ContactRow& row) {
  const bool counted = in_window(row.date, days_) ||
                       (in_window(row.date, campaign_days_) && trim(row.campaign) == campaign_);
  if (!counted) return;
  if (auto id = trim(row.id); !id.empty()) ids_.emplace(id);
  if (!row.phone.empty()) phones_.emplace(row.phone);
}

bool RecentContacts::contacted(std::string_view id, std::string_view phone) const {
  if (ids_.count(std::string(trim(id)))) return true;
  return !phone.empty() && phones_.count(std::string(phone));
}

void append_log_row(std::string& out, Day date, std::string_view id, std::string_view phone,
                    std::string_view campaign, uint32_t segments) {
  append_date(out, date);
  out += ',';
  append_quoted(out, id, ',');
  out += ',';
  append_quoted(out, phone, ',');
  out += ',';
  append_quoted(out, campaign, ',');
  fmt::format_to(std::back_inserter(out), ",{}\n", segments);
}

}  // namespace kartoteka
