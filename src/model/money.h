// Money is exact: int64 kopecks. Never floating point.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace kartoteka {

using Kopecks = int64_t;

// Parses a money cell (SPEC §2.4, §8.8): optional sign; digits, or a group of 1–3 digits followed
// by groups of exactly 3 separated by one space, NBSP (U+00A0) or narrow NBSP (U+202F);
// optionally `,` or `.` and 1–2 digits; optionally (after spaces) `₽` `р.` `руб.` `руб` in
// any case. Input is UTF-8, already trimmed of spaces/tabs. Empty = 0. Returns false for a bad
// value
// (`12 34`, `,50`, `5,`, `1.234,50`, `1,234`) and on int64 overflow.
bool parse_money(std::string_view cell, Kopecks& out);

// `-?digits.dd`: 123450 → "1234.50", -5 → "-0.05".
std::string format_money(Kopecks k);
// The same text appended to `out` (reused output cells: no temporary string).
void append_money(std::string& out, Kopecks k);

// Whole rubles without kopecks ("100"), else "150.50" (SMS texts, SPEC §8.28).
std::string format_money_short(Kopecks k);

// a / b rounded half away from zero (b > 0). Used for averages of kopecks and shares.
int64_t div_round_half_away(int64_t a, int64_t b);

}  // namespace kartoteka
