// Which column of an export holds which logical field (SPEC §2.2, §2.3, §8.6, §8.7).
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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
// True when `f` is a field of files of this kind.
bool kind_has_field(FileKind kind, Field f);

// The logical field a header title denotes in a file of this kind by SPEC §2.3's table
// (after §8.6 normalisation), with its rank (0 = canonical name; lower wins).
struct HeaderMatch {
  Field field;
  int rank;
};
std::optional<HeaderMatch> match_header(FileKind kind, std::string_view title);

// `--col FIELD=HEADER`.
struct ColOverride {
  Field field;
  std::string header;  // as given
};

struct ColumnMap {
  static constexpr int kAbsent = -1;
  std::array<int, kFieldCount> col;  // column index per field, or kAbsent
  // Notes for stderr: which column was used when several matched one field.
  std::vector<std::string> notes;
  // Columns bound to no logical field ("other columns"), in file order.
  std::vector<int> others;
  // Every column read for `phone` (§8.45: all the headers that match it, in §2.3's order; of
  // equal titles the leftmost), phones[0] == col[phone]; only the --col column under --col
  // phone=HEADER. Empty when the file has no phone column.
  std::vector<int> phones;

  int operator[](Field f) const { return col[static_cast<size_t>(f)]; }
  bool has(Field f) const { return (*this)[f] != kAbsent; }
};

// Binds header titles to fields: --col overrides first (those whose HEADER is among the titles
// and whose FIELD belongs to this kind), then the alias table, best rank first, leftmost on ties.
// `phone` binds every matching header (§8.45: see ColumnMap::phones).
// `file` names the file in notes. Never throws: required fields are checked by require().
ColumnMap map_columns(FileKind kind, const std::vector<std::string>& header,
                      const std::vector<ColOverride>& overrides, const std::string& file);

// True when some override's HEADER matches a title of `header` for a field of `kind`.
bool override_applies(FileKind kind, const std::vector<std::string>& header, const ColOverride& o);

// Throws InputError naming the field, the file, the headers seen and the --col that fixes it.
void require(const ColumnMap& map, Field f, const std::vector<std::string>& header,
             const std::string& file, FileKind kind);

// The --col option that would read field `f` from a file with these headers (§8.44: only an
// option that fixes it): `--col date="Дата операции"` when exactly one column not bound to a
// field (`bound`, may be null) shares a word with f's name or its §2.3 headers, else
// `--col date=HEADER`.
std::string col_suggestion(Field f, FileKind kind, const std::vector<std::string>& header,
                           const ColumnMap* bound);

// Which --col overrides some input file has used (§8.44: an override applies to every input
// that has its FIELD and a column titled HEADER; it is an error only when no input has one).
// Every input file is offered once its header is known; check() comes after the last one.
class ColUsage {
 public:
  void offer(FileKind kind, const std::vector<std::string>& header, const std::string& file,
             const std::vector<ColOverride>& cols);
  // Throws InputError for the first override no offered file had, naming the files read.
  void check(const std::vector<ColOverride>& cols) const;

 private:
  std::vector<bool> used_;
  std::vector<std::string> files_;
};

}  // namespace kartoteka
