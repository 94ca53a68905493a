// Text folding for case-insensitive comparison (SPEC §6.1, §8.6, §8.20).
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace kartoteka {

// Lower-cases every Unicode letter that has a simple lower-case mapping (Latin, Latin-1,
// Cyrillic incl. Ё/Є/І…, Greek, …) and maps ё→е (Ё→е). Invalid UTF-8 bytes pass through unchanged.
std::string fold(std::string_view utf8);

// Header normalisation (§8.6): trim, fold, every run of `_` `-` `.` and whitespace becomes one
// space, trim again (`Моб.` → `моб`, `Номер_карты` → `номер карты`).
std::string normalize_header(std::string_view title);

// Trim of spaces and tabs only (NBSP is not trimmed).
std::string_view trim(std::string_view s);

// Number of Unicode code points (invalid bytes count one each).
size_t utf8_length(std::string_view s);

// True when the bytes are valid UTF-8 (no overlongs, no surrogates, ≤ U+10FFFF).
bool is_valid_utf8(std::string_view s);

}  // namespace kartoteka
