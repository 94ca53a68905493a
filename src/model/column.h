// An output column as the rule that makes it knows it: its title, its kind (how writers render
// its cells, §8.39, §8.61) and whether it names a person (what --mask replaces). Every rule states
// its columns where it fills their cells (RowSink::columns, Table::columns); a patient field's
// column comes from the field vocabulary (field_column in model/fields.h, rules/patient_fields.h).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "model/column_kind.h"

namespace kartoteka {

// How --mask treats a column: not personal, a person's name, or a phone.
enum class MaskKind { None, Name, Phone };

struct Column {
  std::string title;
  ColumnKind kind = ColumnKind::Text;
  MaskKind personal = MaskKind::None;
};

// Makers for a rule's column list, so that it reads as SPEC lists the columns:
//   {col::date("date"), col::id("id"), col::count("visits"), col::money("spent")}
// (`id`: a column whose cells are patients' cards; `name`/`phone`: text that --mask replaces.)
namespace col {
template <ColumnKind K, MaskKind M = MaskKind::None>
struct Maker {
  Column operator()(std::string_view title) const { return Column{std::string(title), K, M}; }
};
inline constexpr Maker<ColumnKind::Text> text;
inline constexpr Maker<ColumnKind::Id> id;
inline constexpr Maker<ColumnKind::Integer> count;
inline constexpr Maker<ColumnKind::Decimal> decimal;
inline constexpr Maker<ColumnKind::Money> money;
inline constexpr Maker<ColumnKind::Date> date;
inline constexpr Maker<ColumnKind::Boolean> boolean;
inline constexpr Maker<ColumnKind::Text, MaskKind::Name> name;
inline constexpr Maker<ColumnKind::Text, MaskKind::Phone> phone;
}  // namespace col

// The column of a title that comes from the user's input file — and only such a title: a --from
// list's travelling columns (§8.42) and a `--fields`/`--by` name that is a --from or other
// patients column. Their header text is the user's, so no rule can state what the column is;
// §8.39 recognises a column by its exact title, so a list written by kartoteka keeps its kinds
// when it travels (`visits` from a segment list is still a count). By exact title: §8.39's and
// §8.51's numeric titles (money §8.61), §3's dates, `id new_id referrer_id` Id, the booleans;
// mask_kind(title) for the personal flag.
Column default_column(std::string_view title);

// The personal flag of an input-file title (as default_column): a patients-export header of
// name, its parts or phone (`ФИО`, `Телефон`, `name`, …; §2.3) and the titles kartoteka's own
// referral lists give them (`referrer_name`, `new_name`, `referrer_phone`) → Name / Phone.
MaskKind mask_kind(std::string_view title);

std::vector<std::string> column_titles(const std::vector<Column>& columns);

}  // namespace kartoteka
