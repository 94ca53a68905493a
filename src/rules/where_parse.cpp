// The `--where` parser (SPEC §6.1, §8.20–§8.22): text → where_detail::Tree, each VALUE parsed
// once for its field's type. Evaluation lives in where.cpp.
#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "model/date.h"
#include "model/errors.h"
#include "model/money.h"
#include "model/text.h"
#include "model/values.h"
#include "rules/where.h"
#include "rules/where_tree.h"

namespace kartoteka {

namespace where_detail {

namespace {

// A text VALUE (Text / Multi, or `~` on any type): folded, and for < > also read as a number or
// a date when it is one (§8.20).
void text_item(const std::string& raw, Op op, Item& it) {
  it.fold = folded(raw);
  if (op == Op::Contains || op == Op::Eq) return;
  DecView d;
  if (parse_decimal(raw, d)) {
    it.is_num = true;
    it.num_neg = d.neg;
    it.num_ip = d.ip;
    it.num_fp = d.fp;
  } else {
    Day day;
    if (!raw.empty() && parse_date(raw, day) && day != kNoDay) it.day = day;
  }
}

// A Count VALUE, decimals allowed: lo = floor, hi = ceiling, whole when they are equal. False when
// it is not a number.
bool count_item(std::string_view v, Item& it) {
  DecView d;
  if (!parse_decimal(v, d)) return false;
  // Counts are far below 10^18; a longer value saturates and stays correctly ordered.
  constexpr int64_t kBig = 1'000'000'000'000'000'000;
  int64_t whole = 0;
  if (d.ip.size() > 18) {
    whole = kBig;
    it.whole = false;
  } else {
    for (char ch : d.ip) whole = whole * 10 + (ch - '0');
  }
  bool frac = !d.fp.empty();
  it.whole = it.whole && !frac;
  if (d.neg) {
    it.lo = -whole - (frac ? 1 : 0);
    it.hi = -whole;
  } else {
    it.lo = whole;
    it.hi = whole + (frac ? 1 : 0);
  }
  return true;
}

}  // namespace
}  // namespace where_detail

UsageError where_error(std::string_view s, size_t at, const std::string& what) {
  size_t pos = utf8_length(s.substr(0, at)) + 1;  // 1-based, in characters
  // A hostile expression may be huge: quote at most 40 bytes either side of the position, cut
  // at character boundaries, so the message stays one readable line.
  std::string quoted(s);
  if (s.size() > 120) {
    auto boundary = [&](size_t i) {
      while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
      return i;
    };
    const size_t a = boundary(at > 40 ? at - 40 : 0);
    const size_t b = boundary(std::min(s.size(), std::max(at, a) + 40));
    quoted = (a > 0 ? "…" : "") + std::string(s.substr(a, b - a)) + (b < s.size() ? "…" : "");
  }
  return UsageError("--where \"" + quoted + "\": " + what + " (position " + std::to_string(pos) +
                    ")");
}

namespace where_detail {
namespace {

// A recursive-descent parser that scans the text directly: what a word means (field, keyword,
// value) depends on where it stands, so there is no separate token stream.
class Parser {
 public:
  Parser(std::string_view text, const FieldResolver& resolve, std::vector<int>& fields)
      : s_(text), resolve_(resolve), fields_(fields) {}

  Tree parse() {
    skip_ws();
    if (end()) fail(i_, "the expression is empty");
    Tree root = parse_or();
    skip_ws();
    if (!end()) {
      if (s_[i_] == ')') fail(i_, "unexpected \")\" without a matching \"(\"");
      fail(i_, "expected \"and\", \"or\" or the end, found " + quote(token_at(i_)));
    }
    return root;
  }

 private:
  std::string_view s_;
  size_t i_ = 0;  // byte offset
  int depth_ = 0;
  const FieldResolver& resolve_;
  std::vector<int>& fields_;

  static bool is_field_char(unsigned char c) {
    // Any non-ASCII byte counts as a letter, so Cyrillic names need no table.
    return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_';
  }
  static bool is_value_char(unsigned char c) {
    return is_field_char(c) || c == '-' || c == '.' || c == '+';
  }
  static bool is_keyword(std::string_view w, std::string_view kw) {
    if (w.size() != kw.size()) return false;
    for (size_t k = 0; k < w.size(); ++k) {
      char c = w[k];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
      if (c != kw[k]) return false;
    }
    return true;
  }
  static bool is_any_keyword(std::string_view w) {
    return is_keyword(w, "and") || is_keyword(w, "or") || is_keyword(w, "not");
  }
  static std::string quote(std::string_view v) { return fmt::format("\"{}\"", v); }
  static bool is_op_start(char c) {
    return c == '=' || c == '!' || c == '<' || c == '>' || c == '~';
  }

  bool end() const { return i_ >= s_.size(); }
  void skip_ws() {
    while (!end() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
  }
  std::string_view word_at(size_t p) const {
    size_t e = p;
    while (e < s_.size() && is_field_char(s_[e])) ++e;
    return s_.substr(p, e - p);
  }
  // A short piece of text for "found …" messages.
  std::string_view token_at(size_t p) const {
    size_t e = p;
    while (e < s_.size() && is_value_char(s_[e])) ++e;
    if (e == p) {
      e = p + 1;
      while (e < s_.size() && is_cont(s_[e])) ++e;
    }
    return s_.substr(p, e - p);
  }

  [[noreturn]] void fail(size_t at, const std::string& what) const {
    throw where_error(s_, at, what);
  }

  // Depth counts "(" and "not", the only recursive constructs, so hostile input cannot exhaust
  // the stack (here, in eval or in the destructor).
  void enter(size_t at) {
    if (++depth_ > kMaxDepth) fail(at, "nesting deeper than " + std::to_string(kMaxDepth));
  }

  static Tree combine(Tree::Kind kind, std::vector<Tree>&& kids) {
    if (kids.size() == 1) return std::move(kids.front());
    Tree n;
    n.kind = kind;
    n.kids = std::move(kids);
    return n;
  }

  // Whether the word at the current position is the keyword kw (a whole word).
  bool at_keyword(std::string_view kw) {
    skip_ws();
    return !end() && is_keyword(word_at(i_), kw);
  }

  // One level of the grammar: operands read by `next`, joined by the keyword `kw`.
  Tree parse_joined(std::string_view kw, Tree::Kind kind, Tree (Parser::*next)()) {
    std::vector<Tree> kids;
    kids.push_back((this->*next)());
    while (at_keyword(kw)) {
      i_ += kw.size();
      kids.push_back((this->*next)());
    }
    return combine(kind, std::move(kids));
  }

  Tree parse_or() { return parse_joined("or", Tree::Kind::Or, &Parser::parse_and); }
  Tree parse_and() { return parse_joined("and", Tree::Kind::And, &Parser::parse_factor); }

  Tree parse_factor() {
    skip_ws();
    if (end()) fail(i_, "expected a condition, found the end of the expression");
    if (s_[i_] == '(') {
      size_t open = i_++;
      enter(open);
      Tree inner = parse_or();
      skip_ws();
      if (end()) fail(open, "unbalanced parentheses: \"(\" is never closed");
      if (s_[i_] != ')') fail(i_, "expected \")\", found " + quote(token_at(i_)));
      ++i_;
      --depth_;
      return inner;
    }
    std::string_view w = word_at(i_);
    if (is_keyword(w, "not")) {
      // `not = 5` would be a field called "not"; otherwise it is the keyword.
      size_t after = i_ + 3;
      while (after < s_.size() && (s_[after] == ' ' || s_[after] == '\t')) ++after;
      if (after >= s_.size() || !is_op_start(s_[after])) {
        enter(i_);
        i_ += 3;
        Tree n;
        n.kind = Tree::Kind::Not;
        n.kids.push_back(parse_factor());
        --depth_;
        return n;
      }
    }
    Tree n;
    n.cond = parse_cond();
    return n;
  }

  Cond parse_cond() {
    size_t field_pos = i_;
    std::string_view name = word_at(i_);
    if (name.empty()) fail(i_, "expected a field name, found " + quote(token_at(i_)));
    if (is_keyword(name, "and") || is_keyword(name, "or")) {
      fail(i_, "expected a condition, found " + quote(name));
    }
    i_ += name.size();
    std::optional<FieldInfo> info = resolve_(name);
    if (!info) fail(field_pos, "unknown field " + quote(name));

    Cond c;
    c.field = info->id;
    c.type = info->type;
    bool seen = false;
    for (int f : fields_) seen = seen || f == c.field;
    if (!seen) fields_.push_back(c.field);

    skip_ws();
    size_t op_pos = i_;
    std::string_view op_text = parse_op(c);
    if (op_text.empty()) {
      fail(op_pos, "expected an operator (= != < <= > >= ~ !~) after " + quote(name) + ", found " +
                       (end() ? std::string("the end") : quote(token_at(i_))));
    }
    bool ordering = c.op != Op::Eq && c.op != Op::Contains;
    if (ordering && (c.type == FieldType::Bool || c.type == FieldType::Gender)) {
      fail(op_pos, quote(op_text) + " cannot compare " +
                       (c.type == FieldType::Bool ? "boolean" : "gender") + " field " +
                       std::string(name));
    }

    for (;;) {
      skip_ws();
      size_t value_pos = i_;
      bool quoted = false;
      std::string raw;
      if (!parse_value(raw, quoted)) {
        fail(value_pos, "expected a value after " + quote(op_text) + ", found " +
                            (end() ? std::string("the end") : quote(token_at(i_))));
      }
      c.items.push_back(make_item(c, raw, quoted, name, value_pos));
      skip_ws();
      if (end() || s_[i_] != ',') break;
      if (c.op != Op::Eq) {
        fail(i_,
             "a list of values is allowed only after = or != (a comma is never a decimal "
             "separator here)");
      }
      ++i_;
    }
    return c;
  }

  // Reads the operator into c; returns its text, or "" when there is none.
  std::string_view parse_op(Cond& c) {
    size_t start = i_;
    auto next_is = [&](char ch) { return i_ + 1 < s_.size() && s_[i_ + 1] == ch; };
    if (end()) return {};
    switch (s_[i_]) {
      case '=':
        c.op = Op::Eq, i_ += 1;
        break;
      case '~':
        c.op = Op::Contains, i_ += 1;
        break;
      case '<':
        c.op = next_is('=') ? Op::Le : Op::Lt, i_ += next_is('=') ? 2 : 1;
        break;
      case '>':
        c.op = next_is('=') ? Op::Ge : Op::Gt, i_ += next_is('=') ? 2 : 1;
        break;
      case '!':
        if (next_is('=')) {
          c.op = Op::Eq;
        } else if (next_is('~')) {
          c.op = Op::Contains;
        } else {
          return {};
        }
        c.negate = true;
        i_ += 2;
        break;
      default:
        return {};
    }
    return s_.substr(start, i_ - start);
  }

  // A quoted value ('…' or "…", the quote doubled inside) or a bare word. False when there is none.
  bool parse_value(std::string& raw, bool& quoted) {
    if (end()) return false;
    char q = s_[i_];
    if (q == '\'' || q == '"') {
      size_t open = i_++;
      for (;;) {
        if (end()) fail(open, "unterminated quoted value");
        if (s_[i_] == q) {
          if (i_ + 1 < s_.size() && s_[i_ + 1] == q) {
            raw += q;
            i_ += 2;
            continue;
          }
          ++i_;
          break;
        }
        raw += s_[i_++];
      }
      quoted = true;
      return true;
    }
    size_t e = i_;
    while (e < s_.size() && is_value_char(s_[e])) ++e;
    std::string_view w = s_.substr(i_, e - i_);
    // A bare keyword is not a value (`age > and …`); quote it to compare with the word.
    if (w.empty() || is_any_keyword(w)) return false;
    raw = w;
    i_ = e;
    return true;
  }

  Item make_item(const Cond& c, const std::string& raw, bool quoted, std::string_view name,
                 size_t pos) const {
    Item it;
    if (raw.empty() && quoted && c.op == Op::Eq) {
      it.empty = true;  // `= ''` / `!= ''`: (has) no value, for any type
      return it;
    }
    if (c.op == Op::Contains || c.type == FieldType::Text || c.type == FieldType::Multi) {
      text_item(raw, c.op, it);
      return it;
    }
    std::string_view v = trim(raw);
    auto bad = [&](const char* what) {
      fail(pos, quote(raw) + " is not " + what + " for field " + std::string(name));
    };
    switch (c.type) {
      case FieldType::Count: {
        if (!count_item(v, it)) bad("a number");
        break;
      }
      case FieldType::Money: {
        Kopecks k = 0;  // bad() throws; clang cannot see that through the lambda
        if (v.empty() || !parse_money(v, k)) bad("an amount of money in rubles");
        it.lo = k;
        break;
      }
      case FieldType::Date: {
        Day d;
        if (!parse_date_option(v, d)) bad("a date (YYYY-MM-DD or DD.MM.YYYY)");
        it.lo = d;
        break;
      }
      case FieldType::Bool: {
        Tri t;
        if (!parse_bool(v, t) || t == Tri::Unknown) bad("a boolean (true/false/да/нет/1/0)");
        it.lo = t == Tri::True ? 1 : 0;
        break;
      }
      case FieldType::Gender: {
        char g = parse_gender(v);
        if (g == 0) bad("a gender (M/F, М/Ж)");
        it.lo = g;
        break;
      }
      default:
        break;
    }
    return it;
  }
};

}  // namespace

Tree parse_tree(std::string_view text, const FieldResolver& resolve, std::vector<int>& fields) {
  Parser p(text, resolve, fields);
  return p.parse();
}

}  // namespace where_detail

WhereExpr WhereExpr::parse(std::string_view text, const FieldResolver& resolve) {
  WhereExpr e;
  e.root_ = std::make_unique<Node>(Node{where_detail::parse_tree(text, resolve, e.fields_)});
  return e;
}

}  // namespace kartoteka
