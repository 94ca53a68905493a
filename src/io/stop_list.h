// Reading `sms --exclude FILE` stop lists (SPEC §6.6, §8.44, §8.49, §8.53) into a StopList
// (rules/stop_list.h, where the matching is).
//
// Two shapes, as gateways export them:
// - a csv in any dialect of §2.1 (encoding and delimiter detected, BOM, `="…"` excel cells
//   unwrapped) with a phone column (`phone` or a recognised phone header: every such column) and/or
//   an id column (`id` or a recognised patients id header — never `new_id`/`referrer_id`);
//   `--col phone=HEADER` / `--col id=HEADER` name them instead;
// - a bare list, one phone per non-empty line: a first line of one field that is neither header
//   starts it, and is itself a phone.
// Every number of a phone cell (split at `,` `;`) is listed, normalised by §2.5; a value that is
// not a usable phone is warned about (file:line) and ignored. Ids compare exactly after trimming.
// A stop list is never a reason to send more: an empty file, or a first line of several fields
// with neither column, is an InputError; so is a bad row (unless --skip-bad-rows).
#pragma once
#include <string>
#include <vector>

#include "io/columns.h"
#include "io/diagnostics.h"
#include "rules/stop_list.h"

namespace kartoteka {

// Adds what `path` lists to `into`; notes how many phones and ids it listed.
void read_stop_list(const std::string& path, const std::vector<ColOverride>& cols, StopList& into,
                    Diagnostics& diag);

}  // namespace kartoteka
