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
if git -C "$SRC" rev-parse --show-toplevel >/dev/null 2>&1; then
  want="kartoteka $want_version ($(git -C "$SRC" rev-parse --short=12 HEAD))"
else
  want="kartoteka $want_version (unknown)"
fi
[ "$got" = "$want" ] || fail "--version printed '$got', expected '$want'"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/tarball" "$tmp/repo/kartoteka-0.1.0"
cmake -DSRC="$tmp/tarball" -DOUT="$tmp/a.h" -DGIT="$(command -v git)" -P "$SRC/cmake/commit.cmake"
grep -qx '#define KARTOTEKA_COMMIT "unknown"' "$tmp/a.h" || fail "outside git: $(cat "$tmp/a.h")"
git -C "$tmp/repo" init -q
cmake -DSRC="$tmp/repo/kartoteka-0.1.0" -DOUT="$tmp/b.h" -DGIT="$(command -v git)" \
  -P "$SRC/cmake/commit.cmake"
grep -qx '#define KARTOTEKA_COMMIT "unknown"' "$tmp/b.h" || fail "inside another repo: $(cat "$tmp/b.h")"
echo ok
