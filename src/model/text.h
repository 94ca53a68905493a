// Text folding for case-insensitive comparison (SPEC §6.1, §8.6, §8.20), and the small text
// builders the values share: csv quoting, a formatter's string from its appender.
#pragma once
#include <algorithm>
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

// A cell the `excel` format wrote as `="000123"` reads as its inner text (000123; lists read
// back, §8.42); any other cell as it is.
inline std::string_view unexcel(std::string_view v) {
  if (v.size() >= 3 && v[0] == '=' && v[1] == '"' && v.back() == '"')
    return v.substr(2, v.size() - 3);
  return v;
}

// RFC 4180 quoting, only where needed (§8.17): the delimiter, `"`, CR or LF force quotes.
inline void append_quoted(std::string& out, std::string_view s, char delim) {
  // One pass with plain compares: find_first_of calls memchr once per character of `s`.
  const bool needs = std::any_of(s.begin(), s.end(), [delim](char c) {
    return c == '"' || c == '\r' || c == '\n' || c == delim;
  });
  if (!needs) {
    out += s;
    return;
  }
  out += '"';
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

// What `append(out, value)` writes, as a string of its own (format_date, format_money …).
template <class T>
std::string appended(void (*append)(std::string&, T), T value) {
  std::string out;
  append(out, value);
  return out;
}

// Number of Unicode code points (invalid bytes count one each).
size_t utf8_length(std::string_view s);

// True when the bytes are valid UTF-8 (no overlongs, no surrogates, ≤ U+10FFFF).
bool is_valid_utf8(std::string_view s);

}  // namespace kartoteka
