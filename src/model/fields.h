// The field vocabulary of the inputs (SPEC §2.2, §2.3, §8.6, §8.7): every logical field, what it
// is as an output column and whether it is personal, the kinds of input file, and the alias table
// that maps a header title to a field. Pure data and lookups, shared by io/ (binding columns,
// inspect) and rules/ (field names, output columns, --mask).
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "model/column.h"

namespace kartoteka {

// Every logical field of every input kind. `branch` and `referrer_id` exist in patients and
// visits files alike.
enum class Field : uint8_t {
  id,
  name,
  last_name,
  first_name,
  middle_name,
  gender,
  birth_date,
  phone,
  email,
  sms_consent,
  registered,
  district,
  city,
  source,
  profession,
  branch,
  categories,
  referrer_id,
  need,
  activity_date,
  purchased,
  visit_id,
  patient_id,
  date,
  amount,
  bonus_paid,
  service,
  service_category,
  doctor,
  status,
  note,
  kCount
};
inline constexpr size_t kFieldCount = static_cast<size_t>(Field::kCount);

// List = a `--from` or `--exclude` list: its `id` and `phone` columns (§8.44, §8.53).
enum class FileKind { Patients, Visits, Adjustments, List };

// Canonical English name ("birth_date").
std::string_view field_name(Field f);
// The field with this canonical name, if any (exact, as typed on the command line).
std::optional<Field> field_by_name(std::string_view name);
// The output column of a field under its canonical name: its kind (§8.39, §3: `id` and
// `referrer_id` Id, the dates Date, `amount` Money, `sms_consent` Boolean, …) and whether --mask
// replaces it (name and its parts: Name; phone: Phone).
Column field_column(Field f);
// Personal data, never shown by `inspect` as an example (§6.8, §8.62): name and its parts,
// phone, email, birth_date and need — wider than what --mask replaces.
bool field_personal(Field f);
// True when `f` is a field of files of this kind.
bool kind_has_field(FileKind kind, Field f);

// The logical field a header title denotes in a file of this kind by SPEC §2.3's table
// (after §8.6 normalisation), with its rank (0 = canonical name; lower wins).
struct HeaderMatch {
  Field field;
  int rank;
};
std::optional<HeaderMatch> match_header(FileKind kind, std::string_view title);

// f's §2.3 headers in files of this kind (without the canonical name), in the table's order;
// empty when f is not a field of this kind.
std::vector<std::string_view> field_headers(FileKind kind, Field f);

}  // namespace kartoteka
