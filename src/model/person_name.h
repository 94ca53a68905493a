// A person's full name and its parts (SPEC §2.2, §8.14): the one place that splits a name.
#pragma once
#include <string_view>

namespace kartoteka {

struct NameParts {
  std::string_view last, first, middle;
};

// The parts a full name gives when its own part columns are empty (§8.14): words are separated by
// spaces and tabs; word 1 = last, word 2 = first, the rest from word 3 on (as written, trimmed) =
// middle. A part the name is too short for is empty. The parts are views into `name`.
NameParts split_name(std::string_view name);

}  // namespace kartoteka
