// Reading `sms --exclude FILE` stop lists (SPEC §6.6, §8.44, §8.49, §8.53) into a StopList
// (rules/stop_list.h, where the matching is).
//
// Read like `--from` lists (io/list_reader.h), in two shapes, as gateways export them:
// - a csv in any dialect of §2.1 (encoding and delimiter detected, BOM, `="…"` excel cells
//   unwrapped) or jsonl (first non-blank byte `{`; its keys are the columns; a non-scalar value is
//   an InputError naming the line), with a phone column (`phone` or a recognised phone header:
//   every such column) and/or an id column (`id` or a recognised patients id header — never
//   `new_id`/`referrer_id`); `--col phone=HEADER` / `--col id=HEADER` name them instead;
// - a bare list, one phone per non-empty line: a first csv line of one field that is neither header
//   starts it, and is itself a phone (a jsonl list has no bare shape: one unknown key is an error).
// Every number of a phone cell (split at `,` `;`) is listed, normalised by §2.5; a value that is
// not a usable phone is warned about (file:line) and ignored. Ids compare exactly after trimming.
// A stop list is never a reason to send more: an empty file, or a first line of several fields
// (or a jsonl list) with neither column, is an InputError; so is a bad row (unless
// --skip-bad-rows).
#pragma once
#include <string>
#include <vector>

#include "io/columns.h"
#include "io/diagnostics.h"
#include "io/input.h"
#include "rules/stop_list.h"

namespace kartoteka {

// Adds what `input` (a path or bytes, io/input.h) lists to `into`; notes how many phones and ids it
// listed. The list's header is offered to `usage` (may be null), so that a --col only a stop list
// has is no error (§8.44).
void read_stop_list(const Input& input, const std::vector<ColOverride>& cols, StopList& into,
                    Diagnostics& diag, ColUsage* usage = nullptr);

}  // namespace kartoteka
