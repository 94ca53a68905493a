// The default kind and personal flag of an output column by its title: see column.h.
#include "model/column.h"

#include <algorithm>
#include <iterator>

#include "model/fields.h"

namespace kartoteka {

MaskKind mask_kind(std::string_view title) {
  static constexpr std::string_view kNames[] = {"name",        "first_name",    "last_name",
                                                "middle_name", "referrer_name", "new_name"};
  static constexpr std::string_view kPhones[] = {"phone", "referrer_phone"};
  for (auto t : kNames)
    if (title == t) return MaskKind::Name;
  for (auto t : kPhones)
    if (title == t) return MaskKind::Phone;
  // A --from list's travelling column may carry a patients-export title (`ФИО`, `Телефон`).
  if (auto m = match_header(FileKind::Patients, title)) {
    switch (m->field) {
      case Field::name:
      case Field::last_name:
      case Field::first_name:
      case Field::middle_name:
        return MaskKind::Name;
      case Field::phone:
        return MaskKind::Phone;
      default:
        break;
    }
  }
  return MaskKind::None;
}

namespace {

// §8.61: money columns get a two-decimal format in xlsx; the other decimals (shares, averages of
// counts, percentages, typical_gap) stay General. Titles of columns other engineers add
// (expected_revenue, overdraft, …) are listed ahead: Money applies only to decimal titles.
ColumnKind refine_decimal(std::string_view title) {
  static constexpr std::string_view kMoney[] = {"spent",
                                                "avg_check",
                                                "monetary",
                                                "monetary_sum",
                                                "monetary_avg",
                                                "topup",
                                                "credit",
                                                "welcome",
                                                "topup_total",
                                                "credit_total",
                                                "referred_revenue",
                                                "balance",
                                                "expiring",
                                                "earned",
                                                "redeemed",
                                                "expired",
                                                "next_tier_gap",
                                                "amount",
                                                "issued",
                                                "outstanding",
                                                "overdraft",
                                                "expected_revenue",
                                                "expected_revenue_sum",
                                                "peak_outstanding",
                                                "revenue"};
  const bool money = std::find(std::begin(kMoney), std::end(kMoney), title) != std::end(kMoney);
  return money ? ColumnKind::Money : ColumnKind::Decimal;
}

// Text titles that are ids (patients a row names) or dates (real dates in xlsx).
ColumnKind refine_text(std::string_view title) {
  static constexpr std::string_view kDates[] = {
      "last_visit",  "first_visit", "date",       "due_date",      "last_service_date",
      "next_expiry", "birth_date",  "registered", "activity_date", "as_of"};
  if (title == "id" || title == "new_id" || title == "referrer_id") return ColumnKind::Id;
  if (std::find(std::begin(kDates), std::end(kDates), title) != std::end(kDates))
    return ColumnKind::Date;
  return ColumnKind::Text;
}

}  // namespace

Column default_column(std::string_view title) {
  ColumnKind kind = column_kind(title);
  if (kind == ColumnKind::Decimal) kind = refine_decimal(title);
  if (kind == ColumnKind::Text) kind = refine_text(title);
  return Column{std::string(title), kind, mask_kind(title)};
}

std::vector<Column> default_columns(const std::vector<std::string>& titles) {
  std::vector<Column> out;
  out.reserve(titles.size());
  for (const auto& t : titles) out.push_back(default_column(t));
  return out;
}

std::vector<std::string> column_titles(const std::vector<Column>& columns) {
  std::vector<std::string> out;
  out.reserve(columns.size());
  for (const auto& c : columns) out.push_back(c.title);
  return out;
}

}  // namespace kartoteka
