// `{field}` message templates: the one splitter behind `sms --template` (SPEC §6.6, §8.36,
// §8.56) and `referrals --sms-template` (§6.5, §8.28). It only finds the pieces; what a field
// name means, `:ru`, and which pieces are errors stay with each command, whose rules differ:
//
//   sms        `{` without `}` and `{}` are usage errors; `{name:ru}` formats the value
//   referrals  `{` without `}` is literal text; only §8.28's names, taken as written
//
//   split_template("Hello {name:ru}, {balance}") →
//     literal "Hello " @1, placeholder "name:ru" @7, literal ", " @16, placeholder "balance" @18
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace kartoteka {

struct TemplatePart {
  enum class Kind : uint8_t {
    literal,      // text as written (a `}` outside a placeholder is literal)
    placeholder,  // `{…}` up to the first `}` after the `{`: text is the inside, spaces and tabs
                  // around it trimmed (it may hold a `{`: `{a{b}` is the placeholder `a{b`)
    unclosed,     // a `{` with no `}` after it: text is the rest of the template from that `{`;
                  // always the last part
  };
  Kind kind;
  std::string_view text;  // a view into the template
  size_t position;        // 1-based byte position of the part's first byte (a placeholder's `{`)
};

// The parts of `text` in order; no empty literal, no two literals in a row.
std::vector<TemplatePart> split_template(std::string_view text);

}  // namespace kartoteka
