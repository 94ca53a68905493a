// The columns a rule states, in one line to compare with the kinds written out from SPEC
// (§8.39, §8.51, §8.60, §8.61, §3): `title:kind`, `/name` or `/phone` when --mask replaces it.
//   kinds_of(t.columns) == "id:id name:text/name phone:text/phone visits:int spent:money"
#pragma once
#include <string>
#include <vector>

#include "model/column.h"

namespace kartoteka::test {

inline std::string kinds_of(const std::vector<Column>& columns) {
  static const char* const kKinds[] = {"text", "id", "int", "decimal", "money", "date", "bool"};
  std::string out;
  for (const Column& c : columns) {
    if (!out.empty()) out += ' ';
    out += c.title + ':' + kKinds[static_cast<int>(c.kind)];
    if (c.personal == MaskKind::Name) out += "/name";
    if (c.personal == MaskKind::Phone) out += "/phone";
  }
  return out;
}

}  // namespace kartoteka::test
