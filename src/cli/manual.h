// Manual pages kartoteka(1) and kartoteka-COMMAND(1) (SPEC §9), written from the same CLI11 tree
// that prints --help, so that the two cannot drift: the options (names, value names, meanings,
// defaults, allowed values, environment) and the footer (notes and examples) come from the tree;
// only what --help does not say is added beside each command's registration (ManualProse).
#pragma once
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "cli/common.h"

namespace kartoteka {

// What a command's page says beyond its --help. Paragraphs are separated by blank lines.
struct ManualProse {
  std::string description;  // what the command does, at more length than its one-line summary
  std::string output;       // the output columns and their order
};

// Attaches the prose to a registered command (call it in the command's register_* function).
void set_manual(const CLI::App& cmd, ManualProse prose);

// The page in man(7) roff: `cmd` = &app gives kartoteka(1), a command gives kartoteka-NAME(1).
std::string manual_page(const CLI::App& app, const CLI::App& cmd);

// Hidden `kartoteka manual [COMMAND] [--dir DIR]`: prints one page, or writes every page
// (kartoteka.1 and kartoteka-NAME.1 for each command) into DIR. The build runs it.
void register_manual(CLI::App& app, std::vector<std::pair<CLI::App*, CommandRunner>>& out);

}  // namespace kartoteka
