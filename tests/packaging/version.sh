#!/usr/bin/env bash
# version.sh KARTOTEKA SOURCE_DIR — `kartoteka --version` is `kartoteka VERSION (COMMIT)` (SPEC §9,
# §8.63): the commit of this checkout, and `unknown` for a tree that is not a git checkout's top (a
# tarball, alone or unpacked inside another repository) — checked by running cmake/commit.cmake on
# such trees.
set -euo pipefail
K=$1 SRC=$2
fail() { echo "FAIL: $*"; exit 1; }
want_version=$(sed -n 's/^project(kartoteka VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")
got=$("$K" --version)
[[ $got =~ ^kartoteka\ ([0-9.]+)\ \(([0-9a-f]+|unknown)\)$ ]] || fail "--version printed '$got'"
[ "${BASH_REMATCH[1]}" = "$want_version" ] || fail "--version $got, project version $want_version"
commit=${BASH_REMATCH[2]}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# The script names HEAD of a checkout; the binary names a commit of this checkout (the one it was
# built from: HEAD may have moved on since the last build).
cmake -DSRC="$SRC" -DOUT="$tmp/head.h" -DGIT="$(command -v git)" -P "$SRC/cmake/commit.cmake"
if git -C "$SRC" rev-parse --show-toplevel >/dev/null 2>&1; then
  head=$(git -C "$SRC" rev-parse --short=12 HEAD)
  grep -qx "#define KARTOTEKA_COMMIT \"$head\"" "$tmp/head.h" || fail "commit.cmake: $(cat "$tmp/head.h")"
  git -C "$SRC" cat-file -e "$commit^{commit}" 2>/dev/null || fail "--version names $commit, not a commit here"
else
  [ "$commit" = unknown ] || fail "--version outside a checkout: $got"
fi
mkdir -p "$tmp/tarball" "$tmp/repo/kartoteka-0.1.0"
cmake -DSRC="$tmp/tarball" -DOUT="$tmp/a.h" -DGIT="$(command -v git)" -P "$SRC/cmake/commit.cmake"
grep -qx '#define KARTOTEKA_COMMIT "unknown"' "$tmp/a.h" || fail "outside git: $(cat "$tmp/a.h")"
git -C "$tmp/repo" init -q
cmake -DSRC="$tmp/repo/kartoteka-0.1.0" -DOUT="$tmp/b.h" -DGIT="$(command -v git)" \
  -P "$SRC/cmake/commit.cmake"
grep -qx '#define KARTOTEKA_COMMIT "unknown"' "$tmp/b.h" || fail "inside another repo: $(cat "$tmp/b.h")"
echo ok
