// The kind of an output column (SPEC §8.39), shared by the writers (io/table_writer, xlsx) and
// --mask (rules/mask): numbers are right-aligned and typed, only text cells are masked.
#pragma once
#include <string_view>

namespace kartoteka {

// Money and Decimal are both decimals (Money is shown with two decimals in xlsx), Integer a count;
// Id and Date are text to every writer but xlsx (real dates) and --mask (not free text).
enum class ColumnKind { Text, Id, Integer, Decimal, Money, Date, Boolean };

inline bool is_numeric(ColumnKind k) {
  return k == ColumnKind::Integer || k == ColumnKind::Decimal || k == ColumnKind::Money;
}

// The kind a column has by its exact title (§8.39): counts are Integer, the other numeric
// titles Decimal, `has_phone upcoming sms_consent purchased` Boolean, all else Text (never Id,
// Money or Date: default_column in model/column.h refines those).
ColumnKind column_kind(std::string_view title);

}  // namespace kartoteka
