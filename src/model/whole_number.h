// Whole numbers typed on the command line (day counts §8.38, months, DAYS of --recall): the one
// parser, on std::from_chars. Digits only — no sign, no spaces, no decimal point — and at most
// `max_digits` of them (each option keeps the limit it documents).
#pragma once
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace kartoteka {

// "180" → 180; "", "-1", "+1", "1.5", " 1" or more than `max_digits` digits → nullopt.
inline std::optional<int64_t> parse_whole_number(std::string_view text, size_t max_digits) {
  if (text.empty() || text.size() > max_digits || text.size() > 18 || text[0] < '0' ||
      text[0] > '9')
    return std::nullopt;
  int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return v;
}

}  // namespace kartoteka
