// Percentages: see percent.h.
#include "model/percent.h"

#include <fmt/format.h>

namespace kartoteka {

std::optional<int64_t> parse_percent(std::string_view text, int max_decimals) {
  size_t i = 0;
  int64_t whole = 0, frac = 0;
  int frac_digits = 0;
  size_t start = i;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    if (whole > 1'000'000'000) return std::nullopt;
    whole = whole * 10 + (text[i++] - '0');
  }
  if (i == start) return std::nullopt;
  if (i < text.size() && (text[i] == '.' || text[i] == ',')) {
    ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (++frac_digits > max_decimals) return std::nullopt;
      frac = frac * 10 + (text[i++] - '0');
    }
    if (frac_digits == 0) return std::nullopt;
  }
  if (i != text.size()) return std::nullopt;
  int64_t scale = 1;
  for (int d = 0; d < max_decimals; ++d) scale *= 10;
  for (int d = frac_digits; d < max_decimals; ++d) frac *= 10;
  return whole * scale + frac;
}

std::string format_percent(int64_t scaled, int decimals) {
  int64_t scale = 1;
  for (int d = 0; d < decimals; ++d) scale *= 10;
  std::string out = fmt::format("{}", scaled / scale);
  int64_t frac = scaled % scale;
  if (frac == 0) return out;
  std::string f = fmt::format("{:0{}}", frac, decimals);
  while (f.back() == '0') f.pop_back();
  return out + "." + f;
}

}  // namespace kartoteka
