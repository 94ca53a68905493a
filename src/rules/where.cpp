// Evaluating a parsed `--where` expression (SPEC §6.1, §8.20–§8.22) against one patient's
// fields: folding without allocation, typed comparisons, and/or/not. Parsing lives in
// where_parse.cpp; the tree they share in where_tree.h.
#include "rules/where.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <utility>

#include "model/date.h"
#include "model/errors.h"
#include "model/money.h"
#include "model/text.h"
#include "model/values.h"
#include "rules/where_tree.h"

namespace kartoteka {

namespace where_detail {

namespace {

// ---------------------------------------------------------------------------------------------
// Folding without allocation. eval() runs for up to 10^6 patients, so field values are folded into
// a reused per-thread buffer. fold() maps each code point on its own (no context), so caching the
// fold of every two-byte code point (Latin-1, Latin Extended, Greek, Cyrillic) gives exactly
// fold()'s result; rarer three- and four-byte sequences go through fold() itself, whose result
// then fits the small-string buffer and does not touch the heap.

struct FoldEntry {
  char bytes[8];
  unsigned char len;  // 0: longer than 8 bytes, ask fold() (never happens with today's table)
};

const std::array<FoldEntry, 0x800>& two_byte_folds() {
  static const std::array<FoldEntry, 0x800> table = [] {
    std::array<FoldEntry, 0x800> t{};
    for (unsigned cp = 0x80; cp < 0x800; ++cp) {
      char in[2] = {static_cast<char>(0xC0 | (cp >> 6)), static_cast<char>(0x80 | (cp & 0x3F))};
      std::string f = fold(std::string_view(in, 2));
      if (f.size() <= sizeof(t[cp].bytes)) {
        f.copy(t[cp].bytes, f.size());
        t[cp].len = static_cast<unsigned char>(f.size());
      }
    }
    return t;
  }();
  return table;
}

// Appends fold(s) to out.
void fold_append(std::string& out, std::string_view s) {
  const auto& table = two_byte_folds();
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : static_cast<char>(c);
      ++i;
      continue;
    }
    if (c >= 0xC2 && c <= 0xDF && i + 1 < s.size() && is_cont(s[i + 1])) {
      unsigned cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3Fu);
      const FoldEntry& e = table[cp];
      if (e.len) {
        out.append(e.bytes, e.len);
      } else {
        out += fold(s.substr(i, 2));
      }
      i += 2;
      continue;
    }
    // A lead byte with its continuation bytes (or one stray byte): fold() decides, and passes
    // invalid bytes through exactly as it would inside a longer string.
    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 1;
    if (i + len > s.size()) len = 1;
    for (size_t k = 1; k < len; ++k) {
      if (!is_cont(s[i + k])) {
        len = 1;
        break;
      }
    }
    out += fold(s.substr(i, len));
    i += len;
  }
}

}  // namespace

std::string folded(std::string_view s) {
  std::string out;
  fold_append(out, s);
  return out;
}

namespace {

// The per-thread scratch buffer for folding field values during eval.
std::string_view fold_scratch(std::string_view s) {
  thread_local std::string buf;
  buf.clear();
  fold_append(buf, s);
  return buf;
}

bool apply(Op op, int c) {
  switch (op) {
    case Op::Eq:
      return c == 0;
    case Op::Lt:
      return c < 0;
    case Op::Le:
      return c <= 0;
    case Op::Gt:
      return c > 0;
    case Op::Ge:
      return c >= 0;
    case Op::Contains:
      break;
  }
  return false;
}

int compare_int(int64_t a, int64_t b) {
  return (a > b) - (a < b);
}

// Text ordering (§8.20): as numbers when both are numbers, as dates when both are dates, else as
// folded text in byte order.
int compare_text(std::string_view s, const Item& it) {
  if (it.is_num) {
    DecView d;
    if (parse_decimal(s, d)) return compare_decimal(d, it.num());
  }
  if (it.day != kNoDay) {
    Day d;
    if (parse_date(s, d) && d != kNoDay) return compare_int(d, it.day);
  }
  return sign_of(fold_scratch(s).compare(it.fold));
}

// One text value (a Text field or one element of a Multi). An empty cell is a missing value.
bool text_matches(std::string_view s, Op op, const Item& it) {
  if (s.empty()) return it.empty;  // only `= ''` holds on a missing value
  if (it.empty) return false;
  switch (op) {
    case Op::Eq:
      return fold_scratch(s) == it.fold;
    case Op::Contains:
      return fold_scratch(s).find(it.fold) != std::string_view::npos;
    default:
      return apply(op, compare_text(s, it));
  }
}

// The condition without its negation, for one item.
bool matches(const Cond& c, const FieldValue& v, const Item& it) {
  switch (c.type) {
    case FieldType::Text:
      return text_matches(v.missing ? std::string_view() : v.text, c.op, it);
    case FieldType::Multi:
      if (v.missing || !v.multi || v.multi->empty()) return it.empty;
      for (std::string_view e : *v.multi) {
        if (text_matches(e, c.op, it)) return true;
      }
      return false;
    default:
      break;
  }
  if (v.missing) return it.empty;
  if (it.empty) return false;
  if (c.op == Op::Contains) return fold_scratch(v.text).find(it.fold) != std::string_view::npos;
  if (c.type == FieldType::Count) {
    // Exact against a decimal value: n < 30.5 ⇔ n < 31 (ceiling), n > 30.5 ⇔ n > 30 (floor).
    switch (c.op) {
      case Op::Eq:
        return it.whole && v.num == it.lo;
      case Op::Lt:
        return v.num < it.hi;
      case Op::Le:
        return v.num <= it.lo;
      case Op::Gt:
        return v.num > it.lo;
      case Op::Ge:
        return v.num >= it.hi;
      case Op::Contains:
        break;
    }
    return false;
  }
  return apply(c.op, compare_int(v.num, it.lo));
}

bool eval_cond(const Cond& c, const FieldGetter& fields) {
  FieldValue v = fields.get(c.field);
  bool any = false;
  for (const Item& it : c.items) {
    if (matches(c, v, it)) {
      any = true;
      break;
    }
  }
  return any != c.negate;
}

bool eval_node(const Tree& n, const FieldGetter& fields) {
  switch (n.kind) {
    case Tree::Kind::Cond:
      return eval_cond(n.cond, fields);
    case Tree::Kind::Not:
      return !eval_node(n.kids.front(), fields);
    case Tree::Kind::And:
      for (const Tree& k : n.kids) {
        if (!eval_node(k, fields)) return false;
      }
      return true;
    case Tree::Kind::Or:
      for (const Tree& k : n.kids) {
        if (eval_node(k, fields)) return true;
      }
      return false;
  }
  return false;
}

}  // namespace

}  // namespace where_detail

// A default-constructed expression selects everything.
bool WhereExpr::eval(const FieldGetter& fields) const {
  return !root_ || where_detail::eval_node(root_->tree, fields);
}

const std::vector<int>& WhereExpr::fields() const {
  return fields_;
}

WhereExpr::WhereExpr() = default;
WhereExpr::~WhereExpr() = default;
WhereExpr::WhereExpr(WhereExpr&&) noexcept = default;
WhereExpr& WhereExpr::operator=(WhereExpr&&) noexcept = default;

}  // namespace kartoteka
