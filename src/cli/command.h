// Registering a command that takes the common options (§1): its options struct, with a `common`
// member, is made once, filled by CLI11 while the line is parsed, and handed to the command's run
// function when the command is the one chosen. One home for what each register_* repeated.
#pragma once
#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cli/common.h"

namespace kartoteka {

template <class Options>
struct CommandOf {
  CLI::App* cmd;                     // for the command's own options
  std::shared_ptr<Options> options;  // what CLI11 fills; run reads it
};

// Adds the command `name` with the common options, and its runner `run(options)` to `out`.
template <class Options>
CommandOf<Options> add_command(CLI::App& app, std::vector<std::pair<CLI::App*, CommandRunner>>& out,
                               const std::string& name, const std::string& description,
                               void (*run)(const Options&)) {
  auto o = std::make_shared<Options>();
  CLI::App* cmd = add_command(app, name, description, o->common);
  out.emplace_back(cmd, [o, run] { run(*o); });
  return {cmd, o};
}

}  // namespace kartoteka
