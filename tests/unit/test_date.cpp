#include <doctest/doctest.h>

#include "model/date.h"

using namespace kartoteka;

namespace {

Day ymd(int y, int m, int d) {
  return days_from_ymd(y, m, d);
}

// parse_date that must succeed; returns the day.
Day parsed(std::string_view cell) {
  Day d = 12345;
  REQUIRE_MESSAGE(parse_date(cell, d), cell);
  return d;
}

bool bad(std::string_view cell) {
  Day d;
  return !parse_date(cell, d);
}

}  // namespace

TEST_CASE("days_from_ymd and ymd_from_days") {
  CHECK(ymd(1970, 1, 1) == 0);
  CHECK(ymd(1969, 12, 31) == -1);
  // 54 years × 365 + 13 leap days (1972…2020) = 19723.
  CHECK(ymd(2024, 1, 1) == 19723);
  // 2000-01-01 = 30 × 365 + 7 leap days (1972…1996) = 10957; + Jan 31 + Feb 29 (2000 is leap).
  CHECK(ymd(2000, 3, 1) == 11017);
  // 0000-03-01 is day −719468 (the shift in Hinnant's algorithm); 0001-01-01 is 306 days later.
  CHECK(ymd(1, 1, 1) == -719162);

  for (Day d : {-719162, -1, 0, 59, 60, 11016, 11017, 19723, 2932896}) {
    Ymd v = ymd_from_days(d);
    CHECK(ymd(v.year, v.month, v.day) == d);
  }
  Ymd v = ymd_from_days(ymd(2024, 2, 29));
  CHECK(v.year == 2024);
  CHECK(v.month == 2);
  CHECK(v.day == 29);
  // Every day over several centuries round-trips and is consecutive.
  Day prev = ymd(1899, 12, 31);
  for (int y = 1900; y <= 2100; ++y)
    for (int m = 1; m <= 12; ++m)
      for (int d = 1; d <= days_in_month(y, m); ++d) {
        Day day = ymd(y, m, d);
        REQUIRE(day == prev + 1);
        prev = day;
      }
}

TEST_CASE("leap years and month lengths") {
  CHECK(is_leap(2024));
  CHECK(is_leap(2000));
  CHECK_FALSE(is_leap(1900));
  CHECK_FALSE(is_leap(2023));
  CHECK_FALSE(is_leap(2100));
  CHECK(days_in_month(2024, 2) == 29);
  CHECK(days_in_month(2023, 2) == 28);
  CHECK(days_in_month(1900, 2) == 28);
  CHECK(days_in_month(2024, 4) == 30);
  CHECK(days_in_month(2024, 12) == 31);
  CHECK(is_valid_ymd(2024, 2, 29));
  CHECK_FALSE(is_valid_ymd(2023, 2, 29));
  CHECK_FALSE(is_valid_ymd(2024, 2, 31));
  CHECK_FALSE(is_valid_ymd(2024, 13, 1));
  CHECK_FALSE(is_valid_ymd(2024, 0, 1));
  CHECK_FALSE(is_valid_ymd(2024, 4, 31));
  CHECK_FALSE(is_valid_ymd(2024, 1, 0));
}

TEST_CASE("parse_date: accepted forms") {
  CHECK(parsed("2024-03-15") == ymd(2024, 3, 15));
  CHECK(parsed("15.03.2024") == ymd(2024, 3, 15));
  CHECK(parsed("1.2.2026") == ymd(2026, 2, 1));
  CHECK(parsed("01.2.2026") == ymd(2026, 2, 1));
  CHECK(parsed("1.02.2026") == ymd(2026, 2, 1));
  CHECK(parsed("29.02.2024") == ymd(2024, 2, 29));
  CHECK(parsed("2000-02-29") == ymd(2000, 2, 29));
  CHECK(parsed("1969-07-20") == -165);  // 165 days before 1970: Jul 20 … Dec 31 1969
}

TEST_CASE("parse_date: time parts are accepted and ignored") {
  Day d = ymd(2024, 3, 15);
  CHECK(parsed("15.03.2024 10:30") == d);
  CHECK(parsed("15.03.2024 9:05") == d);
  CHECK(parsed("15.03.2024 9:05:07") == d);
  CHECK(parsed("15.03.2024 10:30:59") == d);
  CHECK(parsed("15.03.2024   10:30") == d);  // one or more spaces
  CHECK(parsed("2024-03-15 00:00:00") == d);
  CHECK(parsed("2024-03-15T10:30") == d);
  CHECK(parsed("2024-03-15T10:30:00") == d);
  CHECK(parsed("2024-03-15T10:30:00.123") == d);
  CHECK(parsed("2024-03-15T10:30:00Z") == d);
  CHECK(parsed("2024-03-15T10:30:00.5Z") == d);
  CHECK(parsed("2024-03-15T10:30+03:00") == d);
  CHECK(parsed("2024-03-15T10:30:00+03") == d);
  CHECK(parsed("2024-03-15T23:59:59-05:30") == d);
  CHECK(parsed("15.03.2024T10:30") == d);  // T after the dotted form too
  // The written date is used, no zone conversion: 23:30-05:00 is still the 15th.
  CHECK(parsed("2024-03-15T23:30:00-05:00") == d);
}

TEST_CASE("parse_date: missing values") {
  CHECK(parsed("") == kNoDay);
  CHECK(parsed("01.01.0001") == kNoDay);
  CHECK(parsed("0001-01-01") == kNoDay);
  CHECK(parsed("1.1.0001") == kNoDay);
  CHECK(parsed("01.01.0001 0:00:00") == kNoDay);
  CHECK(parsed("0001-01-01T00:00:00") == kNoDay);
  CHECK(parsed("0001-01-01 00:00") == kNoDay);
}

TEST_CASE("parse_date: bad values") {
  CHECK(bad("31.02.2024"));
  CHECK(bad("29.02.2023"));
  CHECK(bad("2023-02-29"));
  CHECK(bad("31.04.2024"));
  CHECK(bad("32.01.2024"));
  CHECK(bad("00.01.2024"));
  CHECK(bad("15.13.2024"));
  CHECK(bad("15.00.2024"));
  CHECK(bad("2024-13-01"));
  CHECK(bad("2024-00-10"));
  CHECK(bad("15.03.24"));  // year has four digits
  CHECK(bad("15.03.02024"));
  CHECK(bad("24-03-15"));
  CHECK(bad("2024-3-15"));  // ISO form keeps two-digit month/day
  CHECK(bad("2024-03-5"));
  CHECK(bad("123.03.2024"));
  CHECK(bad("15/03/2024"));
  CHECK(bad("2024.03.15"));
  CHECK(bad("15.03.2024."));
  CHECK(bad("15.03.2024x"));
  CHECK(bad("abc"));
  CHECK(bad("0000-01-01"));
  CHECK(bad("02.01.0000"));
  // Times.
  CHECK(bad("15.03.2024 24:00"));
  CHECK(bad("15.03.2024 10:60"));
  CHECK(bad("15.03.2024 10:30:60"));
  CHECK(bad("15.03.2024 10"));
  CHECK(bad("15.03.2024 10:3"));
  CHECK(bad("15.03.2024 10:30:5"));
  CHECK(bad("15.03.2024 100:30"));
  CHECK(bad("15.03.2024 10:30:00 "));  // the cell is trimmed beforehand; a space here is junk
  CHECK(bad("15.03.2024 "));
  CHECK(bad("15.03.2024\t10:30"));
  CHECK(bad("15.03.202410:30"));
  CHECK(bad("2024-03-15T"));
  CHECK(bad("2024-03-15 T10:30"));
  CHECK(bad("2024-03-15TT10:30"));
  CHECK(bad("2024-03-15T10:30:00."));
  CHECK(bad("2024-03-15T10:30:00Zx"));
  CHECK(bad("2024-03-15T10:30+3"));
  CHECK(bad("2024-03-15T10:30+03:0"));
  CHECK(bad("2024-03-15T10:30+0300"));
  CHECK(bad("2024-03-15T10:30+24:00"));
  CHECK(bad("2024-03-15T10:30 +03:00"));
  CHECK(bad("15.03.2024 10:30am"));
  // Fractions and zones belong to the two-digit-hour ISO form only.
  CHECK(bad("15.03.2024 9:05:00.5"));
  CHECK(bad("15.03.2024 9:05Z"));
  // An impossible 1C-like date with a bad time is still bad.
  CHECK(bad("01.01.0001 25:00"));
}

TEST_CASE("parse_date_option") {
  Day d = 0;
  CHECK(parse_date_option("2024-03-15", d));
  CHECK(d == ymd(2024, 3, 15));
  CHECK(parse_date_option("15.03.2024", d));
  CHECK(d == ymd(2024, 3, 15));
  CHECK(parse_date_option("1.2.2026", d));
  CHECK(d == ymd(2026, 2, 1));
  CHECK(parse_date_option("29.02.2024", d));
  CHECK_FALSE(parse_date_option("", d));
  CHECK_FALSE(parse_date_option("29.02.2023", d));
  CHECK_FALSE(parse_date_option("31.02.2024", d));
  CHECK_FALSE(parse_date_option("2024-03-15 10:00", d));
  CHECK_FALSE(parse_date_option("2024-03-15T10:00", d));
  CHECK_FALSE(parse_date_option("15.03.24", d));
  CHECK_FALSE(parse_date_option(" 2024-03-15", d));
  CHECK_FALSE(parse_date_option("today", d));
}

TEST_CASE("format_date") {
  CHECK(format_date(0) == "1970-01-01");
  CHECK(format_date(-1) == "1969-12-31");
  CHECK(format_date(19723) == "2024-01-01");
  CHECK(format_date(ymd(2024, 2, 29)) == "2024-02-29");
  CHECK(format_date(ymd(1, 1, 1)) == "0001-01-01");
  CHECK(format_date(ymd(9999, 12, 31)) == "9999-12-31");
  CHECK(format_date(kNoDay) == "");
}

TEST_CASE("today_local is a plausible day") {
  Day t = today_local();
  CHECK(t > ymd(2020, 1, 1));
  CHECK(t < ymd(2200, 1, 1));
}

TEST_CASE("age_in_years") {
  Day birth = ymd(1990, 6, 15);
  CHECK(age_in_years(birth, ymd(2024, 6, 14)) == 33);
  CHECK(age_in_years(birth, ymd(2024, 6, 15)) == 34);
  CHECK(age_in_years(birth, ymd(2024, 6, 16)) == 34);
  CHECK(age_in_years(birth, ymd(2024, 1, 1)) == 33);
  CHECK(age_in_years(birth, ymd(2024, 12, 31)) == 34);
  CHECK(age_in_years(birth, birth) == 0);
  CHECK(age_in_years(ymd(2023, 12, 31), ymd(2024, 1, 1)) == 0);

  // 29 February birthdays count on 28 February in non-leap years.
  Day leapling = ymd(2000, 2, 29);
  CHECK(age_in_years(leapling, ymd(2023, 2, 27)) == 22);
  CHECK(age_in_years(leapling, ymd(2023, 2, 28)) == 23);
  CHECK(age_in_years(leapling, ymd(2023, 3, 1)) == 23);
  CHECK(age_in_years(leapling, ymd(2024, 2, 28)) == 23);  // leap year: birthday is the 29th
  CHECK(age_in_years(leapling, ymd(2024, 2, 29)) == 24);
  CHECK(age_in_years(leapling, ymd(2100, 2, 28)) == 100);  // 2100 is not leap
  // A 28 February birthday is not moved.
  CHECK(age_in_years(ymd(2000, 2, 28), ymd(2024, 2, 28)) == 24);
  CHECK(age_in_years(ymd(2000, 2, 28), ymd(2024, 2, 27)) == 23);
  CHECK(age_in_years(ymd(2000, 3, 1), ymd(2024, 2, 29)) == 23);
}

TEST_CASE("days_to_birthday") {
  Day birth = ymd(1990, 6, 15);
  CHECK(days_to_birthday(birth, ymd(2024, 6, 15)) == 0);
  CHECK(days_to_birthday(birth, ymd(2024, 6, 14)) == 1);
  CHECK(days_to_birthday(birth, ymd(2024, 6, 1)) == 14);
  // Next one is 2025-06-15: 365 days after 2024-06-15 (no 29 Feb in between), minus one.
  CHECK(days_to_birthday(birth, ymd(2024, 6, 16)) == 364);
  // Jan 1 → Dec 31 of the same year: 2024 is leap, 365 days; 2023: 364.
  CHECK(days_to_birthday(ymd(1990, 12, 31), ymd(2024, 1, 1)) == 365);
  CHECK(days_to_birthday(ymd(1990, 12, 31), ymd(2023, 1, 1)) == 364);
  CHECK(days_to_birthday(ymd(1990, 1, 1), ymd(2023, 12, 31)) == 1);
  // 2023-03-01 → 2024-03-01 is 366 days (crosses 29 Feb 2024), so from 03-02 it is 365: the
  // maximum.
  CHECK(days_to_birthday(ymd(1990, 3, 1), ymd(2023, 3, 2)) == 365);

  Day leapling = ymd(2000, 2, 29);
  CHECK(days_to_birthday(leapling, ymd(2024, 2, 29)) == 0);
  CHECK(days_to_birthday(leapling, ymd(2024, 2, 28)) == 1);
  CHECK(days_to_birthday(leapling, ymd(2023, 2, 28)) == 0);  // non-leap: celebrated on the 28th
  CHECK(days_to_birthday(leapling, ymd(2023, 2, 27)) == 1);
  // 2023-03-01 → 2024-02-29: Mar..Dec 2023 = 306 days to Jan 1, + 31 + 28 = 365.
  CHECK(days_to_birthday(leapling, ymd(2023, 3, 1)) == 365);
  // 2024-03-01 → 2025-02-28: 306 + 31 + 27 = 364.
  CHECK(days_to_birthday(leapling, ymd(2024, 3, 1)) == 364);
  // 2099-03-01 → 2100-02-28 (2100 not leap): 364.
  CHECK(days_to_birthday(leapling, ymd(2099, 3, 1)) == 364);
  // A birth date in the future still gives the next anniversary.
  CHECK(days_to_birthday(ymd(2030, 6, 15), ymd(2024, 6, 10)) == 5);

  // Always within 0..365 across two whole years for a few birthdays.
  for (Day b : {leapling, birth, ymd(1990, 1, 1), ymd(1990, 12, 31), ymd(1990, 2, 28)})
    for (Day d = ymd(2023, 1, 1); d <= ymd(2024, 12, 31); ++d) {
      int n = days_to_birthday(b, d);
      REQUIRE(n >= 0);
      REQUIRE(n <= 365);
    }
}

namespace {

// Howard Hinnant's days_from_civil (http://howardhinnant.github.io/date_algorithms.html), the
// hand-written arithmetic model/date.cpp used before <chrono>: an independent oracle now.
Day hinnant_days(int year, int month, int day) {
  int y = year - (month <= 2);
  int era = (y >= 0 ? y : y - 399) / 400;
  int yoe = y - era * 400;
  int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

}  // namespace

TEST_CASE("the <chrono> calendar agrees with Hinnant's arithmetic over years 1..9999") {
  for (int y = 1; y <= 9999; y += (y < 2200 ? 1 : 37))
    for (int m = 1; m <= 12; ++m) {
      const int last = m == 2 ? (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) ? 29 : 28)
                       : (m == 4 || m == 6 || m == 9 || m == 11) ? 30
                                                                 : 31;
      REQUIRE(days_in_month(y, m) == last);
      for (int d : {1, 15, last}) {
        const Day day = hinnant_days(y, m, d);
        REQUIRE(days_from_ymd(y, m, d) == day);
        const Ymd back = ymd_from_days(day);
        REQUIRE((back.year == y && back.month == m && back.day == d));
      }
    }
  // A day past the month's end counts on (the contract days_from_ymd keeps from the arithmetic).
  CHECK(days_from_ymd(2024, 2, 30) == days_from_ymd(2024, 3, 1));
  CHECK(days_from_ymd(2023, 3, 0) == days_from_ymd(2023, 2, 28));
  // chrono::month and chrono::day hold a byte: 256 + 1 must not pass as 1.
  CHECK_FALSE(is_valid_ymd(2024, 257, 1));
  CHECK_FALSE(is_valid_ymd(2024, 1, 257));
  CHECK_FALSE(is_valid_ymd(2024, -11, 1));
  CHECK_FALSE(is_valid_ymd(0, 1, 1));
  CHECK_FALSE(is_valid_ymd(10000, 1, 1));
  CHECK(is_valid_ymd(9999, 12, 31));
  CHECK(is_valid_ymd(1, 1, 1));
}

TEST_CASE("first_day_of_month: month indexes across years, year 0 and before") {
  CHECK(first_day_of_month(2026 * 12 + 10) == days_from_ymd(2026, 11, 1));
  CHECK(first_day_of_month(2026 * 12 + 11) == days_from_ymd(2026, 12, 1));
  CHECK(first_day_of_month(2027 * 12) == days_from_ymd(2027, 1, 1));
  CHECK(first_day_of_month(1970 * 12) == 0);
  // Index 0 is January of year 0; -1 is December of year -1 (floor, not truncation).
  CHECK(first_day_of_month(0) == hinnant_days(0, 1, 1));
  CHECK(first_day_of_month(-1) == hinnant_days(-1, 12, 1));
  CHECK(first_day_of_month(-13) == hinnant_days(-2, 12, 1));
}
