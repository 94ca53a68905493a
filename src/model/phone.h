// Phones to E.164 text (SPEC §2.5, §8.10).
#pragma once
#include <string>
#include <string_view>

namespace kartoteka {

// Normalises one phone number: reduced to its digits (a `+` counts only before the first digit);
// `+` with 8–15 digits → kept as written (`+8912…` stays); without `+`: 11 digits starting 7/8 or
// 10 digits starting 9 → `+7…`. Returns "" when unusable.
std::string normalize_phone(std::string_view one);

// A phone cell may hold several numbers separated by `,` or `;`. Returns the first Russian mobile
// (`+79` and 9 more digits), else the first valid one, else "". `unusable` (if given) is set to
// true when the cell is non-empty but yields no valid phone.
std::string pick_phone(std::string_view cell, bool* unusable = nullptr);

bool is_russian_mobile(std::string_view e164);

// Every usable number of a phone cell (split as pick_phone splits it), normalised, in cell order,
// appended to `out` `;`-joined (a `;` first when `out` is not empty). For matching stop lists
// against all of a patient's numbers (§6.6).
void append_phones(std::string_view cell, std::string& out);

}  // namespace kartoteka
