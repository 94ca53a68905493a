#!/usr/bin/env bash
# manual.sh KARTOTEKA MAN_DIR — the manual pages the build wrote (SPEC §9):
#  - a page kartoteka(1) and kartoteka-COMMAND(1) for every command `kartoteka --help` lists;
#  - every option of `kartoteka COMMAND --help` is on the command's page (the drift test), and every
#    common option and the command list on kartoteka(1);
#  - each command's page has OUTPUT (but help/completion, which print no table), ≥ 2 complete
#    examples, ENVIRONMENT with the four variables and EXIT STATUS;
#  - every page renders with `man -l` without a groff warning, at 80 and 200 columns;
#  - the .gz beside each page is gzip -n (no name, no time stamp) of the same bytes.
set -uo pipefail
K=$1 MAN=$2
fail=0
bad() { echo "FAIL: $*"; fail=1; }
commands=$("$K" --help | sed -n '/^Subcommands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }')
[ -n "$commands" ] || bad "no commands in kartoteka --help"
# A page's text as the source spells it: roff's \- is a hyphen, font changes and \: break points go.
plain() { sed -e 's/\\-/-/g' -e 's/\\f[BIR]//g' -e 's/\\://g' -e 's/\\e/\\/g' "$1"; }
options_of() { # the option names a --help text shows, one a line
  grep -E '^  +-' | grep -oE '(^|[ ,])--?[A-Za-z][A-Za-z0-9-]*' | tr -d ' ,' | sort -u
}
check_page() { # NAME.1 and the options it must carry (stdin)
  local page=$MAN/$1.1 text
  [ -f "$page" ] || { bad "$1.1 missing"; return; }
  text=$(plain "$page")
  while read -r opt; do
    grep -qF -- "$opt" <<<"$text" || bad "$1.1 lacks $opt"
  done
  for section in 'NAME' 'SYNOPSIS' 'DESCRIPTION' 'ENVIRONMENT' 'EXIT STATUS' 'EXAMPLES' 'SEE ALSO'; do
    grep -qx ".SH $section" "$page" || bad "$1.1 has no $section section"
  done
  for v in KARTOTEKA_PATIENTS KARTOTEKA_VISITS KARTOTEKA_THREADS KARTOTEKA_MASK_KEY; do
    grep -q "^.B $v\$" "$page" || bad "$1.1 does not describe $v"
  done
  local examples
  examples=$(sed -n '/^\.SH EXAMPLES/,/^\.SH/p' "$page" | grep -c '^kartoteka ')
  [ "$examples" -ge 2 ] || bad "$1.1 has $examples examples (at least 2 wanted)"
  for w in 80 200; do
    local warn
    warn=$(LC_ALL=C.UTF-8 MANWIDTH=$w man --warnings -E UTF-8 -l "$page" 2>&1 >/dev/null)
    [ -z "$warn" ] || bad "$1.1 at $w columns: $warn"
  done
  gzip -dc "$page.gz" | cmp -s - "$page" || bad "$1.1.gz is not $1.1"
  [ "$(od -An -tx1 -j4 -N4 "$page.gz" | tr -d ' ')" = 00000000 ] || bad "$1.1.gz has a time stamp"
}
for c in $commands; do
  check_page "kartoteka-$c" < <("$K" "$c" --help | options_of)
  case $c in help | completion) ;; *) grep -qx '.SH OUTPUT' "$MAN/kartoteka-$c.1" ||
    bad "kartoteka-$c.1 has no OUTPUT section (add set_manual(...) beside the command's registration)" ;;
  esac
  grep -qF "kartoteka-$c" <(plain "$MAN/kartoteka.1") || bad "kartoteka.1 does not list $c"
done
# kartoteka(1): the program's own options and the common options (those of segment's --help
# that are not segment's own are checked through segment's page already; here: all of them).
check_page kartoteka < <("$K" --help | options_of
  "$K" segment --help | sed -n '/^Common options:/,/^$/p' | options_of)
n=$(ls "$MAN"/*.1 | wc -l)
[ "$n" = $(($(wc -w <<<"$commands") + 1)) ] || bad "$n pages for $(wc -w <<<"$commands") commands"
# In a terminal (script(1) gives one) `kartoteka help COMMAND` of a build tree shows the page the
# build wrote beside the binary (§8.63).
if command -v script >/dev/null && [ "$(cd "$(dirname "$K")" && pwd)/man" = "$(cd "$MAN" && pwd)" ]; then
  # script(1) can lose the output of a child that ends at once on a loaded machine: 3 tries.
  for try in 1 2 3; do
    out=$(MANPAGER=cat PAGER=cat MANWIDTH=80 script -qec "$K help rfm" /dev/null 2>&1)
    grep -q 'KARTOTEKA-RFM(1)' <<<"$out" && break
  done
  grep -q 'KARTOTEKA-RFM(1)' <<<"$out" || bad "help rfm in a terminal: $(head -2 <<<"$out")"
fi
[ $fail = 0 ] && echo "ok: $n pages"
exit $fail
