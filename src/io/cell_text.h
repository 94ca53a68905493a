// Private to io/table_writer*.cpp: how one cell becomes bytes in each text format — csv/tsv
// quoting, jsonl strings and bare numbers, excel's identifier and formula guards, and the
// code-point width the table format pads by. Inline: they run once per cell.
#pragma once
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <string_view>

#include "io/table_writer.h"
#include "model/text.h"  // append_quoted

namespace kartoteka::cell_text {

inline bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// A number exactly as csv prints numeric columns and as JSON accepts it: -?(0|[1-9]d*)(.d+)?.
// Used to decide whether a numeric column's value may be written bare (jsonl) or with a decimal
// comma (excel); anything else in such a column is treated as text, so odd data can never produce
// invalid JSON or a spreadsheet formula.
inline bool is_plain_number(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  if (i == s.size() || !is_digit(s[i])) return false;
  if (s[i] == '0') {
    ++i;
  } else {
    while (i < s.size() && is_digit(s[i])) ++i;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (i == s.size() || !is_digit(s[i])) return false;
    while (i < s.size() && is_digit(s[i])) ++i;
  }
  return i == s.size();
}

// Number of code points; a byte that does not start a well-formed UTF-8 sequence counts as one.
inline size_t code_points(std::string_view s) {
  size_t n = 0;
  size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    size_t len = 1;
    if (b >= 0xC2 && b <= 0xDF) {
      len = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      len = 3;
    } else if (b >= 0xF0 && b <= 0xF4) {
      len = 4;
    }
    if (len > 1) {
      if (i + len > s.size()) {
        len = 1;
      } else {
        for (size_t k = 1; k < len; ++k) {
          if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) {
            len = 1;
            break;
          }
        }
      }
    }
    i += len;
    ++n;
  }
  return n;
}

// tsv and table cannot show line structure inside a cell: TAB, CR and LF become one space each,
// except that a CRLF pair (a Windows line break) becomes a single space.
inline void append_flattened(std::string& out, std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') {
      out += ' ';
      ++i;
    } else if (c == '\t' || c == '\r' || c == '\n') {
      out += ' ';
    } else {
      out += c;
    }
  }
}

inline void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (u < 0x20) {
          fmt::format_to(std::back_inserter(out), "\\u{:04x}", u);
        } else {
          out += c;  // non-ASCII stays raw UTF-8 (§8.40)
        }
    }
  }
  out += '"';
}

// A value a spreadsheet would turn into a number and so lose: leading zeros (`000123`), a `+`
// (`+79123456789`), or more than 15 digits (beyond double precision).
inline bool looks_like_identifier(std::string_view s) {
  const size_t start = (!s.empty() && s[0] == '+') ? 1 : 0;
  const size_t digits = s.size() - start;
  if (digits == 0) return false;
  for (size_t i = start; i < s.size(); ++i) {
    if (!is_digit(s[i])) return false;
  }
  return s[0] == '+' || s[0] == '0' || digits > 15;
}

// excel cell (§8.19): text rules (identifier protection, formula-injection guard) for non-numeric
// columns and for numeric columns whose value is not a plain number; decimal comma for numbers in
// Decimal columns; then csv quoting with `;`.
inline void append_excel_cell(std::string& out, std::string_view v, ColumnKind kind) {
  std::string cell;
  if (is_numeric(kind) && is_plain_number(v)) {
    cell.assign(v);
    if (kind != ColumnKind::Integer) std::replace(cell.begin(), cell.end(), '.', ',');
  } else if (looks_like_identifier(v)) {
    cell = fmt::format("=\"{}\"", v);
  } else if (!v.empty() && std::string_view{"=+-@\t\r"}.find(v[0]) != std::string_view::npos) {
    cell = fmt::format("'{}", v);
  } else {
    cell.assign(v);
  }
  append_quoted(out, cell, ';');
}

}  // namespace kartoteka::cell_text
