#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "model/date.h"
#include "model/errors.h"
#include "rules/where.h"

using namespace kartoteka;

namespace {

enum Id { kGender, kAge, kSpent, kLastVisit, kHasPhone, kSource, kDistrict, kCategories, kName };

std::optional<FieldInfo> resolve(std::string_view name) {
  if (name == "gender") return FieldInfo{kGender, FieldType::Gender};
  if (name == "age") return FieldInfo{kAge, FieldType::Count};
  if (name == "spent") return FieldInfo{kSpent, FieldType::Money};
  if (name == "last_visit") return FieldInfo{kLastVisit, FieldType::Date};
  if (name == "has_phone") return FieldInfo{kHasPhone, FieldType::Bool};
  if (name == "source") return FieldInfo{kSource, FieldType::Text};
  if (name == "district" || name == "район") return FieldInfo{kDistrict, FieldType::Text};
  if (name == "categories") return FieldInfo{kCategories, FieldType::Multi};
  if (name == "name") return FieldInfo{kName, FieldType::Text};
  return std::nullopt;
}

// A patient; an unset optional (or an empty text) is a missing value.
struct Patient {
  std::optional<char> gender;
  std::optional<int64_t> age;
  std::optional<int64_t> spent;  // kopecks
  std::optional<Day> last_visit;
  std::optional<bool> has_phone;
  std::string source, district, name;
  std::optional<std::vector<std::string_view>> categories;
};

class Getter : public FieldGetter {
 public:
  explicit Getter(const Patient& p) : p_(p) {
    if (p.age) age_ = std::to_string(*p.age);
    if (p.spent)
      spent_ = std::to_string(*p.spent / 100) + "." + (*p.spent % 100 < 10 ? "0" : "") +
               std::to_string(*p.spent % 100);
    if (p.last_visit) date_ = format_date(*p.last_visit);
  }
  FieldValue get(int id) const override {
    FieldValue v;
    auto text = [&](const std::string& s) {
      v.missing = s.empty();
      v.text = s;
    };
    switch (id) {
      case kGender:
        if (p_.gender)
          v.missing = false, v.num = *p_.gender, v.text = *p_.gender == 'M' ? "M" : "F";
        break;
      case kAge:
        if (p_.age) v.missing = false, v.num = *p_.age, v.text = age_;
        break;
      case kSpent:
        if (p_.spent) v.missing = false, v.num = *p_.spent, v.text = spent_;
        break;
      case kLastVisit:
        if (p_.last_visit) v.missing = false, v.num = *p_.last_visit, v.text = date_;
        break;
      case kHasPhone:
        if (p_.has_phone)
          v.missing = false, v.num = *p_.has_phone, v.text = *p_.has_phone ? "true" : "false";
        break;
      case kSource:
        text(p_.source);
        break;
      case kDistrict:
        text(p_.district);
        break;
      case kName:
        text(p_.name);
        break;
      case kCategories:
        if (p_.categories) v.missing = false, v.multi = &*p_.categories;
        break;
    }
    return v;
  }

 private:
  const Patient& p_;
  std::string age_, spent_, date_;
};

bool match(std::string_view expr, const Patient& p) {
  return WhereExpr::parse(expr, resolve).eval(Getter(p));
}

// The usage error's message, or "" when the expression parses.
std::string error_of(std::string_view expr) {
  try {
    WhereExpr::parse(expr, resolve);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

bool has_position(std::string_view expr, int pos) {
  std::string m = error_of(expr);
  return m.find("(position " + std::to_string(pos) + ")") != std::string::npos;
}

Patient anna() {
  Patient p;
  p.gender = 'F';
  p.age = 42;
  p.spent = 2'500'000;  // 25 000.00 ₽
  p.last_visit = days_from_ymd(2026, 3, 15);
  p.has_phone = true;
  p.source = "Сайт";
  p.district = "Центральный";
  p.name = "Анна Фёдоровна О'Брайен";
  return p;
}

}  // namespace

TEST_CASE("where: basic conditions per type") {
  Patient p = anna();
  CHECK(match("gender = F", p));
  CHECK(match("gender = Ж", p));
  CHECK(match("gender = ж", p));
  CHECK_FALSE(match("gender = M", p));
  CHECK(match("gender != M", p));
  CHECK(match("age = 42", p));
  CHECK(match("age >= 42 and age <= 42", p));
  CHECK_FALSE(match("age > 42", p));
  CHECK(match("has_phone = да", p));
  CHECK(match("has_phone = TRUE", p));
  CHECK_FALSE(match("has_phone = 0", p));
  CHECK(match("source = сайт", p));
  CHECK(match("source = 'САЙТ'", p));
  CHECK_FALSE(match("source = сай", p));
}

TEST_CASE("where: precedence, not, parentheses") {
  Patient p = anna();  // a: gender = M false; b: age > 40 true; c: source = радио false
  CHECK_FALSE(match("gender = M or age > 40 and source = радио", p));  // a or (b and c)
  CHECK(match("age > 40 or gender = M and source = радио", p));        // b or (a and c)
  CHECK_FALSE(match("(age > 40 or gender = M) and source = радио", p));
  CHECK(match("not gender = M", p));
  CHECK(match("NOT gender = M AND age > 40", p));
  CHECK(match("not not gender = F", p));
  CHECK_FALSE(match("not (gender = F or age < 10)", p));
  CHECK(match("((((gender = F))))", p));
  CHECK(match("gender=F and(age>40)Or source=радио", p));
}

TEST_CASE("where: comma lists") {
  Patient p = anna();
  CHECK(match("source = радио,сайт,соцсети", p));
  CHECK(match("source = радио, 'САЙТ' , соцсети", p));
  CHECK_FALSE(match("source = радио,соцсети", p));
  CHECK(match("source != радио,соцсети", p));
  CHECK_FALSE(match("source != радио,сайт", p));
  CHECK(match("age = 41,42,43", p));
  CHECK(match("gender = M,F", p));
  // An unquoted comma always separates items: 30,5 is the list 30 and 5.
  CHECK_FALSE(match("age = 30,5", p));
  p.age = 5;
  CHECK(match("age = 30,5", p));
  // A quoted comma is part of the value.
  CHECK(match("spent = '25 000,00'", anna()));
}

TEST_CASE("where: contains, Cyrillic case and ё = е") {
  Patient p = anna();
  CHECK(match("name ~ федор", p));
  CHECK(match("name ~ ФЁДОР", p));
  CHECK(match("name ~ 'АННА ф'", p));
  CHECK_FALSE(match("name ~ петр", p));
  CHECK(match("name !~ петр", p));
  CHECK_FALSE(match("name !~ анна", p));
  p.name = "Фёдор";
  CHECK(match("name = федор", p));
  CHECK(match("name = ФЕДОР", p));
  CHECK(match("name ~ \"ЁДО\"", p));
  p.name = "ΣΟΦΙΑ";  // Greek folds too
  CHECK(match("name = σοφια", p));
  // ~ on typed fields tests the printed form.
  Patient q = anna();
  CHECK(match("last_visit ~ 2026-03", q));
  CHECK(match("spent ~ '.00'", q));
  CHECK(match("has_phone ~ TRU", q));
  CHECK(match("age !~ 7", q));
}

TEST_CASE("where: multi-valued fields") {
  Patient p = anna();
  p.categories = std::vector<std::string_view>{"VIP", "Имплантация"};
  CHECK(match("categories = vip", p));
  CHECK(match("categories = имплантация", p));
  CHECK_FALSE(match("categories = детские", p));
  CHECK(match("categories != детские", p));
  CHECK_FALSE(match("categories != vip", p));  // none may match
  CHECK(match("categories ~ имплант", p));
  CHECK_FALSE(match("categories !~ имплант", p));
  CHECK(match("categories = детские,vip", p));
  CHECK_FALSE(match("categories != детские,vip", p));
  CHECK_FALSE(match("categories = ''", p));
  CHECK(match("categories != ''", p));

  p.categories = std::vector<std::string_view>{};  // empty list = missing
  CHECK(match("categories = ''", p));
  CHECK_FALSE(match("categories != ''", p));
  CHECK_FALSE(match("categories = vip", p));
  CHECK(match("categories != vip", p));
  CHECK(match("categories !~ vip", p));
  p.categories.reset();
  CHECK(match("categories = ''", p));
  CHECK(match("categories !~ vip", p));
}

TEST_CASE("where: missing values") {
  Patient p;  // everything missing
  for (const char* e : {"age = 1", "age < 100", "age > -1", "age ~ 1", "spent >= 0", "gender = F",
                        "has_phone = false", "last_visit < 2100-01-01", "source = сайт",
                        "source < я", "source ~ ''"}) {
    CAPTURE(e);
    CHECK_FALSE(match(e, p));
  }
  for (const char* e : {"age != 1", "age !~ 1", "gender != F", "has_phone != true",
                        "source != сайт", "source !~ сайт", "not age < 100"}) {
    CAPTURE(e);
    CHECK(match(e, p));
  }
  for (const char* f : {"age", "spent", "last_visit", "has_phone", "gender", "source", "name"}) {
    CAPTURE(f);
    CHECK(match(std::string(f) + " = ''", p));
    CHECK(match(std::string(f) + " = \"\"", p));
    CHECK_FALSE(match(std::string(f) + " != ''", p));
    CHECK_FALSE(match(std::string(f) + " = ''", anna()));
    CHECK(match(std::string(f) + " != ''", anna()));
  }
  CHECK(match("source = сайт,''", p));  // empty inside a list
  CHECK(match("source ~ ''", anna()));
}

TEST_CASE("where: counts compare exactly against decimals") {
  Patient p = anna();
  p.age = 30;
  CHECK_FALSE(match("age > 30.5", p));
  CHECK(match("age < 30.5", p));
  CHECK(match("age <= 30.5", p));
  CHECK_FALSE(match("age = 30.5", p));
  CHECK(match("age != 30.5", p));
  CHECK(match("age = 30.0", p));
  CHECK(match("age = '30,0'", p));
  p.age = 31;
  CHECK(match("age > 30.5", p));
  CHECK(match("age >= 30.5", p));
  CHECK_FALSE(match("age < 30.5", p));
  p.age = 0;
  CHECK(match("age > -0.5", p));
  CHECK_FALSE(match("age < -0.5", p));
  CHECK(match("age = -0", p));
  CHECK(match("age < 99999999999999999999999", p));
  CHECK(match("age > -99999999999999999999999", p));
}

TEST_CASE("where: money in rubles") {
  Patient p = anna();
  p.spent = 2'000'000;  // 20 000.00 ₽
  CHECK(match("spent = 20000", p));
  CHECK_FALSE(match("spent > 20000", p));
  CHECK(match("spent >= 20000", p));
  CHECK(match("spent < 20000.01", p));
  CHECK(match("spent > 19999.99", p));
  CHECK(match("spent = '20 000,00'", p));
  CHECK(match("spent = 20000₽", p));
  CHECK_FALSE(match("spent > 20000.5", p));
  p.spent = 2'000'050;
  CHECK(match("spent = 20000.5", p));
}

TEST_CASE("where: dates in both formats") {
  Patient p = anna();  // 2026-03-15
  CHECK(match("last_visit = 2026-03-15", p));
  CHECK(match("last_visit = 15.03.2026", p));
  CHECK(match("last_visit = '15.3.2026'", p));
  CHECK(match("last_visit < 2026-03-16", p));
  CHECK(match("last_visit >= 01.01.2026", p));
  CHECK_FALSE(match("last_visit > 15.03.2026", p));
  CHECK(match("last_visit != 2025-03-15", p));
}

TEST_CASE("where: ordering on text (numbers, dates, text)") {
  Patient p;
  p.district = "9";
  CHECK(match("district < 10", p));  // as numbers, not "9" > "1"
  CHECK(match("district > 8.5", p));
  CHECK(match("district > -10", p));
  CHECK(match("district = 9", p));
  p.district = "9,5";
  CHECK(match("district > 9.4", p));
  CHECK(match("district < '9,6'", p));
  p.district = "007";
  CHECK(match("district >= 7", p));
  CHECK(match("district <= 7.000", p));
  CHECK_FALSE(match("district = 7", p));  // = is text equality (§8.20)
  p.district = "15.03.2026";
  CHECK(match("district < 2026-04-01", p));  // as dates
  CHECK(match("district > 01.02.2026", p));
  p.district = "Центральный";
  CHECK(match("district > абв", p));  // as folded text
  CHECK(match("district < ЯЯЯ", p));
  CHECK(match("district > 10", p));  // text against a number: text order ("ц" > "1")
  p.district = "b";
  CHECK(match("district > A", p));  // folded: "b" > "a"
  CHECK(match("district < C", p));
  CHECK(match("район = B", p));  // a Cyrillic field name
}

TEST_CASE("where: quoted values") {
  Patient p = anna();
  p.name = "O'Brien";
  CHECK(match("name = 'O''Brien'", p));
  CHECK(match("name = \"o'brien\"", p));
  CHECK(match("name ~ \"'b\"", p));
  p.name = "say \"hi\"";
  CHECK(match("name = \"say \"\"HI\"\"\"", p));
  CHECK(match("name = 'say \"hi\"'", p));
  p.name = "and";
  CHECK(match("name = 'and'", p));
  p.source = "a, b";
  CHECK(match("source = 'a, b'", p));
  CHECK_FALSE(match("source = a,b", p));
}

TEST_CASE("where: fields in first-use order") {
  WhereExpr e = WhereExpr::parse("age > 1 and (source = x or age < 3) and not gender = F", resolve);
  CHECK(e.fields() == std::vector<int>{kAge, kSource, kGender});
  WhereExpr moved = std::move(e);
  CHECK(moved.fields().size() == 3);
  CHECK(moved.eval(Getter(anna())) == false);
  WhereExpr empty;
  CHECK(empty.eval(Getter(anna())));
}

TEST_CASE("where: usage errors with positions") {
  CHECK(error_of("age > abc") ==
        "--where \"age > abc\": \"abc\" is not a number for field age (position 7)");
  CHECK(error_of("bogus = 1") == "--where \"bogus = 1\": unknown field \"bogus\" (position 1)");
  // Positions count characters, not bytes.
  CHECK(has_position("район = 1 and пол = Ж", 15));
  CHECK(error_of("район = 1 and пол = Ж").find("unknown field \"пол\"") != std::string::npos);
  // Unexpected tokens.
  CHECK(has_position("age 5", 5));               // no operator
  CHECK(has_position("age == 5", 6));            // "=" is not a value
  CHECK(has_position("age <> 5", 6));            // "<" then no value
  CHECK(has_position("= 5", 1));                 // no field
  CHECK(has_position("age > 5 source = x", 9));  // trailing garbage
  CHECK(has_position("age > 5 and", 12));        // condition expected at the end
  CHECK(has_position("age > 5 or or age < 3", 12));
  CHECK(has_position("", 1));
  CHECK(has_position("   ", 4));
  // Parentheses.
  CHECK(has_position("(age > 5", 1));
  CHECK(has_position("((age > 5)", 1));
  CHECK(has_position("age > 5)", 8));
  CHECK(has_position("()", 2));
  CHECK(has_position("(age > 5 source = x)", 10));
  // Missing value.
  CHECK(has_position("age >", 6));
  CHECK(has_position("age > and source = x", 7));
  CHECK(has_position("source = ,x", 10));
  CHECK(has_position("source = x,", 12));
  CHECK(has_position("name = 'abc", 8));  // unterminated quote
  // Values that do not parse for the type.
  CHECK(has_position("spent > 20 000", 12));  // "000" is trailing garbage
  CHECK(has_position("spent > '1,234'", 9));  // three fraction digits
  CHECK(has_position("spent > руб", 9));
  CHECK(has_position("last_visit = 31.02.2024", 14));
  CHECK(has_position("last_visit = 2024", 14));
  CHECK(has_position("last_visit > ''", 14));
  CHECK(has_position("has_phone = может", 13));
  CHECK(has_position("gender = X", 10));
  CHECK(has_position("age > ''", 7));
  CHECK(has_position("age = 1,x", 9));
  CHECK(has_position("spent < ''", 9));
  // Ordering on booleans (and gender), comma lists after other operators.
  CHECK(has_position("has_phone > 0", 11));
  CHECK(has_position("has_phone <= true", 11));
  CHECK(has_position("gender < M", 8));
  CHECK(has_position("age < 3,4", 8));
  CHECK(has_position("source ~ a,b", 11));
  CHECK(has_position("source !~ a , b", 13));
  // Every error is a UsageError.
  CHECK_THROWS_AS(WhereExpr::parse("age >", resolve), UsageError);
}

TEST_CASE("where: hostile nesting is a usage error, not a crash") {
  std::string deep(10000, '(');
  deep += "age > 1";
  deep += std::string(10000, ')');
  std::string m = error_of(deep);
  CHECK(m.find("nesting deeper than 1000") != std::string::npos);
  CHECK(m.find("(position 1001)") != std::string::npos);

  std::string nots;
  for (int i = 0; i < 10000; ++i) nots += "not ";
  nots += "age > 1";
  CHECK_THROWS_AS(WhereExpr::parse(nots, resolve), UsageError);

  std::string unclosed(10000, '(');
  CHECK_THROWS_AS(WhereExpr::parse(unclosed, resolve), UsageError);

  // 1000 levels are still fine.
  std::string ok = std::string(1000, '(') + "age > 1" + std::string(1000, ')');
  CHECK(WhereExpr::parse(ok, resolve).eval(Getter(anna())));
  std::string ok_nots;
  for (int i = 0; i < 1000; ++i) ok_nots += "not ";
  CHECK(WhereExpr::parse(ok_nots + "age > 1", resolve).eval(Getter(anna())));

  // Long flat chains do not recurse.
  std::string flat = "age = 0";
  for (int i = 1; i < 20000; ++i) flat += " or age = " + std::to_string(i);
  CHECK(WhereExpr::parse(flat, resolve).eval(Getter(anna())));
}

TEST_CASE("where: keywords are case-insensitive; a field may be called like a keyword") {
  Patient p = anna();
  CHECK(match("gender = F AnD age > 40", p));
  CHECK(match("gender = M Or age > 40", p));
  CHECK(match("NoT gender = M", p));
  auto resolver = [](std::string_view n) -> std::optional<FieldInfo> {
    if (n == "not") return FieldInfo{kSource, FieldType::Text};
    return resolve(n);
  };
  CHECK(WhereExpr::parse("not = сайт", resolver).eval(Getter(p)));
  CHECK_FALSE(WhereExpr::parse("not not = сайт", resolver).eval(Getter(p)));
}
