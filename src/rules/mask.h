// `--mask` (privacy): names and phones in an output are replaced by stable pseudonyms, so a list
// can be shown, shared or tested on without patient data. Pure functions of (key, value):
// the same value always gives the same pseudonym, distinct values give distinct pseudonyms with
// high probability (a 64-bit keyed hash, SipHash-2-4), and an empty value stays empty.
//
//   MaskKey key = mask_key_from_env();  // cli/mask_key.h: KARTOTEKA_MASK_KEY, else built-in
//   mask_name(key, "Орлова Наталья");   // "Пациент-1f0c9a3e"
//   mask_phone(key, "+79123456789");    // "+7999XXXXXXX" (7 digits from the hash)
//   mask_table(table, key, lookup);     // every name / phone column, and those values in free text
//   RowMasker m(columns, key, lookup);  // the same, one streamed row at a time: m.mask(row);
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/column.h"
#include "rules/table.h"

namespace kartoteka {

struct MaskKey {
  uint64_t k0 = 0, k1 = 0;
  // Derives the 128-bit key from a secret text (any length).
  static MaskKey from_secret(std::string_view secret);
};

// The built-in secret, used when the user gives none (stable across runs and machines, but
// public). Reading the user's secret from the environment is the command layer's
// (cli/mask_key.h): rules read no environment.
inline constexpr std::string_view kDefaultMaskSecret = "kartoteka --mask v1";

// SipHash-2-4 of `data` under `key`.
uint64_t mask_hash(const MaskKey& key, std::string_view data);

// "" → ""; otherwise "Пациент-" and 8 lower-case hex digits of the keyed hash of the value.
std::string mask_name(const MaskKey& key, std::string_view value);
// "" → ""; otherwise "+7999" and 7 digits derived from the keyed hash of the value (a Russian
// mobile in E.164, so the masked list still passes phone checks downstream).
std::string mask_phone(const MaskKey& key, std::string_view value);

// MaskKind and the columns' personal flags: model/column.h.

// The names and phones a row is about, beyond its own columns (e.g. the patient behind an `id`
// column), so that they are masked inside free-text cells too (an SMS text that says the name).
using MaskLookup =
    std::function<void(const std::vector<std::string>& titles, const std::vector<std::string>& row,
                       std::vector<std::pair<std::string, MaskKind>>& out)>;

// Masks the rows of one output one at a time (streamed lists): every Name / Phone column; in the
// other text cells of a row, every occurrence of one of the row's masked values (its own
// columns' and those `lookup` adds) is replaced by its pseudonym as well. Numeric, boolean and id
// columns are left alone. How each column is treated is decided once, from the columns' personal
// flags and kinds (free text: Text and Date columns) as the rule stated them: a column is masked
// because its rule says it names a person, never because of its title.
class RowMasker {
 public:
  RowMasker(const std::vector<Column>& columns, const MaskKey& key, MaskLookup lookup = {});
  void mask(std::vector<std::string>& row);

 private:
  std::vector<std::string> titles_;
  MaskKey key_;
  MaskLookup lookup_;
  std::vector<MaskKind> kinds_;
  std::vector<bool> free_text_;
  std::vector<std::pair<std::string, MaskKind>> secrets_;  // reused per row
};

// Every row of the table through one RowMasker.
void mask_table(Table& table, const MaskKey& key, const MaskLookup& lookup = {});

}  // namespace kartoteka
