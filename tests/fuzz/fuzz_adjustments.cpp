// Fuzz harness: read_adjustments (SPEC §6.5, §8.33) over arbitrary bytes, with and without
// --skip-bad-rows (chosen by the input's length). Only InputError may escape; every adjustment
// returned has a date and a line number.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "io/diagnostics.h"
#include "io/load.h"
#include "model/errors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kartoteka;
  const Input file =
      Input::memory(std::string(reinterpret_cast<const char*>(data), size), "fuzz.csv");
  InputOptions opt;
  opt.encoding = size % 3 == 0 ? Encoding::Utf8 : Encoding::Auto;
  Diagnostics diag(/*quiet=*/true, /*skip_bad_rows=*/size % 2 == 1);
  try {
    auto adj = read_adjustments(file, opt, diag);
    for (const auto& a : adj)
      if (a.date == kNoDay || a.line < 1) std::abort();
  } catch (const InputError&) {
  }
  return 0;
}
