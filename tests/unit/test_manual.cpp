#include <doctest/doctest.h>

#include "cli/manual.h"

using namespace kartoteka;

namespace {

bool has(const std::string& page, const std::string& text) {
  return page.find(text) != std::string::npos;
}

}  // namespace

TEST_CASE("manual_page: a command's page from its tree, footer and prose") {
  CLI::App app{"test", "kartoteka"};
  std::string s, format = "csv";
  CLI::App* cmd = app.add_subcommand("demo", "Do a demo");
  cmd->add_option("--since", s, "only rows on or after DATE")->type_name("DATE");
  cmd->add_option("--format", format, "output format")
      ->type_name("FORMAT")
      ->check(CLI::IsMember({"csv", "tsv"}))
      ->capture_default_str();
  cmd->footer(
      ".dot at the start, a \\backslash\n"
      "Examples:\n"
      "  kartoteka demo --since 2026-01-01\n"
      "  kartoteka demo --format tsv");
  set_manual(*cmd, {"Longer text.\n\nSecond paragraph.", "a,b,c"});
  std::string page = manual_page(app, *cmd);
  CHECK(page.rfind(".TH KARTOTEKA\\-DEMO 1 ", 0) == 0);
  CHECK(has(page, "kartoteka\\-demo \\- Do a demo\n"));
  // Options: names with roff hyphens, value names in italics, the set and the default.
  CHECK(has(page, ".TP\n\\fB\\-\\-since\\fR \\fIDATE\\fR\nonly rows on or after DATE.\n"));
  CHECK(has(page, "One of: \\fBcsv\\fR, \\fBtsv\\fR. Default: \\fBcsv\\fR."));
  // Prose paragraphs; output columns may break after a comma (\:).
  CHECK(has(page, ".PP\nLonger text.\n.PP\nSecond paragraph.\n"));
  CHECK(has(page, ".SH OUTPUT\n.PP\na,\\:b,\\:c\n"));
  // A footer line starting with '.' is text, not a request; a backslash is \e.
  CHECK(has(page, "\\&.dot at the start, a \\ebackslash\n"));
  // Examples unindented, kept as lines.
  CHECK(has(page,
            ".SH EXAMPLES\n.nf\nkartoteka demo \\-\\-since 2026\\-01\\-01\n"
            "kartoteka demo \\-\\-format tsv\n.fi\n"));
  for (const char* section : {".SH SYNOPSIS", ".SH ENVIRONMENT", ".SH EXIT STATUS", ".SH SEE ALSO"})
    CHECK(has(page, section));
}

TEST_CASE("manual_page: a long example wraps at a space outside quotes, as a shell continuation") {
  CLI::App app{"test", "kartoteka"};
  CLI::App* cmd = app.add_subcommand("demo", "Do a demo");
  cmd->footer(
      "Example:\n"
      "  kartoteka demo --patients patients.csv --visits visits.csv "
      "--where 'a = 1 and b = 2 and c = 3 and d = 4' --fields x");
  std::string page = manual_page(app, *cmd);
  // 69 columns fit: the break falls before an option, never inside the quoted expression.
  CHECK(has(page,
            "kartoteka demo \\-\\-patients patients.csv \\-\\-visits visits.csv \\e\n"
            "    \\-\\-where 'a = 1 and b = 2 and c = 3 and d = 4' \\-\\-fields x\n"));
}
