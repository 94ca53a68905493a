#!/usr/bin/env bash
# install.sh BUILD_DIR SOURCE_DIR — `cmake --install BUILD --prefix DIR` (SPEC §9) into a temporary prefix:
# the tree holds exactly the binary, a gzip'd page per command plus kartoteka.1, the three
# completion scripts where each shell looks, and share/doc/kartoteka; the installed binary runs,
# its pages render and its bash completion loads.
set -uo pipefail
BUILD=$(cd "$1" && pwd) SRC=$(cd "$2" && pwd)
fail=0
bad() { echo "FAIL: $*"; fail=1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cmake --install "$BUILD" --prefix "$tmp/p" >/dev/null || { echo "FAIL: cmake --install"; exit 1; }
cd "$tmp/p" || exit 2
K=bin/kartoteka
[ -x $K ] || bad "no bin/kartoteka"
"$K" --version | grep -qE '^kartoteka [0-9]+\.[0-9]+\.[0-9]+ \(([0-9a-f]+|unknown)\)$' || bad "--version"
commands=$("$K" --help | sed -n '/^Subcommands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }')
# The expected tree, built from the command list the installed binary itself prints.
{
  echo bin/kartoteka
  echo share/man/man1/kartoteka.1.gz
  for c in $commands; do echo "share/man/man1/kartoteka-$c.1.gz"; done
  echo share/bash-completion/completions/kartoteka
  echo share/zsh/vendor-completions/_kartoteka
  echo share/fish/vendor_completions.d/kartoteka.fish
  echo share/doc/kartoteka/README.md
  echo share/doc/kartoteka/copyright
  echo share/doc/kartoteka/changelog.gz
  (cd "$SRC/examples" && find . -type f) |
    sed 's|^\./|share/doc/kartoteka/examples/|'
} | LC_ALL=C sort > want.txt
find . -type f | sed 's|^\./||' | grep -vE '^(want|got)\.txt$' | LC_ALL=C sort > got.txt
diff want.txt got.txt >/dev/null || { bad "install tree differs (< wanted, > installed):"; diff want.txt got.txt; }
for f in share/man/man1/*.1.gz share/doc/kartoteka/changelog.gz; do
  gzip -t "$f" || bad "$f is not gzip"
  [ "$(od -An -tx1 -j3 -N5 "$f" | tr -d ' ')" = 0000000000 ] || bad "$f: not gzip -n (name or time)"
done
for f in share/man/man1/*.1.gz; do
  w=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$f" 2>&1 >/dev/null)
  [ -z "$w" ] || bad "$f: $w"
done
bash -c 'source share/bash-completion/completions/kartoteka && complete -p kartoteka' >/dev/null ||
  bad "the installed bash completion does not load"
# `kartoteka help COMMAND` in a terminal (script(1) gives it one) shows the installed page through
# man (§8.63); in a pipe it prints --help.
if command -v script >/dev/null; then
  # script(1) can lose the output of a child that ends at once on a loaded machine: 3 tries.
  for try in 1 2 3; do
    out=$(MANPATH=$PWD/share/man MANPAGER=cat PAGER=cat MANWIDTH=80 \
      script -qec "$PWD/bin/kartoteka help rfm" /dev/null 2>&1)
    grep -q 'KARTOTEKA-RFM(1)' <<<"$out" && break
  done
  grep -q 'KARTOTEKA-RFM(1)' <<<"$out" || bad "help rfm in a terminal did not show the page: $(head -3 <<<"$out")"
  for try in 1 2 3; do
    out=$(MANPATH=$PWD/share/man MANPAGER=cat PAGER=cat script -qec "$PWD/bin/kartoteka help" /dev/null 2>&1)
    grep -q 'KARTOTEKA(1)' <<<"$out" && break
  done
  grep -q 'KARTOTEKA(1)' <<<"$out" || bad "help in a terminal did not show kartoteka(1)"
fi
MANPATH=$PWD/share/man "$K" help rfm | grep -q '^Usage: kartoteka rfm' || bad "help rfm in a pipe"
[ $fail = 0 ] && echo "ok: $(wc -l < got.txt) files"
exit $fail
