#include "cli/manual.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <stdexcept>

#include "cli/help.h"
#include "model/errors.h"
#include "model/text.h"

namespace kartoteka {
namespace {

std::map<const CLI::App*, ManualProse>& prose_registry() {
  static std::map<const CLI::App*, ManualProse> registry;
  return registry;
}

// Text for roff: a backslash is `\e`, a hyphen `\-` (so that options copy as ASCII), and a line
// starting with `.` or `'` would be a request, so it gets a zero-width `\&` in front.
std::string esc(std::string_view text) {
  std::string out;
  bool line_start = true;
  for (char c : text) {
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    if (c == '\\')
      out += "\\e";
    else if (c == '-')
      out += "\\-";
    else
      out += c;
    line_start = c == '\n';
  }
  return out;
}

std::string bold(std::string_view s) {
  return "\\fB" + esc(s) + "\\fR";
}
std::string italic(std::string_view s) {
  return "\\fI" + esc(s) + "\\fR";
}

// A column list (`id,name,phone,…`) may break after its commas (`\:` is a break point).
std::string breakable_commas(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    out += text[i];
    if (text[i] == ',' && i + 1 < text.size() && text[i + 1] != ' ') out += "\\:";
  }
  return out;
}

// Paragraphs separated by blank lines, filled by the formatter.
std::string paragraphs(std::string_view text) {
  std::string out;
  for (const std::string& p : CLI::detail::split(std::string(text), '\n')) {
    if (p.find_first_not_of(' ') == std::string::npos)
      out += ".PP\n";
    else
      out += breakable_commas(esc(p)) + "\n";
  }
  return ".PP\n" + out;
}

// Width of a preformatted line in a page read at 80 columns (man's margin and indent take 9),
// so that no line overflows and groff has nothing to warn about.
constexpr size_t kPreWidth = 69;

// One over-long line broken at spaces, continuation lines indented 4 more than the line. In a
// shell command (`shell`) a break is a backslash-newline and never falls inside quotes, so the
// wrapped example still runs as written.
std::string wrap_line(const std::string& line, bool shell) {
  std::string out, rest = line;
  size_t indent = line.find_first_not_of(' ');
  if (indent == std::string::npos) return line;
  std::string cont(indent + 4, ' ');
  while (utf8_length(rest) > kPreWidth) {
    size_t cut = std::string::npos, width = 0;
    char quote = 0;
    bool nice_cut = false;
    for (size_t i = 0; i < rest.size(); ++i) {
      char c = rest[i];
      if (shell && (c == '\'' || c == '"')) quote = quote == c ? 0 : quote ? quote : c;
      // In a command, break before an option or after a pipe when there is such a space.
      bool fits = width + (shell ? 2 : 0) <= kPreWidth,
           nice = !shell || (i + 1 < rest.size() && rest[i + 1] == '-') ||
                  (i > 0 && rest[i - 1] == '|');
      if (c == ' ' && !quote && i > cont.size() && fits && (nice || !nice_cut)) {
        cut = i;
        nice_cut = nice_cut || nice;
      }
      width += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }
    if (cut == std::string::npos) break;
    out += rest.substr(0, cut) + (shell ? " \\\n" : "\n");
    rest = cont + rest.substr(rest.find_first_not_of(' ', cut));
  }
  return out + rest;
}

// Lines kept as they are (a grammar laid out in columns, shell commands), wrapped to the page.
std::string preformatted(std::string_view text, bool shell = false) {
  std::string wrapped;
  for (const std::string& line : CLI::detail::split(std::string(text), '\n'))
    wrapped += (wrapped.empty() ? "" : "\n") + wrap_line(line, shell);
  return ".nf\n" + esc(wrapped) + "\n.fi\n";
}

// A footer splits at its "Example:" / "Examples:" line into notes and examples.
struct Footer {
  std::string notes, examples;
};
Footer split_footer(const std::string& footer) {
  Footer f;
  bool examples = false;
  for (const std::string& line : CLI::detail::split(footer, '\n')) {
    if (line == "Example:" || line == "Examples:") {
      examples = true;
      continue;
    }
    // Examples are indented; an unindented line after them is a note again.
    bool example = examples && line.rfind("  ", 0) == 0;
    examples = example;
    std::string& part = example ? f.examples : f.notes;
    part += (part.empty() ? "" : "\n") + (example ? line.substr(2) : line);
  }
  return f;
}

std::string option_entry(const CLI::Option& o) {
  std::vector<std::string> names;
  for (const auto& s : o.get_snames()) names.push_back(bold("-" + s));
  for (const auto& l : o.get_lnames()) names.push_back(bold("--" + l));
  if (names.empty()) names.push_back(italic(o.get_name()));  // a positional argument
  std::string head = fmt::format("{}", fmt::join(names, ", "));
  std::string value = value_name(o);
  if (!value.empty() && !o.get_lnames().empty()) head += " " + italic(value);
  std::string body = esc(o.get_description());
  if (!body.empty() && body.back() != '.') body += '.';
  std::vector<std::string> values = allowed_values(o);
  if (!values.empty()) {
    std::vector<std::string> shown;
    for (const auto& v : values) shown.push_back(bold(v));
    body += fmt::format(" One of: {}.", fmt::join(shown, ", "));
  }
  if (!o.get_default_str().empty()) body += " Default: " + bold(o.get_default_str()) + ".";
  if (o.get_items_expected_max() > 1) body += " Repeatable.";
  if (!o.get_envname().empty()) body += " Environment: " + bold(o.get_envname()) + ".";
  std::vector<std::string> excluded;
  for (const CLI::Option* x : o.get_excludes()) excluded.push_back(bold(x->get_name()));
  if (!excluded.empty()) body += fmt::format(" Not with {}.", fmt::join(excluded, ", "));
  return ".TP\n" + head + "\n" + body + "\n";
}

// The options in help's order: groups as they first appear, options within a group as added.
std::string options_section(const CLI::App& cmd, bool common_only) {
  std::vector<std::string> groups;
  for (const CLI::Option* o : cmd.get_options())
    if (!o->get_group().empty() &&
        std::find(groups.begin(), groups.end(), o->get_group()) == groups.end())
      groups.push_back(o->get_group());
  std::string out;
  for (const std::string& g : groups) {
    if (common_only && g != "Common options") continue;
    if (!common_only && g != groups.front()) out += ".SS " + esc(g) + "\n";
    for (const CLI::Option* o : cmd.get_options())
      if (o->get_group() == g) out += option_entry(*o);
  }
  return out;
}

std::string title(const CLI::App& app, const std::string& name, const std::string& summary) {
  std::string upper = name;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  (void)app;
  return fmt::format(
      ".TH {} 1 \"\" \"kartoteka {}\" \"kartoteka manual\"\n.nh\n.ad l\n.SH NAME\n{} \\- {}\n",
      esc(upper), KARTOTEKA_VERSION, esc(name), esc(summary));
}

std::string environment_and_exit() {
  return ".SH ENVIRONMENT\n"
         ".TP\n.B KARTOTEKA_PATIENTS\nthe patients export when " +
         bold("--patients") +
         " is not given.\n"
         ".TP\n.B KARTOTEKA_VISITS\nthe visits export when " +
         bold("--visits") +
         " is not given.\n"
         ".TP\n.B KARTOTEKA_THREADS\n" +
         esc("1 keeps reading to one thread (by default two threads share it on a machine with "
             "two cores).") +
         "\n"
         ".TP\n.B KARTOTEKA_MASK_KEY\n" +
         esc("the secret behind --mask's pseudonyms; set one of your own, or anyone with the "
             "built-in key could match a pseudonym to a name.") +
         "\n"
         ".SH EXIT STATUS\n"
         ".TP\n.B 0\nsuccess (also when the reader of standard output went away).\n"
         ".TP\n.B 1\n" +
         esc("an input error: a file cannot be read, a required column is missing, a value does "
             "not parse (the message names file, line, column and value), output cannot be "
             "written.") +
         "\n"
         ".TP\n.B 2\n" +
         esc("a usage error: an unknown command or option, a bad option value, options that "
             "exclude each other.") +
         "\n";
}

std::string command_page(const CLI::App& app, const CLI::App& cmd) {
  const std::string name = cmd.get_name();
  auto prose = prose_registry().find(&cmd);
  Footer footer = split_footer(cmd.get_footer());
  std::string page = title(app, "kartoteka-" + name, cmd.get_description());
  std::string synopsis = bold("kartoteka " + name) + " [" + italic("OPTIONS") + "]";
  for (const CLI::Option* o : cmd.get_options())
    if (o->get_lnames().empty() && o->get_snames().empty())
      synopsis += " [" + italic(value_name(*o)) + "]";
  page += ".SH SYNOPSIS\n" + synopsis + "\n.SH DESCRIPTION\n" + esc(cmd.get_description()) + ".\n";
  if (prose != prose_registry().end()) page += paragraphs(prose->second.description);
  if (!footer.notes.empty()) page += ".PP\n" + preformatted(footer.notes);
  page += ".PP\n" +
          esc("Common options may also stand before the command: kartoteka --patients P "
              "--visits V " +
              name + " ...") +
          "\n";
  page += ".SH OPTIONS\n" + options_section(cmd, false);
  if (prose != prose_registry().end() && !prose->second.output.empty())
    page += ".SH OUTPUT\n" + paragraphs(prose->second.output);
  if (!footer.examples.empty()) page += ".SH EXAMPLES\n" + preformatted(footer.examples, true);
  page += environment_and_exit();
  std::vector<std::string> see = {bold("kartoteka") + "(1)"};
  for (const CLI::App* c : visible_commands(app))
    if (c != &cmd) see.push_back(bold("kartoteka-" + c->get_name()) + "(1)");
  page += fmt::format(".SH SEE ALSO\n{}\n", fmt::join(see, ",\n"));
  return page;
}

std::string program_page(const CLI::App& app) {
  std::string page = title(app, "kartoteka", "clinic marketing over CSV exports");
  page += ".SH SYNOPSIS\n" + bold("kartoteka") + " [" + italic("COMMON OPTIONS") + "] " +
          italic("COMMAND") + " [" + italic("OPTIONS") + "]\n.br\n" + bold("kartoteka help") +
          " [" + italic("COMMAND") + "]\n.br\n" + bold("kartoteka --version") + "\n";
  page += ".SH DESCRIPTION\n" + esc(app.get_description()) + ".\n" +
          paragraphs(
              "kartoteka reads a patients export and a visits export of clinic software "
              "(1C:Medicine, Dente, IDENT ...: UTF-8 or cp1251, any of , ; tab | as delimiter, "
              "Russian or English headers) and writes patient lists and reports as CSV on "
              "standard output, to be read by a person, piped into the next kartoteka command "
              "(--from -), opened in a spreadsheet or handed to an SMS gateway script.\n\n"
              "Each command has its own page, kartoteka-COMMAND(1), also shown by kartoteka help "
              "COMMAND.");
  page += ".SH COMMANDS\n";
  const CLI::App* with_common = nullptr;
  for (const CLI::App* c : visible_commands(app)) {
    page += ".TP\n" + bold(c->get_name()) + "\n" + esc(c->get_description()) + "; see " +
            bold("kartoteka-" + c->get_name()) + "(1).\n";
    if (!with_common)
      for (const CLI::Option* o : c->get_options())
        if (o->get_group() == "Common options") with_common = c;
  }
  page += ".SH COMMON OPTIONS\n" +
          paragraphs(
              "Every command that reads the exports takes these, after the command or "
              "before it.");
  if (with_common) page += options_section(*with_common, true);
  for (const CLI::Option* o : app.get_options()) page += option_entry(*o);
  page += environment_and_exit();
  page += ".SH FILES\n";
  const std::pair<const char*, const char*> files[] = {
      {"/share/doc/kartoteka/examples",
       "a small clinic's exports in both styles (1c, canonical) and pipelines.sh."},
      {"/share/bash-completion/completions/kartoteka", "bash completion."},
      {"/share/zsh/vendor-completions/_kartoteka", "zsh completion."},
      {"/share/fish/vendor_completions.d/kartoteka.fish", "fish completion."}};
  for (const auto& [path, what] : files)
    page += ".TP\n" + italic("PREFIX") + esc(path) + "\n" + esc(what) + "\n";
  Footer footer = split_footer(app.get_footer());
  page +=
      ".SH EXAMPLES\n" +
      preformatted(footer.examples +
                       "\nexport KARTOTEKA_PATIENTS=patients.csv KARTOTEKA_VISITS=visits.csv\n"
                       "kartoteka sleeping --as-of 2026-11-22 --contactable |\n"
                       "    kartoteka sms --as-of 2026-11-22 --from - --template '{first_name}, "
                       "we miss you!'",
                   true);
  std::vector<std::string> see;
  for (const CLI::App* c : visible_commands(app))
    see.push_back(bold("kartoteka-" + c->get_name()) + "(1)");
  page += fmt::format(".SH SEE ALSO\n{}\n", fmt::join(see, ",\n"));
  return page;
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
  f.close();
  if (!f) throw InputError(fmt::format("{}: cannot write", path));
}

}  // namespace

void set_manual(const CLI::App& cmd, ManualProse prose) {
  prose_registry()[&cmd] = std::move(prose);
}

std::string manual_page(const CLI::App& app, const CLI::App& cmd) {
  return &cmd == &app ? program_page(app) : command_page(app, cmd);
}

void register_manual(CLI::App& app, std::vector<std::pair<CLI::App*, CommandRunner>>& out) {
  struct Options {
    std::string command, dir;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("manual", "Print a manual page in roff (for the build)");
  cmd->group("");  // hidden: the build's tool, not a user's command
  cmd->add_option("command", o->command, "the command (none: kartoteka(1))");
  cmd->add_option("--dir", o->dir, "write every page into DIR instead");
  const CLI::App* root = &app;
  out.emplace_back(cmd, [root, o] {
    if (!o->dir.empty()) {
      write_file(o->dir + "/kartoteka.1", manual_page(*root, *root));
      for (const CLI::App* c : visible_commands(*root))
        write_file(o->dir + "/kartoteka-" + c->get_name() + ".1", manual_page(*root, *c));
      return;
    }
    const CLI::App* target = root;
    if (!o->command.empty()) {
      target = nullptr;
      for (const CLI::App* c : visible_commands(*root))
        if (c->get_name() == o->command) target = c;
      if (!target) throw UsageError(fmt::format("manual: unknown command {}", o->command));
    }
    fmt::print("{}", manual_page(*root, *target));
  });
}

}  // namespace kartoteka
