// The `segment --where` expression language (SPEC §6.1, §8.20–§8.22).
//
//   expr := term ("or" term)* ; term := factor ("and" factor)* ;
//   factor := "not" factor | "(" expr ")" | cond ;   cond := FIELD OP VALUE
//   OP := = != < <= > >= ~ !~
//
//   WhereExpr e = WhereExpr::parse("gender = F and age >= 40", resolver);
//   bool keep = e.eval(patient_fields);
//
// Pure: parsing needs only a resolver from names to typed field ids, evaluation only a getter.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/errors.h"

namespace kartoteka {

// How a field compares (§6.1, §8.20, §8.22).
enum class FieldType {
  Text,   // folded text; < > compare as numbers / dates / text (§8.20); phone is Text (E.164)
  Multi,  // multi-valued text (categories, services, …): any element matches; != !~ none does
  Count,  // integer count (age, visits, days_*): VALUE is a number, decimals allowed (age > 30.5)
  Money,  // kopecks; VALUE in rubles through parse_money (`20000`, `20000.50`, quoted
          // '1 234,50'); an unquoted comma always separates list items
  Date,   // day number; VALUE `YYYY-MM-DD` or `DD.MM.YYYY`
  Bool,  // VALUE through §2.4's boolean table (true/false/да/нет/1/0…); < > are usage errors
  Gender,  // 'M' / 'F'; VALUE through the gender table (`gender = Ж`)
};

struct FieldInfo {
  int id;  // the caller's field identifier, handed back to FieldGetter
  FieldType type;
};

// Maps a field name as written in the expression to its info; nullopt = unknown field. The name
// is a view into the parsed text, so a caller may locate it (segment's deferred binding does).
using FieldResolver = std::function<std::optional<FieldInfo>(std::string_view name)>;

// A field's value for one patient.
struct FieldValue {
  bool missing = true;  // missing: every comparison false (so != and !~ are true)
  int64_t num = 0;      // Count: the count; Money: kopecks; Date: day; Bool: 0/1; Gender: 'M'/'F'
  // Text: the value. For typed fields, the printed form as csv prints it (`~` tests it;
  // e.g. "2026-11-17", "55600.00", "true", "M").
  std::string_view text;
  const std::vector<std::string_view>* multi = nullptr;  // Multi: the elements (may be empty)
};

class FieldGetter {
 public:
  virtual ~FieldGetter() = default;
  virtual FieldValue get(int id) const = 0;
};

// The UsageError WhereExpr::parse throws, for a caller that finds a problem with the name at byte
// offset `at` of `text` after parsing: `--where "TEXT": WHAT (position N)`, N 1-based in
// characters, a long text quoted around the position only.
UsageError where_error(std::string_view text, size_t at, const std::string& what);

class WhereExpr {
 public:
  // Parses `text`. Throws UsageError for a malformed expression, an unknown field, a value that
  // does not parse for the field's type, `<`/`>` on booleans, or a comma list after an operator
  // other than = / !=. The message quotes the expression and points at the 1-based character
  // position, e.g. `--where: unknown field "bogus" at position 1`. Nesting deeper than 1000 is a
  // usage error (no stack overflow on hostile input).
  static WhereExpr parse(std::string_view text, const FieldResolver& resolve);

  bool eval(const FieldGetter& fields) const;

  // The field ids the expression reads (each once), so the caller computes only those.
  const std::vector<int>& fields() const;

  WhereExpr();
  ~WhereExpr();
  WhereExpr(WhereExpr&&) noexcept;
  WhereExpr& operator=(WhereExpr&&) noexcept;

 private:
  struct Node;
  std::unique_ptr<Node> root_;
  std::vector<int> fields_;
};

}  // namespace kartoteka
