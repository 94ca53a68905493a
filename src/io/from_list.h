// `--from FILE|-`: a patient list whose other columns travel (SPEC §4, §8.42).
#pragma once
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "io/columns.h"
#include "io/diagnostics.h"
#include "model/patients.h"

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
  std::string_view value(uint32_t patient, size_t k) const;
};

// Reads the list (any dialect, encoding detected, §8.2, §8.42). The key column is the first of:
// `id` or a recognised patients id header; else `new_id`; else `referrer_id`. A cell written as
// `="…"` reads as its inner text. Unknown ids are warned about and dropped; an id listed again is
// ignored and counted in a warning. Throws InputError when there is no key column.
// `--col id=HEADER` (in `cols`) names the key column (§8.44); the list is offered to `usage`.
// `from_key` (--from-key, §6.9, §8.49, §8.55), when not empty, names the key column instead (it
// wins over --col id=): its title compared after §8.6 normalisation; a list without it is an
// InputError naming the list's columns; rows with an empty key are skipped and counted in a
// warning.
FromList read_from_list(const std::string& path, const PatientTable& patients, Diagnostics& diag,
                        const std::vector<ColOverride>& cols = {}, ColUsage* usage = nullptr,
                        std::string_view from_key = {});

}  // namespace kartoteka
