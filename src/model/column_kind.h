// The kind of an output column (SPEC §8.39), shared by the writers (io/table_writer, xlsx) and
// --mask (rules/mask): numbers are right-aligned and typed, only text cells are masked. The rule
// that makes a column states its kind (model/column.h).
#pragma once

namespace kartoteka {

// Money and Decimal are both decimals (Money is shown with two decimals in xlsx), Integer a count;
// Id and Date are text to every writer but xlsx (real dates) and --mask (not free text; an Id
// names a patient whose name and phone are masked in the row's free text).
enum class ColumnKind { Text, Id, Integer, Decimal, Money, Date, Boolean };

inline bool is_numeric(ColumnKind k) {
  return k == ColumnKind::Integer || k == ColumnKind::Decimal || k == ColumnKind::Money;
}

}  // namespace kartoteka
