#include "cli/help.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "model/errors.h"

namespace kartoteka {
namespace {

std::string_view undashed(std::string_view s) {
  while (!s.empty() && s.front() == '-') s.remove_prefix(1);
  return s;
}

// Optimal string alignment distance over bytes (names are ASCII; a Cyrillic typo is simply far).
size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i)
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

bool is_option_token(const std::string& a) {
  return a.size() > 1 && a[0] == '-';
}

// `--name=value` → `--name`; `-oFILE` → `-o`.
std::string option_name_of(const std::string& a) {
  if (a.size() > 2 && a[1] != '-') return a.substr(0, 2);
  return a.substr(0, a.find('='));
}

bool value_attached(const std::string& a) {
  return (a.size() > 2 && a[1] != '-') || a.find('=') != std::string::npos;
}

const CLI::App* command_named(const CLI::App& app, const std::string& name) {
  for (const CLI::App* c : app.get_subcommands([](const CLI::App*) { return true; }))
    if (c->check_name(name)) return c;
  return nullptr;
}

std::string did_you_mean(const std::string& typed, const std::vector<std::string>& known) {
  std::string best = closest_name(typed, known);
  return best.empty() ? "" : fmt::format(" (did you mean `{}`?)", best);
}

std::vector<std::string> command_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* c : visible_commands(app)) names.push_back(c->get_name());
  return names;
}

// " (did you mean `segment`?)", or the list of commands when none is close.
std::string command_hint(const CLI::App& app, const std::string& typed) {
  std::string hint = did_you_mean(typed, command_names(app));
  if (hint.empty()) hint = fmt::format(" (commands: {})", fmt::join(command_names(app), ", "));
  return hint;
}

// The usage error for an argument CLI11 did not expect: an unknown option of the command is
// named with the closest known one; anything else keeps CLI11's words.
int report_extras(const CLI::App& app, const CLI::ExtrasError& e) {
  std::vector<CLI::App*> parsed = app.get_subcommands();
  const CLI::App& cmd = parsed.empty() ? app : *parsed.front();
  for (const std::string& a : app.remaining(true)) {
    if (!is_option_token(a)) continue;
    std::string name = option_name_of(a);
    std::string where = parsed.empty() ? "" : cmd.get_name() + ": ";
    std::string hint = did_you_mean(name, option_names(cmd));
    if (hint.empty())
      hint = fmt::format(" (see `kartoteka {}--help`)", parsed.empty() ? "" : cmd.get_name() + " ");
    fmt::print(stderr, "kartoteka: {}unknown option {}{}\n", where, name, hint);
    return 2;
  }
  fmt::print(stderr, "kartoteka: {}\n", e.what());
  return 2;
}

// Shows `page` through man(1) when stdout is a terminal: the page the build wrote beside this
// binary (a build tree: build/man/PAGE.1) when there is one, else the installed page when man
// knows it. Returns only when it did not (the caller prints the help instead).
void try_manual_page(const std::string& page) {
  if (isatty(STDOUT_FILENO) != 1) return;
  std::error_code ec;
  auto beside =
      std::filesystem::read_symlink("/proc/self/exe", ec).parent_path() / "man" / (page + ".1");
  std::fflush(stdout);
  if (!ec && std::filesystem::is_regular_file(beside, ec))
    execlp("man", "man", "-l", beside.c_str(), static_cast<char*>(nullptr));
  // `page` is a fixed prefix plus a registered command name: nothing for the shell to expand.
  std::string probe = "man -w " + page + " >/dev/null 2>&1";
  if (std::system(probe.c_str()) != 0) return;
  execlp("man", "man", page.c_str(), static_cast<char*>(nullptr));
}

// Help of options that choose from a set (--format, --encoding, --delimiter …): a value name
// from the option's name instead of CLI11's TEXT (`--format FORMAT:{csv,…}`), and the default,
// which CLI11 shows only once captured and which is always one of the set ("=csv"). Options are
// found in the tree, so those other modules add are covered as well.
void describe_choices(CLI::App& app) {
  for (CLI::App* cmd : app.get_subcommands([](CLI::App*) { return true; }))
    for (CLI::Option* o : cmd->get_options([](CLI::Option*) { return true; })) {
      if (allowed_values(*o).empty() || o->get_lnames().empty()) continue;
      if (value_name(*o) == "TEXT") {
        std::string name = o->get_lnames().front();
        for (char& c : name)
          c = c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        o->type_name(name);
      }
      if (o->get_default_str().empty() && o->get_items_expected_max() == 1)
        o->capture_default_str();
    }
}

}  // namespace

std::string closest_name(std::string_view typed, const std::vector<std::string>& known) {
  std::string_view t = undashed(typed);
  if (t.empty()) return "";
  std::string best;
  size_t best_d = (t.size() + 2) / 3;  // a likely typo: about one edit in three characters
  if (best_d < 1) best_d = 1;
  for (const std::string& k : known) {
    std::string_view n = undashed(k);
    size_t d = edit_distance(t, n);
    if (t.size() >= 3 && n.find(t) != std::string_view::npos) d = std::min<size_t>(d, 1);
    if (d <= best_d && (best.empty() || d < best_d)) {
      best = k;
      best_d = d;
    }
  }
  return best;
}

std::vector<const CLI::App*> visible_commands(const CLI::App& app) {
  // CLI11 hides a subcommand by giving it an empty group.
  return app.get_subcommands([](const CLI::App* c) { return !c->get_group().empty(); });
}

std::vector<std::string> option_names(const CLI::App& cmd) {
  std::vector<std::string> names;
  for (const CLI::Option* o : cmd.get_options()) {
    for (const auto& l : o->get_lnames()) names.push_back("--" + l);
    for (const auto& s : o->get_snames()) names.push_back("-" + s);
  }
  return names;
}

std::string value_name(const CLI::Option& opt) {
  if (opt.get_items_expected_max() == 0) return "";
  // get_type_name() is the value name followed by ":" and the description of each validator
  // (`FORMAT:{csv,tsv}`); a value name may hold ':' itself (`RUB:PCT,...`), so the validators'
  // part is taken off the end. CLI11 2.1 lists validators only through a non-const accessor.
  std::string t = opt.get_type_name(), suffix;
  auto& o = const_cast<CLI::Option&>(opt);
  for (int i = 0;; ++i) {
    try {
      std::string d = o.get_validator(i)->get_description();
      if (!d.empty()) suffix += ":" + d;
    } catch (const CLI::OptionNotFound&) {
      break;
    }
  }
  if (t.size() >= suffix.size() && t.compare(t.size() - suffix.size(), suffix.size(), suffix) == 0)
    t.resize(t.size() - suffix.size());
  return t;
}

std::vector<std::string> allowed_values(const CLI::Option& opt) {
  std::string t = opt.get_type_name();
  auto open = t.find(":{");
  if (open == std::string::npos || t.back() != '}') return {};
  // CLI11 joins the set with commas, so a "," member shows as two empty pieces in a row.
  std::vector<std::string> pieces =
      CLI::detail::split(t.substr(open + 2, t.size() - open - 3), ',');
  std::vector<std::string> values;
  for (size_t i = 0; i < pieces.size(); ++i) {
    if (pieces[i].empty() && i + 1 < pieces.size() && pieces[i + 1].empty()) {
      values.push_back(",");
      ++i;
    } else if (!pieces[i].empty()) {
      values.push_back(pieces[i]);
    }
  }
  return values;
}

std::vector<std::string> move_options_after_command(const CLI::App& app,
                                                    std::vector<std::string> args) {
  auto commands = app.get_subcommands([](const CLI::App*) { return true; });
  std::vector<std::string> before;
  size_t i = 0;
  while (i < args.size() && is_option_token(args[i])) {
    const std::string& a = args[i];
    std::string name = option_name_of(a);
    if (a == "--" || app.get_option_no_throw(name)) return args;  // --help, --version
    const CLI::Option* opt = nullptr;
    for (const CLI::App* c : commands)
      if (!opt) opt = c->get_option_no_throw(name);
    if (!opt) {
      std::vector<std::string> known = option_names(app);
      for (const CLI::App* c : commands)
        for (auto& n : option_names(*c)) known.push_back(n);
      throw UsageError(fmt::format("unknown option {}{}", name, did_you_mean(name, known)));
    }
    before.push_back(args[i++]);
    if (opt->get_items_expected_min() > 0 && !value_attached(a) && i < args.size())
      before.push_back(args[i++]);
  }
  if (i == args.size()) return args;
  if (!command_named(app, args[i]))
    throw UsageError(fmt::format("unknown command {}{}", args[i], command_hint(app, args[i])));
  if (before.empty()) return args;
  std::vector<std::string> out = {args[i]};
  out.insert(out.end(), before.begin(), before.end());
  out.insert(out.end(), args.begin() + static_cast<long>(i) + 1, args.end());
  return out;
}

std::optional<int> parse_command_line(CLI::App& app, int argc, char** argv) {
  describe_choices(app);
  try {
    std::vector<std::string> args =
        move_options_after_command(app, std::vector<std::string>(argv + 1, argv + argc));
    std::reverse(args.begin(), args.end());  // CLI11 takes a vector last argument first
    app.parse(args);
    return std::nullopt;
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ExtrasError& e) {
    return report_extras(app, e);
  } catch (const CLI::RequiredError& e) {
    if (app.get_subcommands().empty()) {
      fmt::print(stderr, "kartoteka: a command is required: {} (see `kartoteka --help`)\n",
                 fmt::join(command_names(app), ", "));
      return 2;
    }
    fmt::print(stderr, "kartoteka: {}\n", e.what());
    return 2;
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "kartoteka: {}\n", e.what());
    return 2;
  } catch (const UsageError& e) {
    fmt::print(stderr, "kartoteka: {}\n", e.what());
    return 2;
  }
}

std::string help_text(const CLI::App& app, const CLI::App& cmd) {
  std::string name = &cmd == &app ? app.get_name() : app.get_name() + " " + cmd.get_name();
  return cmd.get_formatter()->make_help(&cmd, name, CLI::AppFormatMode::Normal);
}

void register_help(CLI::App& app, std::vector<std::pair<CLI::App*, CommandRunner>>& out) {
  auto topic = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("help", "Show the manual page (or --help) of a command");
  cmd->add_option("command", *topic, "the command (none: the program)")->type_name("COMMAND");
  cmd->footer(
      "Examples:\n"
      "  kartoteka help segment\n"
      "  kartoteka help | less");
  const CLI::App* root = &app;
  out.emplace_back(cmd, [root, topic] {
    const CLI::App* target = root;
    if (!topic->empty()) {
      target = command_named(*root, *topic);
      if (!target)
        throw UsageError(
            fmt::format("help: unknown command {}{}", *topic, command_hint(*root, *topic)));
    }
    try_manual_page(target == root ? "kartoteka" : "kartoteka-" + target->get_name());
    std::string text = help_text(*root, *target);
    std::fwrite(text.data(), 1, text.size(), stdout);
  });
}

}  // namespace kartoteka
