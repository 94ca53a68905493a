// sleeping — not built yet: answers "not implemented yet" (exit 2), never made-up results.
#include "cli/common.h"
#include "model/errors.h"

namespace kartoteka {

void register_sleeping(CLI::App& app, std::vector<std::pair<CLI::App*, CommandRunner>>& out) {
  auto o = std::make_shared<CommonOptions>();
  CLI::App* cmd = app.add_subcommand("sleeping", "(not implemented yet)");
  add_common_options(*cmd, *o);
  cmd->allow_extras();
  out.emplace_back(cmd, [] { throw UsageError("sleeping: not implemented yet"); });
}

}  // namespace kartoteka
