#include "model/date.h"

#include <fmt/compile.h>
#include <fmt/format.h>

#include <chrono>
#include <ctime>
#include <iterator>

#include "model/text.h"

namespace kartoteka {

// The calendar is <chrono>'s (libstdc++ 12 converts with Neri and Schneider's algorithms: a few
// multiplications, no table, no branch on the era), so these are thin, inlinable wrappers; the
// per-row date parser below calls is_valid_ymd and days_from_ymd for every visit row.
namespace chr = std::chrono;

namespace {

constexpr chr::year_month_day to_ymd(int year, int month, int day) {
  return {chr::year{year}, chr::month{static_cast<unsigned>(month)},
          chr::day{static_cast<unsigned>(day)}};
}

}  // namespace

// A day outside its month counts on from the month's first (sys_days is defined for any day once
// the year and month are valid): days_from_ymd(2024, 2, 30) is 1 March.
Day days_from_ymd(int year, int month, int day) {
  return chr::sys_days{to_ymd(year, month, day)}.time_since_epoch().count();
}

Ymd ymd_from_days(Day d) {
  const chr::year_month_day v{chr::sys_days{chr::days{d}}};
  return {static_cast<int>(v.year()), static_cast<int>(static_cast<unsigned>(v.month())),
          static_cast<int>(static_cast<unsigned>(v.day()))};
}

bool is_leap(int year) {
  return chr::year{year}.is_leap();
}

int days_in_month(int year, int month) {
  if (month < 1 || month > 12) return 0;
  const chr::year_month_day_last last{
      chr::year{year}, chr::month_day_last{chr::month{static_cast<unsigned>(month)}}};
  return static_cast<int>(static_cast<unsigned>(last.day()));
}

// Four-digit years only, so 1..9999; year 0 never appears in real exports. The ranges are checked
// before chrono sees the values: chrono::month and chrono::day keep only a byte.
bool is_valid_ymd(int year, int month, int day) {
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= 31 &&
         to_ymd(year, month, day).ok();
}

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Reads between min and max digits at s[pos]; advances pos.
bool read_num(std::string_view s, size_t& pos, int min, int max, int& value) {
  int n = 0;
  value = 0;
  while (pos < s.size() && is_digit(s[pos]) && n < max) {
    value = value * 10 + (s[pos] - '0');
    ++pos, ++n;
  }
  // A digit left over means the field was too long (e.g. a 5-digit year).
  return n >= min && !(pos < s.size() && is_digit(s[pos]));
}

bool expect(std::string_view s, size_t& pos, char c) {
  if (pos < s.size() && s[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

// The date part only: `YYYY-MM-DD` (two-digit month/day) or `D.M.YYYY` (1–2 digit day/month).
// Leaves pos after the date.
bool parse_ymd(std::string_view s, size_t& pos, Ymd& out) {
  size_t start = pos;
  int a;
  if (read_num(s, pos, 4, 4, a) && expect(s, pos, '-')) {
    out.year = a;
    return read_num(s, pos, 2, 2, out.month) && expect(s, pos, '-') &&
           read_num(s, pos, 2, 2, out.day);
  }
  pos = start;
  return read_num(s, pos, 1, 2, out.day) && expect(s, pos, '.') &&
         read_num(s, pos, 1, 2, out.month) && expect(s, pos, '.') &&
         read_num(s, pos, 4, 4, out.year);
}

// The time after the separator, to the end of s: `H:MM`, `H:MM:SS`,
// `HH:MM[:SS[.fff]][Z|±HH[:MM]]`. Only validated; the date is taken as written.
bool parse_time(std::string_view s, size_t pos) {
  size_t hour_start = pos;
  int h, m, sec;
  if (!read_num(s, pos, 1, 2, h) || h > 23) return false;
  bool two_digit_hour = pos - hour_start == 2;
  if (!expect(s, pos, ':') || !read_num(s, pos, 2, 2, m) || m > 59) return false;
  if (expect(s, pos, ':')) {
    if (!read_num(s, pos, 2, 2, sec) || sec > 59) return false;
    if (pos < s.size() && s[pos] == '.') {
      ++pos;
      size_t frac_start = pos;
      while (pos < s.size() && is_digit(s[pos])) ++pos;
      if (pos == frac_start || !two_digit_hour) return false;
    }
  }
  if (pos == s.size()) return true;
  // Fractions and zones belong to the ISO form, which always has a two-digit hour.
  if (!two_digit_hour) return false;
  if (s[pos] == 'Z') return pos + 1 == s.size();
  if (s[pos] != '+' && s[pos] != '-') return false;
  ++pos;
  int zh, zm;
  if (!read_num(s, pos, 2, 2, zh) || zh > 23) return false;
  if (expect(s, pos, ':') && (!read_num(s, pos, 2, 2, zm) || zm > 59)) return false;
  return pos == s.size();
}

}  // namespace

bool parse_date(std::string_view cell, Day& out) {
  if (cell.empty()) {
    out = kNoDay;
    return true;
  }
  size_t pos = 0;
  Ymd ymd;
  if (!parse_ymd(cell, pos, ymd)) return false;
  if (pos < cell.size()) {
    if (cell[pos] == 'T') {
      ++pos;
    } else if (cell[pos] == ' ') {
      while (pos < cell.size() && cell[pos] == ' ') ++pos;
    } else {
      return false;
    }
    if (!parse_time(cell, pos)) return false;
  }
  // 1C writes its "no date" as the first day of year 1.
  if (ymd.year == 1 && ymd.month == 1 && ymd.day == 1) {
    out = kNoDay;
    return true;
  }
  if (!is_valid_ymd(ymd.year, ymd.month, ymd.day)) return false;
  out = days_from_ymd(ymd.year, ymd.month, ymd.day);
  return true;
}

bool parse_date_option(std::string_view text, Day& out) {
  size_t pos = 0;
  Ymd ymd;
  if (!parse_ymd(text, pos, ymd) || pos != text.size()) return false;
  if (!is_valid_ymd(ymd.year, ymd.month, ymd.day)) return false;
  out = days_from_ymd(ymd.year, ymd.month, ymd.day);
  return true;
}

std::string format_date(Day d) {
  return appended(append_date, d);
}

void append_date(std::string& out, Day d) {
  if (d == kNoDay) return;
  Ymd ymd = ymd_from_days(d);
  char buf[48];  // a compiled format into a local buffer: lists print millions of dates
  char* end = fmt::format_to(buf, FMT_COMPILE("{:04}-{:02}-{:02}"), ymd.year, ymd.month, ymd.day);
  out.append(buf, end);
}

Day first_day_of_month(int month_index) {
  const chr::year_month ym = chr::year{0} / chr::January + chr::months{month_index};
  return chr::sys_days{ym / 1}.time_since_epoch().count();
}

Day today_local() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  return days_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

namespace {

// The birthday's day in `year`: 29 February becomes 28 February when the year has none.
int birthday_day_in(const Ymd& birth, int year) {
  if (birth.month == 2 && birth.day == 29 && !is_leap(year)) return 28;
  return birth.day;
}

}  // namespace

int age_in_years(Day birth, Day as_of) {
  Ymd b = ymd_from_days(birth), a = ymd_from_days(as_of);
  int years = a.year - b.year;
  int bday = birthday_day_in(b, a.year);
  if (a.month < b.month || (a.month == b.month && a.day < bday)) --years;
  return years;
}

int days_to_birthday(Day birth, Day as_of) {
  Ymd b = ymd_from_days(birth), a = ymd_from_days(as_of);
  Day next = days_from_ymd(a.year, b.month, birthday_day_in(b, a.year));
  if (next < as_of) next = days_from_ymd(a.year + 1, b.month, birthday_day_in(b, a.year + 1));
  return next - as_of;
}

}  // namespace kartoteka
