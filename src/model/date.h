// Calendar dates as day numbers. Parsing happens once at the edge; rules see only Day values.
#pragma once
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace kartoteka {

// Days since 1970-01-01 in the proleptic Gregorian calendar (may be negative).
using Day = int32_t;
// A missing date (empty cell, 1C's 01.01.0001).
inline constexpr Day kNoDay = std::numeric_limits<int32_t>::min();

struct Ymd {
  int year, month, day;
};

// Not validated: month must be 1..12; a day past the month's end (or 0) counts on from its first.
Day days_from_ymd(int year, int month, int day);
Ymd ymd_from_days(Day d);
bool is_valid_ymd(int year, int month, int day);
int days_in_month(int year, int month);
bool is_leap(int year);

// Parses a date cell (SPEC §2.4, §8.9): `YYYY-MM-DD` or `D.M.YYYY` (day and month 1–2 digits,
// year 4), optionally followed by a time after one or more spaces or `T`: `H:MM`, `H:MM:SS`,
// `HH:MM[:SS[.fff]][Z|±HH[:MM]]` (the written date is used; hour>23, minute>59, second>59 are bad).
// The cell must already be trimmed. Returns false for a bad value. On success `out` is the day, or
// kNoDay for an empty cell, `01.01.0001` or `0001-01-01` (also with a time).
bool parse_date(std::string_view cell, Day& out);

// Parses a date given on the command line or in a --where value: `YYYY-MM-DD` or `DD.MM.YYYY`
// (one-digit day/month accepted), no time part. Returns false when not a valid date.
bool parse_date_option(std::string_view text, Day& out);

// `YYYY-MM-DD`; empty string for kNoDay.
std::string format_date(Day d);
// The same text appended to `out` (reused output cells: no temporary string).
void append_date(std::string& out, Day d);

// The first day of a month given as a month index: months since January of year 0, so that
// consecutive months differ by one across years (2026-11 is 2026 * 12 + 10).
Day first_day_of_month(int month_index);

// Today in local time.
Day today_local();

// Full years between birth and as_of (29 February birthdays count on 28 February in
// non-leap years), as SPEC's `age`.
int age_in_years(Day birth, Day as_of);

// Days from as_of to the next birthday: 0 = today … 365. 29 February counts as 28 February
// in non-leap years.
int days_to_birthday(Day birth, Day as_of);

}  // namespace kartoteka
