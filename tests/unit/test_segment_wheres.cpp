// segment's --where expressions parsed once (issue 29): SegmentWheres parses each text into its
// tree when constructed and never again; bind() only maps names to fields and reports what a
// parse with the full resolver would have reported. Expected messages are written out by hand
// from where.h's contract (`--where "TEXT": WHAT (position N)`).
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "rules/segment.h"

using namespace kartoteka;

namespace {

// Field values by name; the getter answers by field id through the names' order of first use.
struct Getter : FieldGetter {
  std::vector<FieldValue> values;
  FieldValue get(int id) const override { return values.at(static_cast<size_t>(id)); }
};

FieldValue text(std::string_view v) {
  FieldValue f;
  f.missing = false;
  f.text = v;
  return f;
}
FieldValue count(int64_t n) {
  FieldValue f;
  f.missing = false;
  f.num = n;
  return f;
}

// A stand-in for resolve_field: gender is text, visits a count, `note` a --from column known only
// once the files are read.
std::optional<FieldRef> full(std::string_view name) {
  if (name == "gender") return FieldRef{FieldRef::Source::Gender, 0, FieldType::Text};
  if (name == "visits") return FieldRef{FieldRef::Source::Derived, 1, FieldType::Count};
  if (name == "note") return FieldRef{FieldRef::Source::From, 0, FieldType::Text};
  return std::nullopt;
}
FieldType header_type(std::string_view name) {
  return name == "visits" ? FieldType::Count : FieldType::Text;
}

std::string bind_error(const std::vector<std::string>& texts) {
  SegmentWheres w(texts, header_type);
  try {
    w.bind(full);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("segment --where: each expression parsed once, bound by name, evaluated many times") {
  int parsed_names = 0, bound_names = 0;
  SegmentWheres w({"gender = F and (visits > 2 or gender = M)", "note ~ vip"},
                  [&](std::string_view name) {
                    ++parsed_names;
                    return header_type(name);
                  });
  CHECK(w.parsed());
  CHECK(parsed_names == 4);  // one call per occurrence, all during the one parse
  w.bind([&](std::string_view name) {
    ++bound_names;
    return full(name);
  });
  CHECK(parsed_names == 4);  // bind parses nothing
  CHECK(bound_names == 3);   // gender, visits, note: once each
  REQUIRE(w.fields().size() == 3);
  CHECK(w.fields()[0].source == FieldRef::Source::Gender);
  CHECK(w.fields()[1].type == FieldType::Count);
  CHECK(w.fields()[2].source == FieldRef::Source::From);
  REQUIRE(w.exprs().size() == 2);
  Getter g;
  g.values = {text("F"), count(3), text("VIP client")};
  CHECK(w.exprs()[0].eval(g));  // F and 3 > 2
  CHECK(w.exprs()[1].eval(g));  // contains "vip", case-insensitively
  g.values = {text("F"), count(2), text("")};
  CHECK_FALSE(w.exprs()[0].eval(g));  // F, but 2 > 2 fails and F is not M
  CHECK_FALSE(w.exprs()[1].eval(g));
}

TEST_CASE("segment --where: bind reports what a parse with the full resolver reports") {
  // Unknown field at character 1; the syntax error after it is never reached.
  CHECK(bind_error({"bogus = 1 and ("}) ==
        "--where \"bogus = 1 and (\": unknown field \"bogus\" (position 1)");
  // Position in characters: "Ж" is 2 bytes, so "x" is at byte 16 (0-based) but character 16.
  CHECK(bind_error({"gender = Ж and x = 1"}) ==
        "--where \"gender = Ж and x = 1\": unknown field \"x\" (position 16)");
  // All fields known: the syntax error (at the end, character 17).
  CHECK(bind_error({"gender = F and ("}) ==
        "--where \"gender = F and (\": expected a condition, found the end of the expression "
        "(position 17)");
  // Expressions in order: the first one's unknown field before the second one's syntax error.
  CHECK(bind_error({"visits > 1 and bogus = 2", "gender ="}) ==
        "--where \"visits > 1 and bogus = 2\": unknown field \"bogus\" (position 16)");
  // And the same messages as WhereExpr::parse with the full resolver (the former second parse).
  for (const std::string t : {"bogus = 1 and (", "gender = F and (", "note = 1 or zz > 2"}) {
    std::string direct;
    try {
      WhereExpr::parse(t, [](std::string_view n) -> std::optional<FieldInfo> {
        auto r = full(n);
        return r ? std::optional<FieldInfo>(FieldInfo{0, r->type}) : std::nullopt;
      });
    } catch (const UsageError& e) {
      direct = e.what();
    }
    CHECK(bind_error({t}) == direct);
  }
}
