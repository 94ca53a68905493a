// kartoteka — clinic marketing over 1C/Dente/IDENT CSV exports.
// main() is the only place that maps errors to exit codes: 0 ok, 1 input, 2 usage.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>

#include "cli/common.h"
#include "cli/completion.h"
#include "cli/help.h"
#include "cli/manual.h"
#include "cli/version.h"
#include "model/errors.h"

int main(int argc, char** argv) {
  using namespace kartoteka;
  // A closed stdout arrives as EPIPE from write(), which ends the run quietly (§3).
  std::signal(SIGPIPE, SIG_IGN);
  // Past a file-size limit (ulimit -f) write() then fails with EFBIG instead of the process being
  // killed, so a failed -o run still removes its temporary file and exits 1 with a message.
  std::signal(SIGXFSZ, SIG_IGN);

  CLI::App app{
      "kartoteka — patient lists, RFM, sleeping patients, referrals, bonuses and SMS "
      "from clinic CSV exports",
      "kartoteka"};
  app.set_version_flag("--version", version_text());
  app.require_subcommand(1);
  app.footer(
      "Example:\n"
      "  kartoteka segment --patients patients.csv --visits visits.csv --where 'visits = 0'\n"
      "Run 'kartoteka <command> --help' for a command's options.");
  std::vector<std::pair<CLI::App*, CommandRunner>> commands;
  register_segment(app, commands);
  register_rfm(app, commands);
  register_sleeping(app, commands);
  register_referrals(app, commands);
  register_bonus_ledger(app, commands);
  register_sms(app, commands);
  register_report(app, commands);
  register_inspect(app, commands);

  register_help(app, commands);
  register_manual(app, commands);
  register_completion(app, commands);

  if (auto rc = parse_command_line(app, argc, argv)) return *rc;
  try {
    for (auto& [cmd, run] : commands)
      if (cmd->parsed()) run();
    std::fflush(stdout);
    return 0;
  } catch (const OutputClosed&) {
    return 0;
  } catch (const UsageError& e) {
    fmt::print(stderr, "kartoteka: {}\n", e.what());
    return 2;
  } catch (const InputError& e) {
    fmt::print(stderr, "kartoteka: {}\n", e.what());
    return 1;
  } catch (const std::bad_alloc&) {
    fmt::print(stderr, "kartoteka: out of memory\n");
    return 1;
  } catch (const std::exception& e) {
    fmt::print(stderr, "kartoteka: {}\n", e.what());
    return 1;
  }
}
