#include "model/money.h"

#include <fmt/compile.h>
#include <fmt/format.h>

#include <iterator>
#include <limits>

#include "model/text.h"

namespace kartoteka {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Length of a group separator (space, NBSP, narrow NBSP) at s[pos], or 0.
size_t separator_at(std::string_view s, size_t pos) {
  std::string_view rest = s.substr(pos);
  if (rest.starts_with(' ')) return 1;
  if (rest.starts_with("\xC2\xA0")) return 2;
  if (rest.starts_with("\xE2\x80\xAF")) return 3;
  return 0;
}

size_t digits_at(std::string_view s, size_t pos) {
  size_t n = 0;
  while (pos + n < s.size() && is_digit(s[pos + n])) ++n;
  return n;
}

// Appends digits to an unsigned magnitude; false when it would exceed `limit`.
bool accumulate(std::string_view digits, uint64_t limit, uint64_t& value) {
  for (char c : digits) {
    uint64_t d = static_cast<uint64_t>(c - '0');
    if (value > (limit - d) / 10) return false;
    value = value * 10 + d;
  }
  return true;
}

// The shape nearly every exported amount has — optional sign, 1–15 digits, optionally `,` or `.`
// and 1–2 digits, nothing more — read in one pass without building strings (ten million rows
// carry two amounts each). 15 digits of roubles cannot overflow int64 kopecks. False means only
// "not this shape": the general path below decides.
bool parse_plain_money(std::string_view cell, Kopecks& out) {
  size_t pos = 0;
  const bool negative = cell[0] == '-';
  if (cell[0] == '+' || negative) pos = 1;
  const size_t start = pos;
  uint64_t value = 0;  // unsigned: wraps harmlessly on long digit runs, refused just below
  while (pos < cell.size() && is_digit(cell[pos])) value = value * 10 + (cell[pos++] - '0');
  if (pos == start || pos - start > 15) return false;
  uint64_t fraction = 0;
  if (pos < cell.size()) {
    if (cell[pos] != ',' && cell[pos] != '.') return false;
    const size_t digits = cell.size() - pos - 1;
    if (digits < 1 || digits > 2) return false;
    for (size_t k = pos + 1; k < cell.size(); ++k) {
      if (!is_digit(cell[k])) return false;
      fraction = fraction * 10 + (cell[k] - '0');
    }
    if (digits == 1) fraction *= 10;
  }
  const auto magnitude = static_cast<int64_t>(value * 100 + fraction);
  out = negative ? -magnitude : magnitude;
  return true;
}

}  // namespace

bool parse_money(std::string_view cell, Kopecks& out) {
  if (cell.empty()) {
    out = 0;
    return true;
  }
  if (parse_plain_money(cell, out)) return true;
  size_t pos = 0;
  bool negative = false;
  if (cell[0] == '+' || cell[0] == '-') {
    negative = cell[0] == '-';
    ++pos;
  }

  // Integer part: plain digits, or 1–3 digits then groups of exactly three. A separator only
  // starts a group when exactly three digits follow it, so `5 ₽` leaves the space for the suffix.
  std::string integer;
  size_t n = digits_at(cell, pos);
  if (n == 0) return false;  // `,50`, `-`, `₽`
  integer.append(cell, pos, n);
  pos += n;
  if (n <= 3) {
    for (;;) {
      size_t sep = separator_at(cell, pos);
      if (sep == 0 || digits_at(cell, pos + sep) != 3) break;
      integer.append(cell, pos + sep, 3);
      pos += sep + 3;
    }
  }

  // Fraction: `,` or `.` and 1–2 digits. `1,234` is refused rather than read as a thousand.
  std::string fraction;
  if (pos < cell.size() && (cell[pos] == ',' || cell[pos] == '.')) {
    size_t f = digits_at(cell, pos + 1);
    if (f < 1 || f > 2) return false;
    fraction.append(cell, pos + 1, f);
    pos += 1 + f;
  }
  if (fraction.size() < 2) fraction.append(2 - fraction.size(), '0');

  // Currency suffix after optional spaces.
  if (pos < cell.size()) {
    while (size_t sep = separator_at(cell, pos)) pos += sep;
    std::string suffix = fold(cell.substr(pos));
    if (suffix != "₽" && suffix != "р." && suffix != "руб." && suffix != "руб") return false;
  }

  // Magnitude in kopecks; a negative amount may reach one more than a positive one.
  uint64_t limit = static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + (negative ? 1 : 0);
  uint64_t magnitude = 0;
  if (!accumulate(integer, limit, magnitude) || !accumulate(fraction, limit, magnitude)) {
    return false;
  }
  out = negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
  return true;
}

std::string format_money(Kopecks k) {
  return appended(append_money, k);
}

void append_money(std::string& out, Kopecks k) {
  // Unsigned magnitude so INT64_MIN formats without overflow.
  uint64_t mag = k < 0 ? 0 - static_cast<uint64_t>(k) : static_cast<uint64_t>(k);
  // A compiled format into a local buffer: lists print millions of amounts.
  char buf[32];
  char* end =
      fmt::format_to(buf, FMT_COMPILE("{}{}.{:02}"), k < 0 ? "-" : "", mag / 100, mag % 100);
  out.append(buf, end);
}

std::string format_money_short(Kopecks k) {
  uint64_t mag = k < 0 ? 0 - static_cast<uint64_t>(k) : static_cast<uint64_t>(k);
  if (mag % 100 != 0) return format_money(k);
  return fmt::format("{}{}", k < 0 ? "-" : "", mag / 100);
}

int64_t div_round_half_away(int64_t a, int64_t b) {
  int64_t q = a / b, r = a % b;  // both truncate toward zero; r has a's sign and |r| < b
  int64_t abs_r = r < 0 ? -r : r;
  // |r| >= b - |r| is 2|r| >= b without the overflow.
  if (abs_r >= b - abs_r) q += a < 0 ? -1 : 1;
  return q;
}

}  // namespace kartoteka
