#include "rules/report_html.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "model/money.h"
#include "rules/html_text.h"
#include "rules/report_style.h"
#include "rules/report_table_html.h"
#include "rules/ru_format.h"
#include "rules/svg_chart.h"

namespace kartoteka {
namespace {

constexpr std::string_view kBlue = "#2f6db5", kGreen = "#3a9d6a", kOrange = "#d9822b",
                           kPurple = "#7a5ab5";

size_t col(const Table& t, std::string_view key) {
  const std::vector<std::string> titles = t.titles();
  return static_cast<size_t>(std::find(titles.begin(), titles.end(), key) - titles.begin());
}
int64_t count_of(const std::string& cell) {
  int64_t v = 0;
  std::from_chars(cell.data(), cell.data() + cell.size(), v);
  return v;
}
Kopecks money_of(const std::string& cell) {
  Kopecks k = 0;
  parse_money(cell, k);
  return k;
}
int month_of(const std::string& cell) {
  Day d = kNoDay;
  parse_date(cell + "-01", d);
  return d == kNoDay ? 0 : month_index(d);
}
std::string rubles_tick(double v) {
  return ru_money_short(static_cast<Kopecks>(v * 100));
}
std::string count_tick(double v) {
  return ru_count(static_cast<int64_t>(v));
}
bool all_zero(const std::vector<ChartItem>& items) {
  return std::all_of(items.begin(), items.end(), [](const ChartItem& i) { return i.value == 0; });
}

// A chart with its caption; when every value is zero, `empty` in its place (no empty axes).
std::string figure(std::string_view caption, const std::vector<ChartItem>& items,
                   const std::string& svg,
                   std::string_view empty = "Нет данных для графика: все значения равны нулю.") {
  if (all_zero(items))
    return fmt::format("<figure><figcaption>{}</figcaption><p class=\"nochart\">{}</p></figure>\n",
                       html_escape(caption), html_escape(empty));
  return fmt::format("<figure><figcaption>{}</figcaption>\n{}</figure>\n", html_escape(caption),
                     svg);
}

// One bar per row of a grouped table (activity, branches, segments …): `patients` with the
// row's share or sum beside it.
std::vector<ChartItem> bars(const Table& t, std::string_view label_key, std::string_view extra,
                            std::string_view (*color)(std::string_view)) {
  std::vector<ChartItem> items;
  const size_t lc = col(t, label_key), pc = col(t, "patients"), ec = col(t, extra);
  for (const auto& row : t.rows) {
    ChartItem i;
    i.label = label_ru(label_key, row[lc]);
    i.value = static_cast<double>(count_of(row[pc]));
    const std::string x = ec < row.size() ? cell_ru(extra, row[ec]) : "";
    i.value_text =
        x.empty() ? ru_count(count_of(row[pc])) : ru_count(count_of(row[pc])) + " · " + x;
    i.title = fmt::format("{} — пациентов: {}", i.label, i.value_text);
    if (color) i.color = std::string(color(row[lc]));
    items.push_back(std::move(i));
  }
  return items;
}

// One item per month row: `key`'s value (money in rubles), labelled with the month.
std::vector<ChartItem> monthly(const Table& t, std::string_view key, std::string_view what) {
  std::vector<ChartItem> items;
  const size_t mc = col(t, "month"), vc = col(t, key);
  const bool money =
      key != "new_patients" && key != "patients" && key != "visits" && key != "referrals";
  // Up to a year of months each get a label; longer windows label quarters, half-years or
  // Januaries only (every k-th January beyond twelve years), and the year goes under the first
  // label and every January.
  const size_t n = t.rows.size();
  const int every = n <= 12   ? 1
                    : n <= 36 ? 3
                    : n <= 72 ? 6
                              : 12 * static_cast<int>((n + 143) / 144);
  bool labelled = false;
  for (size_t r = 0; r < n; ++r) {
    const auto& row = t.rows[r];
    const int m = month_of(row[mc]);
    ChartItem i;
    if (m % every == 0) {
      i.label = ru_month_abbr(m);
      if (!labelled || m % 12 == 0) i.sublabel = std::to_string(m / 12);
      labelled = true;
    }
    i.value = money ? static_cast<double>(money_of(row[vc])) / 100
                    : static_cast<double>(count_of(row[vc]));
    i.title = fmt::format("{}: {} {}", ru_month(m), what, cell_ru(key, row[vc]));
    items.push_back(std::move(i));
  }
  return items;
}

std::string_view activity_color(std::string_view v) {
  if (v == "prospect") return "#9aa5b1";
  if (v == "new") return kGreen;
  if (v == "active") return kBlue;
  if (v == "sleeping") return "#e0a030";
  return "#c8553d";
}
std::string_view segment_color(std::string_view v) {
  if (v == "champions" || v == "loyal" || v == "potential_loyalist") return kBlue;
  if (v == "new" || v == "promising") return kGreen;
  if (v == "need_attention" || v == "about_to_sleep") return "#e0a030";
  return "#c8553d";
}
std::string_view issue_color(std::string_view v) {
  return v == "pending" || v == "referrer_not_yet_patient" ? "#e0a030" : "#c8553d";
}

struct Section {
  std::string_view id, heading;
  std::string lead, charts, table, after;  // `after`: under the pair (wide tables)
};

// `layout`: the class of the chart-and-table row ("pair wide" gives the table more room).
std::string section_html(const Section& s, std::string_view layout = "pair") {
  std::string out = fmt::format("<section id=\"{}\">\n<h2>{}</h2>\n<p class=\"lead\">{}</p>\n",
                                s.id, html_escape(s.heading), html_escape(s.lead));
  if (s.charts.empty())
    out += "<div class=\"solo\">\n" + s.table + "</div>\n";
  else
    out += fmt::format("<div class=\"{}\">\n<div class=\"charts\">\n", layout) + s.charts +
           "</div>\n<div class=\"tablebox\">\n" + s.table + "</div>\n</div>\n";
  return out + s.after + "</section>\n";
}

std::string overview_cards(const Table& t) {
  if (t.rows.empty()) return {};
  const auto& r = t.rows[0];
  auto card = [](std::string_view value, std::string_view label) {
    return fmt::format(
        "<div class=\"card\"><div class=\"v\">{}</div><div class=\"k\">{}</div></div>\n",
        html_escape(value), html_escape(label));
  };
  std::string out = "<div class=\"cards\">\n";
  out += card(cell_ru("patients", r[col(t, "patients")]), "пациентов в базе");
  out += card(cell_ru("with_visits", r[col(t, "with_visits")]), "из них были на приёме");
  out += card(cell_ru("visits", r[col(t, "visits")]), "визитов за всё время");
  out += card(cell_ru("spent", r[col(t, "spent")]), "оплачено за всё время");
  return out + "</div>\n";
}

std::string overview_section(const ReportHeading& h, const Table& t) {
  Section s{"overview",
            "Обзор",
            "Вся база пациентов на дату отчёта: сколько их, сколько из них лечились, сколько "
            "визитов и оплат за всё время.",
            "",
            overview_cards(t) + table_html("overview", t),
            ""};
  const bool no_visits = t.rows.empty() || count_of(t.rows[0][col(t, "with_visits")]) == 0;
  if (no_visits)
    s.after = fmt::format(
        "<p class=\"notice\">В выгрузке визитов нет ни одного выполненного визита по {} "
        "включительно: графикам нечего показать, в таблицах ниже — нули.</p>\n",
        html_escape(ru_date(h.as_of)));
  return section_html(s);
}

std::string activity_section(const Table& t) {
  auto items = bars(t, "activity", "share", activity_color);
  return section_html(
      {"activity", "Активность пациентов",
       "Новые — первый визит менее 90 дней назад; активные — последний визит "
       "менее 180 дней назад; спящие — менее трёх лет назад; дальше — потерянные.",
       figure("Пациентов по активности", items, svg_hbars(items, "Пациентов по активности")),
       table_html("activity", t), ""});
}

std::string branches_section(const Table& t) {
  auto items = bars(t, "home_branch", "share", nullptr);
  return section_html(
      {"branches", "Филиалы", "Домашний филиал пациента — тот, где у него больше всего визитов.",
       figure("Пациентов по филиалам", items, svg_hbars(items, "Пациентов по филиалам")),
       table_html("branches", t), ""});
}

std::string months_section(const ReportHeading& h, const Table& t) {
  auto revenue = monthly(t, "revenue", "выручка");
  auto visits = monthly(t, "visits", "визитов");
  auto fresh = monthly(t, "new_patients", "новых пациентов");
  std::string charts =
      figure("Выручка по месяцам", revenue,
             svg_line(revenue, "Выручка по месяцам", rubles_tick, false, kBlue)) +
      figure("Визиты по месяцам", visits,
             svg_columns(visits, "Визиты по месяцам", count_tick, true, kPurple)) +
      figure("Новые пациенты по месяцам", fresh,
             svg_columns(fresh, "Новые пациенты по месяцам", count_tick, true, kGreen));
  return section_html(
      {"months", "По месяцам",
       fmt::format(
           "Помесячно, {} — {}: новые пациенты (первый визит в этом месяце), пациенты с визитом, "
           "визиты и выручка с учётом возвратов.",
           ru_month(h.window.first), ru_month(h.window.first + h.window.count - 1)),
       charts, table_html("months", t), ""});
}

std::string rfm_grid_section(const Table& t) {
  std::array<std::array<HeatCell, 5>, 5> cells;
  std::vector<ChartItem> values;
  for (size_t k = 0; k < t.rows.size() && k < 25; ++k) {
    const auto& row = t.rows[k];
    HeatCell& c = cells[k / 5][k % 5];
    c.value = static_cast<double>(count_of(row[2]));
    c.text = ru_count(count_of(row[2]));
    c.title = fmt::format("R {}, F {}: пациентов {}", row[0], row[1], c.text);
    values.push_back({"", "", "", c.value, "", ""});
  }
  std::string svg = svg_heatmap(
      cells, {"R 5", "R 4", "R 3", "R 2", "R 1"}, {"F 1", "F 2", "F 3", "F 4", "F 5"},
      "Давность (R): 5 — были недавно", "Частота (F): 5 — ходят чаще всех", "Пациенты по R и F");
  return section_html(
      {"rfm_grid", "RFM: давность и частота",
       "Пациенты с визитами по давности последнего визита (R) и числу визитов (F): 5 — лучшая "
       "пятая часть базы, 1 — худшая. Правый верхний угол — самые ценные, левый нижний — ушедшие.",
       figure("Пациенты по R и F", values, svg, "Пациентов с визитами нет."),
       table_html("rfm_grid", t), ""});
}

std::string rfm_section(const Table& t) {
  auto items = bars(t, "segment", "share", segment_color);
  Section s{"rfm",
            "RFM-сегменты",
            "Сегменты по давности и частоте визитов: кого беречь, кого возвращать.",
            figure("Пациентов по сегментам", items, svg_hbars(items, "Пациентов по RFM-сегментам"),
                   "Пациентов с визитами нет."),
            table_html("rfm", t),
            ""};
  return section_html(s, "pair wide");
}

std::string sleeping_section(const ReportHeading& h, const Table& t) {
  auto items = bars(t, "bucket", "spent", nullptr);
  for (auto& i : items) i.color = std::string(kOrange);
  return section_html(
      {"sleeping", "Спящие пациенты",
       fmt::format("Не были от {} до {} дней и не записаны на приём: кого будить. Сумма — сколько "
                   "они оплатили за всё время.",
                   h.after, std::max<int64_t>(h.after, h.lost_after - 1)),
       figure("Спящих по давности визита", items, svg_hbars(items, "Спящих по давности визита"),
              "Спящих пациентов нет."),
       table_html("sleeping", t), ""});
}

std::string referrals_section(const Table& t) {
  auto items = monthly(t, "referrals", "рекомендаций");
  return section_html(
      {"referrals", "Рекомендации по месяцам",
       "Засчитанные рекомендации (новый пациент оплатил первый визит) и вознаграждения по ним: "
       "рекомендателю на телефон и на внутренний счёт, новому пациенту — скидка.",
       figure("Рекомендации по месяцам", items,
              svg_columns(items, "Рекомендации по месяцам", count_tick, true, kGreen),
              "За эти месяцы засчитанных рекомендаций нет."),
       table_html("referrals", t), ""});
}

std::string audit_section(const Table& t) {
  std::vector<ChartItem> items;
  for (const auto& row : t.rows) {
    ChartItem i;
    i.label = label_ru("issue", row[0]);
    i.value = static_cast<double>(count_of(row[1]));
    i.value_text = ru_count(count_of(row[1]));
    i.title = fmt::format("{}: {}", i.label, i.value_text);
    i.color = std::string(issue_color(row[0]));
    items.push_back(std::move(i));
  }
  return section_html({"referral_audit", "Проверка рекомендаций",
                       "Замечания к рекомендациям за всё время: что проверить главному врачу.",
                       figure("Замечаний по видам", items,
                              svg_hbars(items, "Замечания к рекомендациям"), "Замечаний нет."),
                       table_html("referral_audit", t), ""});
}

std::string ledger_section(const Table& t) {
  auto outstanding = monthly(t, "outstanding", "остаток");
  auto issued = monthly(t, "issued", "начислено");
  std::string charts =
      t.rows.empty()
          ? std::string(
                "<p class=\"nochart\">Бонусный счёт пуст: ни одного начисления или "
                "списания.</p>\n")
          : figure("Остаток бонусов на конец месяца — обязательства клиники", outstanding,
                   svg_line(outstanding, "Остаток бонусов на конец месяца", rubles_tick, false,
                            kOrange)) +
                figure("Начислено бонусов", issued,
                       svg_columns(issued, "Начислено бонусов", rubles_tick, false, kBlue));
  return section_html({"ledger", "Бонусный счёт",
                       "Начислено, списано, сгорело и остаток на конец месяца — сколько клиника "
                       "должна пациентам бонусами.",
                       charts, table_html("ledger", t), ""},
                      "pair wide");
}

std::string tiers_section(const Table& t) {
  auto items = bars(t, "discount_pct", "", nullptr);
  return section_html({"tiers", "Скидки по сумме оплат",
                       "Сколько пациентов дошли до каждой ступени накопительной скидки.",
                       figure("Пациентов по ступеням скидки", items,
                              svg_hbars(items, "Пациентов по ступеням скидки")),
                       table_html("tiers", t), ""});
}

std::string nav_html() {
  std::string nav = "<nav class=\"toc\">";
  for (auto [id, name] : {std::pair{"overview", "Обзор"},
                          {"activity", "Активность"},
                          {"branches", "Филиалы"},
                          {"months", "По месяцам"},
                          {"rfm_grid", "RFM"},
                          {"rfm", "Сегменты"},
                          {"sleeping", "Спящие"},
                          {"referrals", "Рекомендации"},
                          {"referral_audit", "Проверка"},
                          {"ledger", "Бонусы"},
                          {"tiers", "Скидки"}})
    nav += fmt::format("<a href=\"#{}\">{}</a>", id, name);
  return nav + "</nav>\n";
}

}  // namespace

std::string report_html(const ReportHeading& h, const ReportTables& t) {
  const std::string body =
      overview_section(h, t.overview) + activity_section(t.activity) +
      branches_section(t.branches) + months_section(h, t.months) + rfm_grid_section(t.rfm_grid) +
      rfm_section(t.rfm) + sleeping_section(h, t.sleeping) + referrals_section(t.referrals) +
      audit_section(t.referral_audit) + ledger_section(t.ledger) + tiers_section(t.tiers);
  return fmt::format(
      "<!doctype html>\n<html lang=\"ru\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<title>{0}</title>\n<style>\n{1}</style>\n</head>\n<body>\n"
      "<header class=\"page\"><div class=\"inner\">\n<h1>{0}</h1>\n"
      "<p class=\"sub\">Данные на {2} · помесячные таблицы: {3} — {4}</p>\n{5}</div></header>\n"
      "<main>\n{6}</main>\n<footer>Сформировано kartoteka {7} по выгрузкам пациентов и визитов на "
      "{2}. В отчёте нет имён, телефонов и номеров карт — только количества и суммы. Точные "
      "значения каждой таблицы — в атрибутах data-value (как в csv).</footer>\n</body>\n</html>\n",
      html_escape(h.title), kReportCss, html_escape(ru_date(h.as_of)),
      html_escape(ru_month(h.window.first)),
      html_escape(ru_month(h.window.first + h.window.count - 1)), nav_html(), body,
      html_escape(h.version));
}

}  // namespace kartoteka
