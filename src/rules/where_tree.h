// Private to rules/where_*.cpp: the parsed form of a `--where` expression (Cond, Item, Tree), the
// decimal-as-text comparison both the parser and the evaluator use, and the two entry points that
// join the halves (parse_tree in where_parse.cpp; folded in where.cpp). Not part of the interface.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/date.h"
#include "rules/where.h"

namespace kartoteka::where_detail {

// ---------------------------------------------------------------------------------------------
// Decimal numbers as text (§8.20): optional sign, digits, optionally `.` or `,` and digits.
// Compared digit by digit, so any length is exact.

struct DecView {
  bool neg = false;
  std::string_view ip;  // integer digits without leading zeros ("" for 0)
  std::string_view fp;  // fraction digits without trailing zeros
};

inline bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

inline bool parse_decimal(std::string_view s, DecView& out) {
  size_t i = 0;
  bool neg = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  size_t ib = i;
  while (i < s.size() && is_digit(s[i])) ++i;
  if (i == ib) return false;
  std::string_view ip = s.substr(ib, i - ib);
  std::string_view fp;
  if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
    size_t fb = ++i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == fb) return false;
    fp = s.substr(fb, i - fb);
  }
  if (i != s.size()) return false;
  while (!ip.empty() && ip.front() == '0') ip.remove_prefix(1);
  while (!fp.empty() && fp.back() == '0') fp.remove_suffix(1);
  out.neg = neg && !(ip.empty() && fp.empty());  // -0 = 0
  out.ip = ip;
  out.fp = fp;
  return true;
}

inline int sign_of(int c) {
  return (c > 0) - (c < 0);
}

inline int compare_magnitude(const DecView& a, const DecView& b) {
  if (a.ip.size() != b.ip.size()) return a.ip.size() < b.ip.size() ? -1 : 1;
  if (int c = a.ip.compare(b.ip)) return sign_of(c);
  return sign_of(a.fp.compare(b.fp));  // no trailing zeros, so plain comparison is numeric
}

inline int compare_decimal(const DecView& a, const DecView& b) {
  if (a.neg != b.neg) return a.neg ? -1 : 1;
  int m = compare_magnitude(a, b);
  return a.neg ? -m : m;
}

// ---------------------------------------------------------------------------------------------

enum class Op : unsigned char { Eq, Lt, Le, Gt, Ge, Contains };

// One VALUE of a condition, parsed once for the field's type.
struct Item {
  bool empty = false;  // `= ''`: matches a missing or empty value
  std::string fold;    // folded text (Text / Multi, and `~` on any type)
  int64_t lo = 0;      // typed value; Count: floor of the value
  int64_t hi = 0;      // Count: ceiling of the value
  bool whole = true;   // Count: the value is an integer, so `=` can hold
  // Text ordering (§8.20): the value as a number and as a date, when it is one.
  bool is_num = false;
  bool num_neg = false;
  std::string num_ip, num_fp;
  Day day = kNoDay;

  DecView num() const { return {num_neg, num_ip, num_fp}; }
};

struct Cond {
  int field = 0;
  FieldType type = FieldType::Text;
  Op op = Op::Eq;
  bool negate = false;      // != and !~ are exactly `not =` / `not ~`
  std::vector<Item> items;  // several only after = / != (any of)
};

constexpr int kMaxDepth = 1000;

// The parsed expression. Parentheses leave no node; and/or chains are flat.
struct Tree {
  enum class Kind : unsigned char { And, Or, Not, Cond } kind = Kind::Cond;
  std::vector<Tree> kids;  // And / Or: two or more; Not: one
  Cond cond;
};

// fold(s) as a new string (where.cpp, through the same two-byte cache as evaluation).
std::string folded(std::string_view s);

// True for a UTF-8 continuation byte.
inline bool is_cont(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

// Parses `text` into a tree, appending each field id it names to `fields` (where_parse.cpp).
Tree parse_tree(std::string_view text, const FieldResolver& resolve, std::vector<int>& fields);

}  // namespace kartoteka::where_detail

namespace kartoteka {

struct WhereExpr::Node {
  where_detail::Tree tree;
};

}  // namespace kartoteka
