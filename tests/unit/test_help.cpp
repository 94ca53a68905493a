#include <doctest/doctest.h>

#include "cli/help.h"
#include "model/errors.h"

using namespace kartoteka;

namespace {

// A small command tree standing in for main()'s: the two commands share a valued option and a
// flag, as the common options are shared.
struct Tree {
  CLI::App app{"test", "kartoteka"};
  std::string patients, where;
  bool quiet = false;
  Tree() {
    for (const char* name : {"segment", "rfm"}) {
      CLI::App* c = app.add_subcommand(name, name);
      c->add_option("--patients", patients);
      c->add_option("-o,--output", patients);
      c->add_flag("--quiet", quiet);
    }
    app.get_subcommand("segment")->add_option("--where", where);
    app.add_subcommand("manual", "hidden helper")->group("");
  }
};

using Args = std::vector<std::string>;

}  // namespace

TEST_CASE("closest_name: a likely typo names the known name, anything else nothing") {
  const std::vector<std::string> commands = {"segment", "rfm", "sleeping", "bonus-ledger", "sms"};
  CHECK(closest_name("segmnet", commands) == "segment");   // one transposition
  CHECK(closest_name("sleping", commands) == "sleeping");  // one deletion
  CHECK(closest_name("rmf", commands) == "rfm");
  CHECK(closest_name("ledger", commands) == "bonus-ledger");  // part of the name
  CHECK(closest_name("report", commands) == "");              // 5 edits from "rfm": no guess
  CHECK(closest_name("", commands) == "");
  const std::vector<std::string> options = {"--patients", "--visits", "--summary", "--by"};
  CHECK(closest_name("--patinets", options) == "--patients");
  CHECK(closest_name("--summay", options) == "--summary");
  CHECK(closest_name("--bogus", options) == "");  // "by" is 4 edits away
}

TEST_CASE("move_options_after_command: options before the command follow it") {
  Tree t;
  CHECK(move_options_after_command(t.app, Args{"--patients", "p.csv", "--quiet", "rfm", "-x"}) ==
        Args{"rfm", "--patients", "p.csv", "--quiet", "-x"});
  // --opt=VALUE and -oVALUE carry their value; a flag takes none, so `rfm` is the command.
  CHECK(move_options_after_command(t.app, Args{"--patients=p", "-oout", "--quiet", "rfm"}) ==
        Args{"rfm", "--patients=p", "-oout", "--quiet"});
  // A value that looks like a command is still the option's value.
  CHECK(move_options_after_command(t.app, Args{"-o", "rfm", "segment", "--where", "a"}) ==
        Args{"segment", "-o", "rfm", "--where", "a"});
  // Nothing to move, no command, or the program's own --help: unchanged.
  CHECK(move_options_after_command(t.app, Args{"rfm", "--quiet"}) == Args{"rfm", "--quiet"});
  CHECK(move_options_after_command(t.app, Args{"--quiet"}) == Args{"--quiet"});
  CHECK(move_options_after_command(t.app, Args{"--help", "rfm"}) == Args{"--help", "rfm"});
}

TEST_CASE("move_options_after_command: unknown commands and options are usage errors") {
  Tree t;
  CHECK_THROWS_WITH_AS(move_options_after_command(t.app, Args{"segmnet"}),
                       "unknown command segmnet (did you mean `segment`?)", UsageError);
  CHECK_THROWS_WITH_AS(move_options_after_command(t.app, Args{"--patinets", "p", "rfm"}),
                       "unknown option --patinets (did you mean `--patients`?)", UsageError);
  // A hidden helper is a command but never a suggestion.
  CHECK(move_options_after_command(t.app, Args{"manual"}) == Args{"manual"});
  CHECK_THROWS_WITH_AS(move_options_after_command(t.app, Args{"manul"}),
                       "unknown command manul (commands: segment, rfm)", UsageError);
  CHECK(visible_commands(t.app).size() == 2);
}

TEST_CASE("value_name and allowed_values read an option's value name and its set") {
  CLI::App app;
  std::string s;
  bool flag = false;
  auto* delim = app.add_option("--delimiter", s)
                    ->type_name("DELIMITER")
                    ->check(CLI::IsMember({"auto", ",", ";", "tab", "|"}));
  auto* as_of = app.add_option("--as-of", s)->type_name("DATE");
  auto* quiet = app.add_flag("--quiet", flag);
  CHECK(value_name(*delim) == "DELIMITER");
  // CLI11 shows the set as {auto,,,;,tab,|}: the "," member must come back whole.
  CHECK(allowed_values(*delim) == std::vector<std::string>{"auto", ",", ";", "tab", "|"});
  CHECK(value_name(*as_of) == "DATE");
  CHECK(allowed_values(*as_of).empty());
  CHECK(value_name(*quiet) == "");
  // A value name may hold ':' itself; a range check's description is not part of it.
  auto* tiers = app.add_option("--tiers", s)->type_name("RUB:PCT,...");
  unsigned n = 0;
  auto* max = app.add_option("--max", n)->type_name("N")->check(CLI::Range(1u, 9u));
  CHECK(value_name(*tiers) == "RUB:PCT,...");
  CHECK(value_name(*max) == "N");
}
