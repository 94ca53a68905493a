// `--from FILE|-`: a patient list whose other columns travel (SPEC §4, §8.42).
#pragma once
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "io/columns.h"
#include "io/diagnostics.h"
#include "io/input.h"
#include "model/from_list.h"
#include "model/patients.h"

namespace kartoteka {

// Reads the list (any dialect, encoding detected, §8.2, §8.42). The key column is the first of:
// `id` or a recognised patients id header; else `new_id`; else `referrer_id`. A cell written as
// `="…"` reads as its inner text. Unknown ids are warned about and dropped; an id listed again is
// ignored and counted in a warning. Throws InputError when there is no key column.
// `--col id=HEADER` (in `cols`) names the key column (§8.44); the list is offered to `usage`.
// `from_key` (--from-key, §6.9, §8.49, §8.55), when not empty, names the key column instead (it
// wins over --col id=): its title compared after §8.6 normalisation; a list without it is an
// InputError naming the list's columns; rows with an empty key are skipped and counted in a
// warning.
FromList read_from_list(const Input& input, const PatientTable& patients, Diagnostics& diag,
                        const std::vector<ColOverride>& cols = {}, ColUsage* usage = nullptr,
                        std::string_view from_key = {});

}  // namespace kartoteka
