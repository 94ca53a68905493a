// Small enumerated cell values: booleans, gender, visit status (SPEC §2.4, §2.6, §8.11).
// All compare trimmed, case-insensitively, with ё = е (but not the header separator rule).
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kartoteka {

// Three-valued boolean cell: empty = Unknown (which is "not true").
enum class Tri : unsigned char { Unknown, False, True };

// true = `1 да д yes y true истина +`; false = `0 нет н no n false ложь -`; empty = Unknown.
// Returns false for any other value (a bad value).
bool parse_bool(std::string_view cell, Tri& out);

// Gender: `М м M m муж мужской male` → 'M'; `Ж ж F f жен женский female` → 'F'; anything else
// (also empty) → 0. Never a bad value.
char parse_gender(std::string_view cell);

enum class Status : unsigned char { Completed, Cancelled, NoShow, Planned };

// Parses a status KIND name given to --status: completed, cancelled, no_show, planned.
std::optional<Status> parse_status_kind(std::string_view kind);
// The KIND name of a status: completed, cancelled, no_show, planned.
std::string_view status_kind_name(Status kind);

// The status vocabulary: the built-in table of SPEC §2.6 plus --status VALUE=KIND overrides
// (an override wins over the built-in meaning of the same value).
class StatusTable {
 public:
  StatusTable();
  void teach(std::string_view value, Status kind);
  // Empty → Completed. nullopt for an unknown value (a bad value).
  std::optional<Status> classify(std::string_view cell) const;

 private:
  std::vector<std::pair<std::string, Status>> entries_;  // folded value → kind
};

}  // namespace kartoteka
