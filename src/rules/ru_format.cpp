#include "rules/ru_format.h"

#include <fmt/format.h>

#include <array>

namespace kartoteka {
namespace {

constexpr std::array<std::string_view, 12> kMonths = {"январь",   "февраль", "март",   "апрель",
                                                      "май",      "июнь",    "июль",   "август",
                                                      "сентябрь", "октябрь", "ноябрь", "декабрь"};
constexpr std::array<std::string_view, 12> kMonthsOf = {"января",   "февраля", "марта",  "апреля",
                                                        "мая",      "июня",    "июля",   "августа",
                                                        "сентября", "октября", "ноября", "декабря"};
constexpr std::array<std::string_view, 12> kMonthsAbbr = {"янв", "фев", "мар", "апр", "май", "июн",
                                                          "июл", "авг", "сен", "окт", "ноя", "дек"};
constexpr std::string_view kMinus = "\u2212";

// A string of digits in groups of three: "1234567" → "1 234 567".
std::string group_digits(std::string_view digits) {
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ' ';
    out += digits[i];
  }
  return out;
}

std::string grouped(uint64_t n) {
  return group_digits(std::to_string(n));
}

uint64_t magnitude(int64_t v) {
  return v < 0 ? uint64_t{0} - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
}

int floor_div(int a, int b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

}  // namespace

int month_index(int year, int month) {
  return year * 12 + month - 1;
}

int month_index(Day d) {
  const Ymd ymd = ymd_from_days(d);
  return month_index(ymd.year, ymd.month);
}

std::string month_label(int index) {
  return fmt::format("{:04}-{:02}", floor_div(index, 12), index - floor_div(index, 12) * 12 + 1);
}

std::string ru_count(int64_t n) {
  return (n < 0 ? std::string(kMinus) : std::string()) + grouped(magnitude(n));
}

std::string ru_money(Kopecks k) {
  const uint64_t m = magnitude(k);
  return fmt::format("{}{},{:02} ₽", k < 0 ? kMinus : "", grouped(m / 100), m % 100);
}

std::string ru_money_short(Kopecks k) {
  const uint64_t rub = magnitude(k) / 100;
  const std::string_view sign = k < 0 ? kMinus : "";
  // One decimal below ten units of a scale (1,2 млн), none above (12 млн).
  auto scaled = [&](uint64_t unit, std::string_view name) {
    const uint64_t tenths = (rub * 10 + unit / 2) / unit;
    if (tenths < 100 && tenths % 10 != 0)
      return fmt::format("{}{},{} {} ₽", sign, tenths / 10, tenths % 10, name);
    return fmt::format("{}{} {} ₽", sign, grouped((tenths + 5) / 10), name);
  };
  if (rub >= 1'000'000'000) return scaled(1'000'000'000, "млрд");
  if (rub >= 1'000'000) return scaled(1'000'000, "млн");
  if (rub >= 10'000) return scaled(1'000, "тыс.");
  return fmt::format("{}{} ₽", sign, grouped(rub));
}

std::string ru_decimal(std::string_view csv) {
  const bool negative = !csv.empty() && csv[0] == '-';
  const std::string_view body = negative ? csv.substr(1) : csv;
  const size_t dot = body.find('.');
  const std::string_view whole = body.substr(0, dot);
  const std::string_view frac = dot == std::string_view::npos ? "" : body.substr(dot + 1);
  auto digits = [](std::string_view t) { return t.find_first_not_of("0123456789") == t.npos; };
  if (whole.empty() || !digits(whole) || !digits(frac)) return std::string(csv);
  std::string out = negative ? std::string(kMinus) : std::string();
  out += group_digits(whole);
  if (dot != std::string_view::npos) out.append(",").append(frac);
  return out;
}

std::string ru_percent(std::string_view csv) {
  return ru_decimal(csv) + " %";
}

std::string ru_month(int index) {
  return fmt::format("{} {}", kMonths[static_cast<size_t>(index - floor_div(index, 12) * 12)],
                     floor_div(index, 12));
}

std::string ru_month_abbr(int index) {
  return std::string(kMonthsAbbr[static_cast<size_t>(index - floor_div(index, 12) * 12)]);
}

std::string ru_date(Day d) {
  if (d == kNoDay) return {};
  const Ymd ymd = ymd_from_days(d);
  return fmt::format("{} {} {}", ymd.day, kMonthsOf[static_cast<size_t>(ymd.month - 1)], ymd.year);
}

}  // namespace kartoteka
