// The columns of input-file titles: see column.h.
#include "model/column.h"

#include "model/fields.h"

namespace kartoteka {
namespace {

// Every title a kartoteka output gives a column that is not text, as SPEC lists them: §8.39
// (counts, decimals; money by §8.61), §8.51 (rfm --predict and --model, --what-if, inspect), §3's
// dates, and the columns that name a patient. One word a title.
struct TitleKinds {
  ColumnKind kind;
  std::string_view titles;
};
constexpr TitleKinds kTitleKinds[] = {
    {ColumnKind::Integer,
     "visits age birth_month birth_day days_to_birthday days_since_first_visit "
     "days_since_last_visit recency_days frequency r f m days_since days_overdue patients "
     "referrals segments expire_days column filled bad repeat_patients"},
    {ColumnKind::Money,
     "spent avg_check monetary monetary_sum monetary_avg topup credit welcome topup_total "
     "credit_total referred_revenue balance expiring earned redeemed expired next_tier_gap amount "
     "issued outstanding overdraft peak_outstanding revenue expected_revenue expected_revenue_sum"},
    {ColumnKind::Decimal,
     "typical_gap share recency_days_avg frequency_avg discount_pct cashback cost_pct p_alive "
     "expected_visits p_alive_avg expected_visits_sum alpha a b bgnbd_log_likelihood p q gamma "
     "gg_log_likelihood"},
    {ColumnKind::Boolean, "has_phone upcoming sms_consent purchased"},
    {ColumnKind::Date,
     "last_visit first_visit date due_date last_service_date next_expiry birth_date registered "
     "activity_date as_of"},
    {ColumnKind::Id, "id new_id referrer_id"},
};

// True when `word` is one of the space-separated words of `list` (exactly: `Age` is not `age`).
bool is_word_of(std::string_view list, std::string_view word) {
  if (word.empty() || word.find(' ') != std::string_view::npos) return false;
  for (size_t at = list.find(word); at != std::string_view::npos; at = list.find(word, at + 1)) {
    const size_t end = at + word.size();
    if ((at == 0 || list[at - 1] == ' ') && (end == list.size() || list[end] == ' ')) return true;
  }
  return false;
}

}  // namespace

MaskKind mask_kind(std::string_view title) {
  if (title == "referrer_name" || title == "new_name") return MaskKind::Name;
  if (title == "referrer_phone") return MaskKind::Phone;
  // `name`, `phone` and their export headers (after §8.6 normalisation: `Name`, `ФИО`, `Телефон`).
  if (auto m = match_header(FileKind::Patients, title)) return field_column(m->field).personal;
  return MaskKind::None;
}

Column default_column(std::string_view title) {
  Column c{std::string(title), ColumnKind::Text, mask_kind(title)};
  for (const auto& [kind, titles] : kTitleKinds)
    if (is_word_of(titles, title)) c.kind = kind;
  return c;
}

std::vector<std::string> column_titles(const std::vector<Column>& columns) {
  std::vector<std::string> out;
  out.reserve(columns.size());
  for (const auto& c : columns) out.push_back(c.title);
  return out;
}

}  // namespace kartoteka
