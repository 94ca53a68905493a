// What each column of an input file is to kartoteka (for `inspect`, SPEC §6.8, §8.62): the
// logical field it feeds (§2.2, §2.3, §8.44, §8.45), how its cells are validated, and whether its
// values are personal (never shown as an example).
#pragma once
#include <string>
#include <vector>

#include "io/columns.h"

namespace kartoteka {

// The inputs inspect reads, in the order it lists them (§8.62).
enum class InspectKind { Patients, Visits, Adjustments, From, Exclude };
// The alias table an input of this kind is read with (--from and --exclude: List).
FileKind file_kind_of(InspectKind kind);

// How a column's cells are checked; `bad` counts the cells that fail (§8.62).
enum class CellCheck {
  None,          // any text
  Date,          // §2.4 date or empty
  RequiredDate,  // §2.4 date, not empty (visits and adjustments `date`, §8.9, §8.32)
  Money,         // §2.4 money (empty = 0)
  Bool,          // §2.4 boolean or empty
  Status,        // §2.6 status or a --status VALUE
  Phone,         // empty, or a cell with at least one usable number (§2.5)
  Required,      // not empty (visits `patient_id`, a list's card column)
  PatientId,     // not empty, and not a card number already seen in the file (§2.6, §8.12)
};

struct ColumnRole {
  // The logical field's name, `-` for a column kept as it is (an extra or travelling column), or
  // `ignored: FIELD read from "HEADER"` when another column of the file feeds FIELD.
  std::string field;
  CellCheck check = CellCheck::None;
  bool personal = false;  // its values are never shown (§6.8, §8.62)
};

// One role per column of `header`, for a file of `kind`, with the --col overrides.
std::vector<ColumnRole> column_roles(InspectKind kind, const std::vector<std::string>& header,
                                     const std::vector<ColOverride>& cols);

// A --exclude list whose first line is one field that is neither an id nor a phone header: a
// bare list, one phone per line, that first line included (§8.53).
bool bare_phone_list(InspectKind kind, const std::vector<std::string>& header,
                     const std::vector<ColOverride>& cols);

// A title that names personal data (§8.62): a header of name and its parts, phone, email,
// birth_date or need (§2.3), or a list column such as `name`, `referrer_name`, `new_name`, `ФИО`,
// `referrer_phone`, or a message text (`text`, `sms_text`: it greets the patient by name).
bool personal_title(std::string_view title);

}  // namespace kartoteka
