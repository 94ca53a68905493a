// A list written as jsonl — kartoteka's own `--format jsonl` (SPEC §3, §8.40) — read as a
// table (§6.9): one JSON object per line, its keys the columns.
//
//   {"id":"101","name":"Орлова Наталья","visits":9,"has_phone":true,"note":null}
//
// Values may be strings (unescaped), numbers (their text as written: `7800.00`, `-5`, `1e3`),
// booleans (`true`/`false`) and null (an empty cell). An array or object value, or a line that is
// not one well-formed JSON object, is an input error naming the line. Blank lines are skipped.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kartoteka {

// True when the first byte that is not a space, TAB, CR or LF (after a UTF-8 BOM) is `{`: how a
// list says it is jsonl (§6.9). `head` may be just the start of the input.
bool looks_like_jsonl(std::string_view head);

// One line's object as (key, value) pairs in the order written. Throws InputError
// `name:line: …` when the line is not one JSON object of scalar values, or repeats a key.
std::vector<std::pair<std::string, std::string>> parse_jsonl_object(std::string_view line,
                                                                    const std::string& name,
                                                                    int64_t line_no);

struct JsonlTable {
  // Every key of every object, in the order first seen.
  std::vector<std::string> header;
  struct Row {
    int64_t line = 0;                 // physical line (1-based)
    std::vector<std::string> values;  // per header column; "" when the object lacks the key
  };
  std::vector<Row> rows;
};

// Parses a whole jsonl text (a leading UTF-8 BOM is dropped; LF or CRLF line ends). Throws
// InputError naming `name` and the line; also when no line holds an object (no header).
JsonlTable parse_jsonl(std::string_view text, const std::string& name);

}  // namespace kartoteka
