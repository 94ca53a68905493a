// The kind of an output column by its title: see column_kind.h.
#include "model/column_kind.h"

#include <algorithm>
#include <iterator>

namespace kartoteka {

ColumnKind column_kind(std::string_view title) {
  // §8.39, exact titles only (`Age` is text).
  static constexpr std::string_view kIntegers[] = {"visits",
                                                   "age",
                                                   "birth_month",
                                                   "birth_day",
                                                   "days_to_birthday",
                                                   "days_since_first_visit",
                                                   "days_since_last_visit",
                                                   "recency_days",
                                                   "frequency",
                                                   "r",
                                                   "f",
                                                   "m",
                                                   "days_since",
                                                   "days_overdue",
                                                   "patients",
                                                   "referrals",
                                                   "segments",
                                                   "expire_days",
                                                   "column",
                                                   "filled",
                                                   "bad"};
  static constexpr std::string_view kDecimals[] = {
      "spent",         "avg_check",    "monetary",
      "typical_gap",   "share",        "recency_days_avg",
      "frequency_avg", "monetary_sum", "monetary_avg",
      "topup",         "credit",       "welcome",
      "topup_total",   "credit_total", "referred_revenue",
      "balance",       "expiring",     "earned",
      "redeemed",      "expired",      "discount_pct",
      "next_tier_gap", "amount",       "issued",
      "outstanding"};
  // bonus-ledger --what-if's own (§8.51).
  static constexpr std::string_view kWhatIfDecimals[] = {"cashback", "overdraft",
                                                         "peak_outstanding", "revenue", "cost_pct"};
  // rfm --predict and --model (§8.51).
  static constexpr std::string_view kPredictDecimals[] = {"p_alive",
                                                          "expected_visits",
                                                          "expected_revenue",
                                                          "p_alive_avg",
                                                          "expected_visits_sum",
                                                          "expected_revenue_sum",
                                                          "alpha",
                                                          "a",
                                                          "b",
                                                          "bgnbd_log_likelihood",
                                                          "p",
                                                          "q",
                                                          "gamma",
                                                          "gg_log_likelihood"};
  static constexpr std::string_view kBooleans[] = {"has_phone", "upcoming", "sms_consent",
                                                   "purchased"};
  auto in = [title](const auto& list) {
    return std::find(std::begin(list), std::end(list), title) != std::end(list);
  };
  if (in(kIntegers) || title == "repeat_patients") return ColumnKind::Integer;  // rfm --model
  if (in(kDecimals) || in(kWhatIfDecimals) || in(kPredictDecimals)) return ColumnKind::Decimal;
  if (in(kBooleans)) return ColumnKind::Boolean;
  return ColumnKind::Text;
}

}  // namespace kartoteka
