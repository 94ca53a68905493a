// The kind of an output column (SPEC §8.39), shared by the writers (io/table_writer, xlsx) and
// --mask (rules/mask): numbers are right-aligned and typed, only text cells are masked.
#pragma once
#include <string_view>

namespace kartoteka {

enum class ColumnKind { Text, Integer, Decimal, Boolean };

// The kind a column has by its exact title (§8.39): counts are Integer, the other numeric
// titles Decimal, `has_phone upcoming sms_consent purchased` Boolean, all else Text.
ColumnKind column_kind(std::string_view title);

}  // namespace kartoteka
