// Which column of an export holds which logical field (SPEC §2.2, §2.3, §8.6, §8.7); the field
// vocabulary itself (Field, FileKind, match_header) is in model/fields.h.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/fields.h"

namespace kartoteka {

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
