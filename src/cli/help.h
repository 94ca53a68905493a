// The command line around the commands (SPEC §6.9, §8.63): common options standing before the
// command, "did you mean" for an unknown command or option, and `kartoteka help [COMMAND]`.
#pragma once
#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/common.h"

namespace kartoteka {

// The name of `known` closest to `typed` by edit distance (a transposition counts as one edit),
// or "" when none is close enough to be a likely typo. A known name containing `typed` (3+
// characters) counts as close. Leading dashes are ignored in the comparison.
std::string closest_name(std::string_view typed, const std::vector<std::string>& known);

// The commands a user sees, in registration order (hidden helpers are left out).
std::vector<const CLI::App*> visible_commands(const CLI::App& app);

// Every spelling of a command's options (`--where`, `-o`, `--output` …), help flag included.
std::vector<std::string> option_names(const CLI::App& cmd);

// An option's value name as help shows it (`FORMAT`), "" for a flag.
std::string value_name(const CLI::Option& opt);
// The values an option accepts when it checks them against a set (CLI::IsMember), else empty.
std::vector<std::string> allowed_values(const CLI::Option& opt);

// `args` is the command line without the program name. Options standing before the command move
// to just after it, so `--patients P rfm --summary` reads as `rfm --patients P --summary`. Throws
// UsageError for an unknown command, or an option before the command that no command has, naming
// the closest known one. A command line without a command, or with the program's own --help or
// --version first, is returned unchanged (CLI11 answers those).
std::vector<std::string> move_options_after_command(const CLI::App& app,
                                                    std::vector<std::string> args);

// Parses the command line. Returns the exit code when the run ends here (help or version shown,
// or a usage error reported on stderr), nullopt when the parsed command is to be run.
std::optional<int> parse_command_line(CLI::App& app, int argc, char** argv);

// The help text of `cmd` exactly as `kartoteka CMD --help` prints it (`cmd` = the app: the
// program's help).
std::string help_text(const CLI::App& app, const CLI::App& cmd);

// `kartoteka help [COMMAND]`: the command's manual page through `man` when stdout is a terminal
// and the page is installed, else its --help (§8.63).
void register_help(CLI::App& app, std::vector<std::pair<CLI::App*, CommandRunner>>& out);

}  // namespace kartoteka
