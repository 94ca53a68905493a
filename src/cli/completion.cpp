#include "cli/completion.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <iterator>

#include "cli/help.h"
#include "cli/manual.h"
#include "io/columns.h"
#include "io/record_reader.h"
#include "model/errors.h"
#include "rules/patient_fields.h"

namespace kartoteka {
namespace {

// What follows an option on the command line, from its value name and check.
enum class Takes { Nothing, Values, Files, Fields, Expr, Other };

struct OptionSpec {
  std::vector<std::string> names;  // --long and -s spellings
  Takes takes = Takes::Nothing;
  std::vector<std::string> values;  // Takes::Values
  std::string help;
};

struct CommandSpec {
  std::string name, help;
  std::vector<OptionSpec> options;
  std::vector<std::string> arguments;  // values of its positional argument (help, completion)
};

OptionSpec option_spec(const CLI::Option& o) {
  OptionSpec s;
  for (const auto& l : o.get_lnames()) s.names.push_back("--" + l);
  for (const auto& n : o.get_snames()) s.names.push_back("-" + n);
  s.help = o.get_description();
  s.values = allowed_values(o);
  std::string value = value_name(o);
  if (!s.values.empty())
    s.takes = Takes::Values;
  else if (value.empty())
    s.takes = Takes::Nothing;
  else if (value == "FILE")
    s.takes = Takes::Files;
  else if (value.rfind("FIELD,", 0) == 0)
    s.takes = Takes::Fields;
  else if (value == "EXPR")
    s.takes = Takes::Expr;
  else
    s.takes = Takes::Other;
  return s;
}

std::vector<CommandSpec> command_specs(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* c : visible_commands(app)) names.push_back(c->get_name());
  std::vector<CommandSpec> specs;
  for (const CLI::App* c : visible_commands(app)) {
    CommandSpec spec{c->get_name(), c->get_description(), {}, {}};
    for (const CLI::Option* o : c->get_options()) {
      if (!o->get_lnames().empty() || !o->get_snames().empty())
        spec.options.push_back(option_spec(*o));
      else if (!allowed_values(*o).empty())
        spec.arguments = allowed_values(*o);
      else if (value_name(*o) == "COMMAND")
        spec.arguments = names;
    }
    specs.push_back(std::move(spec));
  }
  return specs;
}

std::vector<std::string> command_names(const std::vector<CommandSpec>& cmds) {
  std::vector<std::string> names;
  for (const auto& c : cmds) names.push_back(c.name);
  return names;
}

// The program's own options (--help, --version) and every option of any command, once each,
// first spelling wins: what may stand before the command.
std::vector<OptionSpec> all_options(const CLI::App& app, const std::vector<CommandSpec>& cmds) {
  std::vector<OptionSpec> all;
  auto add = [&](const OptionSpec& o) {
    for (const auto& a : all)
      if (a.names == o.names) return;
    all.push_back(o);
  };
  for (const CLI::Option* o : app.get_options()) add(option_spec(*o));
  for (const auto& c : cmds)
    for (const auto& o : c.options) add(o);
  return all;
}

// A word for a shell script: single-quoted unless plainly safe.
std::string sh_word(const std::string& s) {
  if (!s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                        "0123456789_-.,=+/:") == std::string::npos)
    return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string words(const std::vector<std::string>& list) {
  std::vector<std::string> q;
  for (const auto& w : list) q.push_back(sh_word(w));
  return fmt::format("{}", fmt::join(q, " "));
}

std::vector<std::string> names_of(const std::vector<OptionSpec>& options) {
  std::vector<std::string> n;
  for (const auto& o : options) n.insert(n.end(), o.names.begin(), o.names.end());
  return n;
}

std::vector<std::string> names_taking(const std::vector<OptionSpec>& options, Takes t) {
  std::vector<std::string> n;
  for (const auto& o : options)
    if (o.takes == t) n.insert(n.end(), o.names.begin(), o.names.end());
  return n;
}

std::string patterns(const std::vector<std::string>& names, const char* sep = "|") {
  return fmt::format("{}", fmt::join(names, sep));
}

// The field-name helper shared by the scripts' logic: the patients file named on the line
// (--patients FILE or --patients=FILE), else $KARTOTEKA_PATIENTS.
constexpr const char* kBashHelpers =
    R"SH(# Field names for --by/--fields/--where: the header of the patients file named on the line
# (--patients FILE, --patients=FILE; bash splits the latter at '='), else $KARTOTEKA_PATIENTS.
_kartoteka_fields() {
  local i p=${KARTOTEKA_PATIENTS-}
  for ((i = 1; i < ${#COMP_WORDS[@]}; i++)); do
    if [[ ${COMP_WORDS[i]} == --patients ]]; then
      p=${COMP_WORDS[i + 1]-}
      [[ $p == = ]] && p=${COMP_WORDS[i + 2]-}
    elif [[ ${COMP_WORDS[i]} == --patients=* ]]; then
      p=${COMP_WORDS[i]#--patients=}
    fi
  done
  [[ -n $p ]] || return 0
  [[ $p == "~/"* ]] && p=$HOME/${p#"~/"}
  "${COMP_WORDS[0]}" fields --patients "$p" 2>/dev/null
}

# COMPREPLY = the words that start with the last part of $cur (after PREFIX), each behind PREFIX.
_kartoteka_complete_after() {
  local prefix=$1 w part=${cur#"$1"}
  shift
  COMPREPLY=()
  for w in "$@"; do
    [[ $w == "$part"* ]] && COMPREPLY+=("$prefix$w")
  done
}

_kartoteka_values() {
  local w
  COMPREPLY=()
  for w in "$@"; do
    [[ $w == "$cur"* ]] && COMPREPLY+=("$(printf '%q' "$w")")
  done
}
)SH";

// How one shell writes the `case $prev` arms: `values` formats the arm of an option with a fixed
// list (its patterns, its values); every other kind of value gets one arm for all the options
// that take it: `open`, their patterns, that kind's body.
struct CaseArms {
  const char* values;
  const char* open;
  const char* files;
  const char* fields;
  const char* expr;
  const char* other;
};

// The `case $prev` arms: what follows each option that takes a value.
std::string value_cases(const std::vector<OptionSpec>& all, const CaseArms& arms) {
  std::string s;
  for (const auto& o : all)
    if (o.takes == Takes::Values)
      s += fmt::format(fmt::runtime(arms.values), patterns(o.names), words(o.values));
  const std::pair<Takes, const char*> kinds[] = {{Takes::Files, arms.files},
                                                 {Takes::Fields, arms.fields},
                                                 {Takes::Expr, arms.expr},
                                                 {Takes::Other, arms.other}};
  for (const auto& [takes, body] : kinds)
    if (auto names = names_taking(all, takes); !names.empty())
      s += arms.open + patterns(names) + body;
  return s;
}

constexpr CaseArms kBashArms{
    "  {})\n    _kartoteka_values {}\n    return\n    ;;\n",
    "  ",
    ")\n    compopt -o filenames 2>/dev/null\n"
    "    mapfile -t COMPREPLY < <(compgen -f -- \"$cur\")\n    return\n    ;;\n",
    ")\n    local -a f\n    mapfile -t f < <(_kartoteka_fields)\n"
    "    if [[ $cur == *,* ]]; then\n"
    "      _kartoteka_complete_after \"${cur%,*},\" \"${f[@]}\"\n"
    "    else\n"
    "      _kartoteka_complete_after '' \"${f[@]}\"\n"
    "    fi\n"
    "    compopt -o nospace 2>/dev/null\n    return\n    ;;\n",
    ")\n    local -a f\n    mapfile -t f < <(_kartoteka_fields)\n"
    "    # readline completes the text after an open quote: matches leave the quote out\n"
    "    cur=${cur#[\\'\\\"]}\n"
    "    local last=${cur##*[ (]}\n"
    "    _kartoteka_complete_after \"${cur%\"$last\"}\" \"${f[@]}\"\n"
    "    compopt -o nospace 2>/dev/null\n    return\n    ;;\n",
    ")\n    return\n    ;;\n"};

// The loop that finds the command among the words before the cursor, from word `first` (bash and
// zsh alike but for their words and case syntax): `arm` matches the command names, sets cmd and
// breaks.
std::string command_loop(const char* first, const char* cursor, const char* word,
                         const std::string& arm) {
  return fmt::format("  for ((i = {}; i < {}; i++)); do\n    case {} in\n{}    esac\n  done\n",
                     first, cursor, word, arm);
}

// The function's start, up to the loop that finds the command among the words (bash splits
// --opt=VALUE into three words).
constexpr const char* kBashMain = R"SH(
_kartoteka() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev= cmd= i
  ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
  # --opt=VALUE arrives as three words: --opt, =, VALUE
  if [[ $cur == = ]]; then
    cur=
  elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
    prev=${COMP_WORDS[COMP_CWORD - 2]}
  fi
)SH";

std::string bash_script(const CLI::App& app) {
  auto cmds = command_specs(app);
  auto all = all_options(app, cmds);
  auto cmd_names = command_names(cmds);
  std::string s =
      "# bash completion for kartoteka — generated by `kartoteka completion bash` from the\n"
      "# program's own option tree; install as share/bash-completion/completions/kartoteka or\n"
      "# `source <(kartoteka completion bash)`.\n";
  s += kBashHelpers;
  s += kBashMain;
  s += command_loop(
      "1", "COMP_CWORD", "${COMP_WORDS[i]}",
      "    " + patterns(cmd_names) + ")\n      cmd=${COMP_WORDS[i]}\n      break\n      ;;\n");
  s += "  COMPREPLY=()\n"
       "  case $prev in\n";
  s += value_cases(all, kBashArms);
  s += "  esac\n"
       "  if [[ $cur == -* ]]; then\n"
       "    case $cmd in\n";
  for (const auto& c : cmds)
    s += fmt::format("    {})\n      _kartoteka_values {}\n      ;;\n", c.name,
                     words(names_of(c.options)));
  s += fmt::format("    *)\n      _kartoteka_values {}\n      ;;\n    esac\n    return\n  fi\n",
                   words(names_of(all)));
  s += fmt::format("  if [[ -z $cmd ]]; then\n    _kartoteka_values {}\n    return\n  fi\n",
                   words(cmd_names));
  s += "  case $cmd in\n";
  for (const auto& c : cmds)
    if (!c.arguments.empty())
      s += fmt::format("  {})\n    _kartoteka_values {}\n    ;;\n", c.name, words(c.arguments));
  s += "  esac\n}\ncomplete -F _kartoteka kartoteka\n";
  return s;
}

constexpr CaseArms kZshArms{
    "  ({}) compadd -- {}; return ;;\n",
    "  (",
    ") _files; return ;;\n",
    ") f=(${(f)\"$(_kartoteka_fields)\"}); compset -P '*,'; compadd -S '' -- $f; return ;;\n",
    ") f=(${(f)\"$(_kartoteka_fields)\"}); compset -P '*[ (]'; compadd -S '' -- $f; return ;;\n",
    ") _message 'value'; return ;;\n"};

// The zsh script up to the loop that finds the command among the words: its header, the
// field-name helper (the patients file named on the line, --patients FILE or --patients=FILE,
// else $KARTOTEKA_PATIENTS) and the function's start (zsh keeps --opt=VALUE one word).
constexpr const char* kZshStart = R"SH(#compdef kartoteka
# zsh completion for kartoteka — generated by `kartoteka completion zsh` from the
# program's own option tree; install as _kartoteka in $fpath (Debian:
# share/zsh/vendor-completions) or `source <(kartoteka completion zsh)` after compinit.
_kartoteka_fields() {
  local i p=${KARTOTEKA_PATIENTS-}
  for ((i = 2; i <= $#words; i++)); do
    case ${words[i]} in
    (--patients) p=${words[i + 1]-} ;;
    (--patients=*) p=${words[i]#--patients=} ;;
    esac
  done
  [[ -n $p ]] || return 0
  ${words[1]} fields --patients ${~p} 2>/dev/null
}

_kartoteka() {
  local cur=${words[CURRENT]} prev=${words[CURRENT - 1]} cmd= i
  local -a f
  if [[ $cur == --*=* ]]; then
    prev=${cur%%=*}
    compset -P '*='
    cur=${cur#*=}
  fi
)SH";

std::string zsh_script(const CLI::App& app) {
  auto cmds = command_specs(app);
  auto all = all_options(app, cmds);
  auto cmd_names = command_names(cmds);
  std::string s = kZshStart;
  s += command_loop("2", "CURRENT", "${words[i]}",
                    "    (" + patterns(cmd_names) + ") cmd=${words[i]}; break ;;\n");
  s += "  case $prev in\n";
  s += value_cases(all, kZshArms);
  s += "  esac\n  if [[ $cur == -* ]]; then\n    case $cmd in\n";
  for (const auto& c : cmds)
    s += fmt::format("    ({}) compadd -- {} ;;\n", c.name, words(names_of(c.options)));
  s += fmt::format("    (*) compadd -- {} ;;\n    esac\n    return\n  fi\n", words(names_of(all)));
  s += "  if [[ -z $cmd ]]; then\n    local -a commands=(\n";
  for (const auto& c : cmds) s += "      " + sh_word(c.name + ":" + c.help) + "\n";
  s += "    )\n    _describe command commands\n    return\n  fi\n  case $cmd in\n";
  for (const auto& c : cmds)
    if (!c.arguments.empty())
      s += fmt::format("  ({}) compadd -- {} ;;\n", c.name, words(c.arguments));
  s += "  esac\n}\n\n"
       "if [[ $zsh_eval_context[-1] == loadautofunc ]]; then\n"
       "  _kartoteka \"$@\"\nelse\n  compdef _kartoteka kartoteka\nfi\n";
  return s;
}

std::string fish_option(const std::string& condition, const OptionSpec& o) {
  std::string s = "complete -c kartoteka -n " + sh_word(condition);
  for (const auto& n : o.names)
    s += n.rfind("--", 0) == 0 ? " -l " + n.substr(2) : " -s " + n.substr(1);
  // What fish completes after the option, indexed by Takes (a list of values follows its flags).
  static constexpr const char* kTakes[] = {"",
                                           " -x -a ",
                                           " -r -F",
                                           " -x -a '(__kartoteka_fields ,)'",
                                           " -x -a '(__kartoteka_fields \" (\")'",
                                           " -x"};
  static_assert(std::size(kTakes) == static_cast<size_t>(Takes::Other) + 1);
  s += kTakes[static_cast<size_t>(o.takes)];
  if (o.takes == Takes::Values) s += sh_word(words(o.values));
  return s + " -d " + sh_word(o.help) + "\n";
}

std::string fish_script(const CLI::App& app) {
  auto cmds = command_specs(app);
  auto cmd_names = command_names(cmds);
  std::string s =
      "# fish completion for kartoteka — generated by `kartoteka completion fish` from the\n"
      "# program's own option tree; install as share/fish/vendor_completions.d/kartoteka.fish.\n"
      "function __kartoteka_fields --argument-names separators\n"
      "    set -l p $KARTOTEKA_PATIENTS\n"
      "    set -l words (commandline -opc)\n"
      "    for i in (seq (count $words))\n"
      "        switch $words[$i]\n"
      "            case --patients\n"
      "                set p $words[(math $i + 1)]\n"
      "            case '--patients=*'\n"
      "                set p (string replace -- --patients= '' $words[$i])\n"
      "        end\n"
      "    end\n"
      "    test -n \"$p\"; or return\n"
      "    set -l tok (commandline -ct)\n"
      "    set -l prefix (string match -r -- \"^.*[$separators]\" $tok)\n"
      "    for f in ($words[1] fields --patients $p 2>/dev/null)\n"
      "        echo $prefix$f\n"
      "    end\n"
      "end\n"
      "complete -c kartoteka -f\n";
  for (const auto& c : cmds)
    s += "complete -c kartoteka -n __fish_use_subcommand -a " + sh_word(c.name) + " -d " +
         sh_word(c.help) + "\n";
  for (const CLI::Option* o : app.get_options())
    s += fish_option("__fish_use_subcommand", option_spec(*o));
  for (const auto& c : cmds) {
    std::string cond = "__fish_seen_subcommand_from " + c.name;
    for (const auto& o : c.options) s += fish_option(cond, o);
    if (!c.arguments.empty())
      s +=
          "complete -c kartoteka -n " + sh_word(cond) + " -a " + sh_word(words(c.arguments)) + "\n";
  }
  return s;
}

// The names a --where/--by/--fields of this patients file accepts: the logical and derived
// fields, then the file's other columns (file order).
void print_fields(const std::string& path, const std::string& encoding,
                  const std::string& delimiter) {
  Encoding enc = encoding == "utf-8"    ? Encoding::Utf8
                 : encoding == "cp1251" ? Encoding::Cp1251
                                        : Encoding::Auto;
  char delim = delimiter == "auto" ? 0 : delimiter == "tab" ? '\t' : delimiter[0];
  RecordReader reader(path, enc, delim);
  ColumnMap map = map_columns(FileKind::Patients, reader.header(), {}, reader.name());
  std::string out;
  for (std::string_view n : builtin_field_names()) out += fmt::format("{}\n", n);
  for (int col : map.others) out += reader.header()[static_cast<size_t>(col)] + "\n";
  std::fwrite(out.data(), 1, out.size(), stdout);
}

}  // namespace

std::string completion_script(const CLI::App& app, const std::string& shell) {
  if (shell == "bash") return bash_script(app);
  if (shell == "zsh") return zsh_script(app);
  if (shell == "fish") return fish_script(app);
  throw UsageError(fmt::format("completion: unknown shell {} (bash, zsh or fish)", shell));
}

void register_completion(CLI::App& app, std::vector<std::pair<CLI::App*, CommandRunner>>& out) {
  auto shell = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("completion", "Print the shell completion script");
  cmd->add_option("shell", *shell, "the shell")
      ->type_name("SHELL")
      ->required()
      ->check(CLI::IsMember({"bash", "zsh", "fish"}));
  cmd->footer(
      "Examples:\n"
      "  kartoteka completion bash > ~/.local/share/bash-completion/completions/kartoteka\n"
      "  kartoteka completion fish > ~/.config/fish/completions/kartoteka.fish");
  set_manual(*cmd, {"Prints the completion script for bash, zsh or fish. The installed scripts "
                    "live where each shell looks for them:\n"
                    "share/bash-completion/completions/kartoteka, "
                    "share/zsh/vendor-completions/_kartoteka and "
                    "share/fish/vendor_completions.d/kartoteka.fish under the install prefix.\n\n"
                    "They complete the commands, each command's options, the values of --format, "
                    "--encoding, --delimiter and --scheme, file names after file options, and "
                    "field names after --by and --fields and inside --where, read from the header "
                    "of the patients file the command line names (or KARTOTEKA_PATIENTS).",
                    ""});
  const CLI::App* root = &app;
  out.emplace_back(cmd, [root, shell] { fmt::print("{}", completion_script(*root, *shell)); });

  struct FieldsOptions {
    std::string patients, encoding = "auto", delimiter = "auto";
  };
  auto o = std::make_shared<FieldsOptions>();
  CLI::App* fields = app.add_subcommand("fields", "Field names of a patients file (completion)");
  fields->group("");  // hidden: the completion scripts' helper
  fields->add_option("--patients", o->patients, "patients export")
      ->envname("KARTOTEKA_PATIENTS")
      ->required();
  fields->add_option("--encoding", o->encoding)->check(CLI::IsMember({"auto", "utf-8", "cp1251"}));
  fields->add_option("--delimiter", o->delimiter)
      ->check(CLI::IsMember({"auto", ",", ";", "tab", "|"}));
  out.emplace_back(fields, [o] { print_fields(o->patients, o->encoding, o->delimiter); });
}

}  // namespace kartoteka
