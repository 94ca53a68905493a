// The report's own aggregations (SPEC §6.7, §8.60) over the same values the commands use, so
// that each table equals the command it summarises: several are sinks that the commands' own
// rule functions (sleeping_list, reward_list) write their rows into, and they add up the printed
// cells — by construction the same numbers the command prints. Pure: no I/O.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/visit_stats.h"
#include "rules/ledger.h"
#include "rules/report_months.h"
#include "rules/rfm.h"
#include "rules/table.h"

namespace kartoteka {

// overview: patients,with_visits,visits,spent,first_visit,last_visit,as_of over `population`.
Table report_overview(const VisitFold& fold, const std::vector<uint32_t>& population, Day as_of);

// rfm_grid: 25 rows r,f,patients — r from 5 down to 1, f from 1 up to 5, zeros included.
Table rfm_grid(const std::vector<RfmRow>& rows);

// The `sleeping` buckets (§6.7): from `after` up, cut at every multiple of 365 strictly between
// `after` and `lost_after`, each labelled `FROM-TO` (days, inclusive). None when after ≥
// lost_after.
struct DayBucket {
  int64_t from, to;
  std::string label() const;
};
std::vector<DayBucket> sleeping_buckets(int64_t after, int64_t lost_after);

// A RowSink for sleeping_list's rows: bucket,patients,spent by the rows' days_since and spent.
class SleepingBuckets : public RowSink {
 public:
  SleepingBuckets(int64_t after, int64_t lost_after);
  void columns(const std::vector<Column>& columns) override;
  void row(const std::vector<std::string>& cells) override;
  Table table() const;

 private:
  std::vector<DayBucket> buckets_;
  std::vector<int64_t> patients_;
  std::vector<Kopecks> spent_;
  size_t days_col_ = 0, spent_col_ = 0;
};

// A RowSink for reward_list's rows: month,referrals,topup,credit,welcome per month of the window
// by the rows' date (rows outside the window are not counted).
class ReferralMonths : public RowSink {
 public:
  explicit ReferralMonths(MonthWindow window);
  void columns(const std::vector<Column>& columns) override;
  void row(const std::vector<std::string>& cells) override;
  Table table() const;

 private:
  MonthWindow window_;
  struct Month {
    int64_t referrals = 0;
    Kopecks topup = 0, credit = 0, welcome = 0;
  };
  std::vector<Month> months_;
  size_t date_col_ = 0, topup_col_ = 0, credit_col_ = 0, welcome_col_ = 0;
};

// The audit's issues in §6.4's order.
inline constexpr std::array<std::string_view, 5> kAuditIssues = {
    "self_referral", "unknown_referrer", "referrer_not_yet_patient", "mutual_referral", "pending"};
// referral_audit: issue,referrals — the rows of `referrals --audit` (its Table) per issue.
Table audit_counts(const Table& audit);

// tiers: discount_pct,patients — one row per distinct pct a patient can reach under `tiers`
// (0 included), ascending; `spent` holds the spent of every patient of the balance list.
Table tier_counts(const std::vector<Tier>& tiers, const std::vector<Kopecks>& spent);

// Only the ledger summary's months in the window (§6.7): rows whose `month` is in it.
Table months_in_window(const Table& summary, MonthWindow window);

}  // namespace kartoteka
