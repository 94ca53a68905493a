// Percentages typed on the command line (--cashback, --tiers, --what-if): exact, as integers
// scaled by 10^decimals, never floating point; the one parser of such decimals.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kartoteka {

// A percentage with at most `max_decimals` fraction digits (`.` or `,`), not negative, scaled by
// 10^max_decimals: parse_percent("7.5", 2) = 750. nullopt when it is not such a number.
std::optional<int64_t> parse_percent(std::string_view text, int max_decimals);
// Prints a scaled percentage as a plain number: 750 (2 decimals) → "7.5", 500 → "5".
std::string format_percent(int64_t scaled, int decimals);

}  // namespace kartoteka
