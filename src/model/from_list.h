// A `--from` list in memory (SPEC §4, §8.42): which known patients it lists, in its order, and
// the columns that travel with them. Read by io/from_list.h; used by rules without files.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kartoteka {

struct FromList {
  std::vector<std::string> titles;  // travelling columns: every column but the key, file order
  std::vector<uint32_t> order;      // listed known patients, list order, first listing only
  std::vector<std::vector<std::string>> rows;     // travelling values, parallel to `order`
  std::unordered_map<uint32_t, uint32_t> row_of;  // patient index → position in `order`
  // The key column: its title as written, and whether it is an `id` column (`id` or a recognised
  // patients id header) — `sms` refuses other keys unless --from-key chose one (§6.9).
  std::string key_title;
  bool key_is_id = false;
  bool key_chosen = false;  // named by --from-key
  // Columns that could name patients (id, new_id, referrer_id, recognised id headers), file
  // order: what a refusal suggests for --from-key.
  std::vector<std::string> key_candidates;

  bool contains(uint32_t patient) const { return row_of.count(patient) != 0; }
  // The travelling value of column k for a patient ("" when not listed).
  std::string_view value(uint32_t patient, size_t k) const {
    auto it = row_of.find(patient);
    return it == row_of.end() ? std::string_view{} : std::string_view(rows[it->second][k]);
  }
};

}  // namespace kartoteka
