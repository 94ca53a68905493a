// split_template: the one `{field}` splitter of `sms --template` and `referrals --sms-template`
// (SPEC §6.5, §6.6, §8.28, §8.36). Expected parts and byte positions are counted by hand.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "rules/template.h"

using namespace kartoteka;

namespace {

// Each part as KIND:TEXT@POSITION (L literal, P placeholder, U unclosed).
std::vector<std::string> parts(std::string_view text) {
  std::vector<std::string> out;
  for (const TemplatePart& p : split_template(text)) {
    const char kind = p.kind == TemplatePart::Kind::literal       ? 'L'
                      : p.kind == TemplatePart::Kind::placeholder ? 'P'
                                                                  : 'U';
    out.push_back(std::string(1, kind) + ":" + std::string(p.text) + "@" +
                  std::to_string(p.position));
  }
  return out;
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("split_template: literals and placeholders with their 1-based byte positions") {
  CHECK(parts("Hello {name:ru}, {balance}") ==
        V{"L:Hello @1", "P:name:ru@7", "L:, @16", "P:balance@18"});
  CHECK(parts("") == V{});
  CHECK(parts("no fields") == V{"L:no fields@1"});
  // Spaces and tabs inside the braces are trimmed; an empty inside stays empty (sms rejects it).
  CHECK(parts("{ a }{\tb\t}{}{  }") == V{"P:a@1", "P:b@6", "P:@11", "P:@13"});
  // Positions count bytes: "Привет " is 13 bytes.
  CHECK(parts("Привет {first_name}!") == V{"L:Привет @1", "P:first_name@14", "L:!@26"});
}

TEST_CASE("split_template: stray braces") {
  // A `}` outside a placeholder is literal text, merged with its neighbours.
  CHECK(parts("a } b {x}") == V{"L:a } b @1", "P:x@7"});
  // A placeholder ends at the first `}` after its `{`, so it may hold a `{`.
  CHECK(parts("{a{b} c") == V{"P:a{b@1", "L: c@6"});
  // A `{` without a `}` after it: the rest is one unclosed part, the last one.
  CHECK(parts("x {a} {b {c") == V{"L:x @1", "P:a@3", "L: @6", "U:{b {c@7"});
  CHECK(parts("{") == V{"U:{@1"});
}
