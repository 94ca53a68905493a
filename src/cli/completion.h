// Shell completion for bash, zsh and fish (SPEC §9), generated from the CLI11 tree: commands,
// each command's options, the values of options that check against a set (--format, --encoding,
// --delimiter, --scheme …), file names after FILE options, and field names after FIELD,...
// options (--by, --fields) and inside an EXPR (--where), read from the header of the patients
// file the command line names (or KARTOTEKA_PATIENTS) by the hidden `kartoteka fields`.
#pragma once
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "cli/common.h"

namespace kartoteka {

// The script for `shell` (bash, zsh or fish).
std::string completion_script(const CLI::App& app, const std::string& shell);

// `kartoteka completion bash|zsh|fish` and the hidden `kartoteka fields [--patients FILE]`
// (the field names --where/--by/--fields accept for that file, one a line).
void register_completion(CLI::App& app, std::vector<std::pair<CLI::App*, CommandRunner>>& out);

}  // namespace kartoteka
