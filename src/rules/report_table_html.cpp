#include "rules/report_table_html.h"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <utility>

#include "model/date.h"
#include "model/money.h"
#include "rules/html_text.h"
#include "rules/ru_format.h"

namespace kartoteka {
namespace {

using Pair = std::pair<std::string_view, std::string_view>;

std::string_view lookup(const auto& table, std::string_view key) {
  for (const auto& [k, v] : table)
    if (k == key) return v;
  return {};
}

constexpr std::array<Pair, 33> kTitles = {{
    {"patients", "Пациентов"},
    {"with_visits", "С визитами"},
    {"visits", "Визитов"},
    {"spent", "Сумма оплат"},
    {"first_visit", "Первый визит"},
    {"last_visit", "Последний визит"},
    {"as_of", "На дату"},
    {"activity", "Активность"},
    {"home_branch", "Филиал"},
    {"share", "Доля"},
    {"month", "Месяц"},
    {"new_patients", "Новых пациентов"},
    {"revenue", "Выручка"},
    {"r", "R (давность)"},
    {"f", "F (частота)"},
    {"segment", "Сегмент"},
    {"recency_days_avg", "Дней с визита (ср.)"},
    {"frequency_avg", "Визитов (ср.)"},
    {"monetary_sum", "Сумма оплат"},
    {"monetary_avg", "На пациента"},
    {"bucket", "Не были, дней"},
    {"referrals", "Рекомендаций"},
    {"topup", "На телефон"},
    {"credit", "На внутр. счёт"},
    {"welcome", "Скидка новому"},
    {"issue", "Замечание"},
    {"issued", "Начислено"},
    {"redeemed", "Списано"},
    {"expired", "Сгорело"},
    {"outstanding", "Остаток"},
    {"discount_pct", "Скидка"},
    {"monetary", "Сумма оплат"},
    {"frequency", "Визитов"},
}};

// The Russian labels of the values of the activity, segment and issue columns.
struct Label {
  std::string_view key, value, ru;
};
constexpr Label kLabels[] = {
    {"activity", "prospect", "Ещё не приходили"},
    {"activity", "new", "Новые"},
    {"activity", "active", "Активные"},
    {"activity", "sleeping", "Спящие"},
    {"activity", "lost", "Потерянные"},
    {"segment", "champions", "Чемпионы"},
    {"segment", "loyal", "Лояльные"},
    {"segment", "potential_loyalist", "Будущие лояльные"},
    {"segment", "new", "Новые"},
    {"segment", "promising", "Перспективные"},
    {"segment", "need_attention", "Требуют внимания"},
    {"segment", "about_to_sleep", "Засыпающие"},
    {"segment", "at_risk", "В зоне риска"},
    {"segment", "cant_lose", "Нельзя потерять"},
    {"segment", "hibernating", "Спящие"},
    {"issue", "self_referral", "Сам себя рекомендовал"},
    {"issue", "unknown_referrer", "Рекомендатель не найден"},
    {"issue", "referrer_not_yet_patient", "Рекомендатель не лечился"},
    {"issue", "mutual_referral", "Взаимная рекомендация"},
    {"issue", "pending", "Новый ещё не платил"},
};

bool in(std::string_view key, std::initializer_list<std::string_view> keys) {
  for (auto k : keys)
    if (k == key) return true;
  return false;
}

bool is_count(std::string_view key) {
  return in(key, {"patients", "with_visits", "visits", "new_patients", "referrals", "r", "f",
                  "frequency"});
}
bool is_money(std::string_view key) {
  return in(key, {"spent", "revenue", "monetary_sum", "monetary_avg", "topup", "credit", "welcome",
                  "issued", "redeemed", "expired", "outstanding", "monetary"});
}

}  // namespace

std::string column_title_ru(std::string_view key) {
  const std::string_view t = lookup(kTitles, key);
  return std::string(t.empty() ? key : t);
}

std::string label_ru(std::string_view key, std::string_view value) {
  for (const Label& l : kLabels)
    if (l.key == key && l.value == value) return std::string(l.ru);
  if (key == "home_branch" && value.empty()) return "не указан";
  if (key == "bucket") {
    const size_t dash = value.find('-');
    if (dash != std::string_view::npos)
      return fmt::format("{}–{} дн.", value.substr(0, dash), value.substr(dash + 1));
  }
  if (key == "discount_pct") return value == "0" ? "без скидки" : ru_percent(value);
  return std::string(value);
}

std::string cell_ru(std::string_view key, std::string_view value) {
  if (value.empty()) return key == "home_branch" ? label_ru(key, value) : "—";
  if (is_count(key)) {
    int64_t n = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec == std::errc() && end == value.data() + value.size()) return ru_count(n);
  }
  if (is_money(key)) {
    Kopecks k = 0;
    if (parse_money(value, k)) return ru_money(k);
  }
  if (key == "share") return ru_percent(value);
  if (key == "discount_pct") return ru_percent(value);
  if (key == "recency_days_avg" || key == "frequency_avg") return ru_decimal(value);
  if (key == "first_visit" || key == "last_visit" || key == "as_of") {
    Day d = kNoDay;
    if (parse_date(value, d) && d != kNoDay) return ru_date(d);
  }
  if (key == "month") {
    Day d = kNoDay;
    if (parse_date(std::string(value) + "-01", d) && d != kNoDay) return ru_month(month_index(d));
  }
  return label_ru(key, value);
}

// The cells carry nothing but their data-value: the stylesheet right-aligns every column but the
// first (the label or key; every other column of a report table is a number, money or a date).
std::string table_html(std::string_view name, const Table& table) {
  // The 25 rows of the RFM grid stand beside a square chart: a denser table, styled through a
  // wrapper so that the table tag itself stays exactly `<table data-table="NAME">`.
  const bool dense = table.rows.size() > 24;
  std::string out = fmt::format("{}<table data-table=\"{}\">\n<thead><tr>",
                                dense ? "<div class=\"dense\">\n" : "", html_escape(name));
  const std::vector<std::string> titles = table.titles();
  for (const auto& key : titles)
    out += fmt::format("<th data-key=\"{}\">{}</th>", html_escape(key),
                       html_escape(column_title_ru(key)));
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& row : table.rows) {
    out += "<tr>";
    for (size_t c = 0; c < row.size() && c < titles.size(); ++c) {
      const std::string& key = titles[c];
      out += fmt::format("<td data-value=\"{}\">{}</td>", html_escape(row[c]),
                         html_escape(cell_ru(key, row[c])));
    }
    out += "</tr>\n";
  }
  return out + "</tbody>\n</table>\n" + (dense ? "</div>\n" : "");
}

}  // namespace kartoteka
