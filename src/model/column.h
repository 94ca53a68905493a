// An output column as the rule that makes it knows it: its title, its kind (how writers render
// its cells, §8.39, §8.61) and whether it names a person (what --mask replaces). Rules that say
// nothing get default_column(title): the kind and the personal flag a title has always had.
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

// By exact title: name, first_name, last_name, middle_name, referrer_name, new_name (and the
// titles a patients export uses for them, e.g. `ФИО`, `Фамилия`) → Name; phone, referrer_phone
// (and `Телефон`, …) → Phone; anything else → None.
MaskKind mask_kind(std::string_view title);

// The column a title has by default: column_kind(title), refined — money titles Money, date
// titles Date, `id new_id referrer_id` Id — and mask_kind(title).
Column default_column(std::string_view title);
std::vector<Column> default_columns(const std::vector<std::string>& titles);
std::vector<std::string> column_titles(const std::vector<Column>& columns);

}  // namespace kartoteka
