// Typed cells of the exports, shared by the readers of load.cpp and adjustments.cpp and by
// inspect: which columns hold a typed field, in column order (the first bad cell of a row is the
// leftmost, §8.12), and how a bad one is described (§5).
#pragma once
#include <algorithm>
#include <iterator>
#include <optional>
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

// Every typed field of the inputs and how its cells are read: the patients' dates and yes/no
// cells (§2.4), the visits' and adjustments' date (never empty, §8.9, §8.32), amounts and status
// (§2.6). A file's column map holds only the fields of its own kind.
inline constexpr std::pair<Field, CellType> kTypedFields[] = {
    {Field::birth_date, CellType::Date},    {Field::registered, CellType::Date},
    {Field::activity_date, CellType::Date}, {Field::sms_consent, CellType::Bool},
    {Field::purchased, CellType::Bool},     {Field::date, CellType::RequiredDate},
    {Field::amount, CellType::Money},       {Field::bonus_paid, CellType::Money},
    {Field::status, CellType::Status}};

// How a field's cells are read; nullopt for a text field.
inline std::optional<CellType> cell_type(Field f) {
  for (auto [typed, t] : kTypedFields)
    if (typed == f) return t;
  return std::nullopt;
}

// A file's typed columns in column order, so the first bad cell of a row is the leftmost (§8.12).
inline std::vector<TypedColumn> typed_columns(const ColumnMap& m) {
  std::vector<TypedColumn> out;
  for (auto [f, t] : kTypedFields)
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
  static_assert(std::size(kProblems) == static_cast<size_t>(CellType::Status) + 1);
  return kProblems[static_cast<size_t>(t)];
}

// A field's cell of a record ("" when the file has no such column).
inline std::string_view cell(const Record& r, const ColumnMap& m, Field f) {
  int c = m[f];
  return c == ColumnMap::kAbsent ? std::string_view{} : r.fields[c];
}

}  // namespace kartoteka::io_detail
