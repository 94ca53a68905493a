// Numbers, money, dates and months as a Russian reader expects them on the report page
// (SPEC §6.7): `1 234 567,50 ₽`, `42,9 %`, `ноябрь 2026`, `14 марта 2021`. Display
// only: the machine-readable values beside them stay exactly as csv prints them (§3).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "model/date.h"
#include "model/money.h"

namespace kartoteka {

// A month as an index: year × 12 + month − 1 (so consecutive months differ by one).
int month_index(Day d);
int month_index(int year, int month);
// `YYYY-MM`, as csv prints a month (§6.7).
std::string month_label(int index);

// 1234567 → "1 234 567" (groups of three digits separated by a space; minus sign U+2212).
std::string ru_count(int64_t n);
// 123456750 kopecks → "1 234 567,50 ₽".
std::string ru_money(Kopecks k);
// A compact amount for chart axes: "0 ₽", "850 ₽", "12 тыс. ₽", "1,2 млн ₽".
std::string ru_money_short(Kopecks k);
// A csv decimal ("42.9", "1.25", "-3.5") with a decimal comma; anything else unchanged.
std::string ru_decimal(std::string_view csv);
// A csv percentage value ("42.9", "7.5", "5") → "42,9 %".
std::string ru_percent(std::string_view csv);
// Month index → "ноябрь 2026"; short form "ноя 2026"; the month's name alone: "ноя".
std::string ru_month(int index);
std::string ru_month_abbr(int index);
// Day → "14 марта 2021"; kNoDay → "".
std::string ru_date(Day d);

}  // namespace kartoteka
