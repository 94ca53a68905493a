#include "rules/report_tables.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <stdexcept>

#include "rules/ru_format.h"

namespace kartoteka {
namespace {

size_t column(const std::vector<Column>& columns, std::string_view name) {
  auto it = std::find_if(columns.begin(), columns.end(),
                         [&](const Column& c) { return c.title == name; });
  if (it == columns.end()) throw std::logic_error(fmt::format("report: no column {}", name));
  return static_cast<size_t>(it - columns.begin());
}

int64_t count_cell(std::string_view cell) {
  int64_t v = 0;
  std::from_chars(cell.data(), cell.data() + cell.size(), v);
  return v;
}

Kopecks money_cell(std::string_view cell) {
  Kopecks k = 0;
  if (!parse_money(cell, k)) throw std::logic_error(fmt::format("report: bad money {}", cell));
  return k;
}

// Month of a csv date `YYYY-MM-DD` (the reward list's `date`).
Day day_cell(std::string_view cell) {
  Day d = kNoDay;
  parse_date(cell, d);
  return d;
}

}  // namespace

Table report_overview(const VisitFold& fold, const std::vector<uint32_t>& population, Day as_of) {
  int64_t with_visits = 0, visits = 0;
  Kopecks spent = 0;
  Day first = kNoDay, last = kNoDay;
  for (uint32_t p : population) {
    const VisitStats& s = fold.stats(p);
    spent += s.spent;
    visits += s.visits;
    if (s.visits == 0) continue;
    ++with_visits;
    if (first == kNoDay || s.first_visit < first) first = s.first_visit;
    if (last == kNoDay || s.last_visit > last) last = s.last_visit;
  }
  // §8.60: `with_visits` a count like `patients` and `visits`; `as_of` a date.
  Table t;
  t.columns = {col::count("patients"), col::count("with_visits"), col::count("visits"),
               col::money("spent"),    col::date("first_visit"),  col::date("last_visit"),
               col::date("as_of")};
  t.rows.push_back({std::to_string(population.size()), std::to_string(with_visits),
                    std::to_string(visits), format_money(spent), format_date(first),
                    format_date(last), format_date(as_of)});
  return t;
}

Table rfm_grid(const std::vector<RfmRow>& rows) {
  std::array<std::array<int64_t, 5>, 5> n{};  // [r-1][f-1]
  for (const RfmRow& row : rows) ++n[row.r - 1u][row.f - 1u];
  Table t;
  t.columns = {col::count("r"), col::count("f"), col::count("patients")};
  for (int r = 5; r >= 1; --r)
    for (int f = 1; f <= 5; ++f)
      t.rows.push_back({std::to_string(r), std::to_string(f),
                        std::to_string(n[static_cast<size_t>(r - 1)][static_cast<size_t>(f - 1)])});
  return t;
}

std::string DayBucket::label() const {
  return fmt::format("{}-{}", from, to);
}

std::vector<DayBucket> sleeping_buckets(int64_t after, int64_t lost_after) {
  std::vector<DayBucket> out;
  if (after >= lost_after) return out;
  int64_t from = after;
  for (int64_t cut = (after / 365 + 1) * 365; cut < lost_after; cut += 365) {
    out.push_back({from, cut - 1});
    from = cut;
  }
  out.push_back({from, lost_after - 1});
  return out;
}

SleepingBuckets::SleepingBuckets(int64_t after, int64_t lost_after)
    : buckets_(sleeping_buckets(after, lost_after)),
      patients_(buckets_.size(), 0),
      spent_(buckets_.size(), 0) {}

void SleepingBuckets::columns(const std::vector<Column>& columns) {
  days_col_ = column(columns, "days_since");
  spent_col_ = column(columns, "spent");
}

void SleepingBuckets::row(const std::vector<std::string>& cells) {
  const int64_t days = count_cell(cells[days_col_]);
  for (size_t b = 0; b < buckets_.size(); ++b)
    if (days >= buckets_[b].from && days <= buckets_[b].to) {
      ++patients_[b];
      spent_[b] += money_cell(cells[spent_col_]);
      return;
    }
}

Table SleepingBuckets::table() const {
  Table t;
  t.columns = {col::text("bucket"), col::count("patients"), col::money("spent")};
  for (size_t b = 0; b < buckets_.size(); ++b)
    t.rows.push_back({buckets_[b].label(), std::to_string(patients_[b]), format_money(spent_[b])});
  return t;
}

ReferralMonths::ReferralMonths(MonthWindow window)
    : window_(window), months_(static_cast<size_t>(window.count)) {}

void ReferralMonths::columns(const std::vector<Column>& columns) {
  date_col_ = column(columns, "date");
  topup_col_ = column(columns, "topup");
  credit_col_ = column(columns, "credit");
  welcome_col_ = column(columns, "welcome");
}

void ReferralMonths::row(const std::vector<std::string>& cells) {
  const int slot = window_.slot(day_cell(cells[date_col_]));
  if (slot < 0) return;
  Month& m = months_[static_cast<size_t>(slot)];
  ++m.referrals;
  m.topup += money_cell(cells[topup_col_]);
  m.credit += money_cell(cells[credit_col_]);
  m.welcome += money_cell(cells[welcome_col_]);
}

Table ReferralMonths::table() const {
  Table t;
  t.columns = {col::text("month"), col::count("referrals"), col::money("topup"),
               col::money("credit"), col::money("welcome")};
  for (size_t i = 0; i < months_.size(); ++i) {
    const Month& m = months_[i];
    t.rows.push_back({month_label(window_.index(static_cast<int>(i))), std::to_string(m.referrals),
                      format_money(m.topup), format_money(m.credit), format_money(m.welcome)});
  }
  return t;
}

Table audit_counts(const Table& audit) {
  const size_t col = column(audit.columns, "issue");
  std::array<int64_t, kAuditIssues.size()> n{};
  for (const auto& row : audit.rows)
    for (size_t i = 0; i < kAuditIssues.size(); ++i)
      if (row[col] == kAuditIssues[i]) ++n[i];
  Table t;
  t.columns = {col::text("issue"), col::count("referrals")};
  for (size_t i = 0; i < kAuditIssues.size(); ++i)
    t.rows.push_back({std::string(kAuditIssues[i]), std::to_string(n[i])});
  return t;
}

Table tier_counts(const std::vector<Tier>& tiers, const std::vector<Kopecks>& spent) {
  std::map<int64_t, int64_t> n = {{0, 0}};
  for (const Tier& t : tiers) n.emplace(t.pct, 0);
  for (Kopecks s : spent) ++n[tier_standing(tiers, s).pct];
  Table t;
  t.columns = {col::decimal("discount_pct"), col::count("patients")};
  for (const auto& [pct, patients] : n)
    t.rows.push_back({format_percent(pct, kTierDecimals), std::to_string(patients)});
  return t;
}

Table months_in_window(const Table& summary, MonthWindow window) {
  Table t;
  t.columns = summary.columns;
  if (summary.rows.empty()) return t;
  const size_t col = column(summary.columns, "month");
  for (const auto& row : summary.rows) {
    Day d = kNoDay;
    if (parse_date(row[col] + "-01", d) && window.slot(d) >= 0) t.rows.push_back(row);
  }
  return t;
}

}  // namespace kartoteka
