// Typed cells of the exports, shared by the readers of load.cpp and adjustments.cpp: which
// columns hold a typed field, in column order (the first bad cell of a row is the leftmost,
// §8.12), and how a bad one is described (§5).
#pragma once
#include <algorithm>
#include <initializer_list>
#include <string_view>
#include <utility>
#include <vector>

#include "io/columns.h"
#include "io/record_reader.h"

namespace kartoteka::io_detail {

enum class CellType { Date, RequiredDate, Money, Bool, Status };

struct TypedColumn {
  int col;
  Field field;
  CellType type;
};

// Typed columns in column order, so the first bad cell of a row is the leftmost (§8.12).
inline std::vector<TypedColumn> typed_columns(
    const ColumnMap& m, std::initializer_list<std::pair<Field, CellType>> fields) {
  std::vector<TypedColumn> out;
  for (auto [f, t] : fields)
    if (m.has(f)) out.push_back({m[f], f, t});
  std::sort(out.begin(), out.end(),
            [](const TypedColumn& a, const TypedColumn& b) { return a.col < b.col; });
  return out;
}

inline std::string_view problem_of(CellType t) {
  // Indexed by CellType.
  static constexpr std::string_view kProblems[] = {
      "is not a valid date", "is not a valid date", "is not a valid amount of money",
      "is not a valid boolean (use да/нет, yes/no, 1/0)",
      "is not a known status (teach it with --status VALUE=completed|cancelled|no_show|planned)"};
  return kProblems[static_cast<size_t>(t)];
}

// A field's cell of a record ("" when the file has no such column).
inline std::string_view cell(const Record& r, const ColumnMap& m, Field f) {
  int c = m[f];
  return c == ColumnMap::kAbsent ? std::string_view{} : r.fields[c];
}

}  // namespace kartoteka::io_detail
