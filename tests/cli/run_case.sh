#!/usr/bin/env bash
# run_case.sh KARTOTEKA CASE_DIR — one golden CLI case.
# CASE_DIR/cmd       bash snippet; $K is the program; runs inside a scratch copy of CASE_DIR
# CASE_DIR/expected.rc   expected exit code (default 0)
# CASE_DIR/expected.out  expected stdout, byte for byte (on a non-zero rc: stdout must be empty
#                        unless expected.out exists)
# CASE_DIR/expected.err  optional: fixed strings (one a line) that stderr must contain
set -uo pipefail
K=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
CASE=$(cd "$2" && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cp -R "$CASE"/. "$work"/
cd "$work" || exit 2
export K
env -u KARTOTEKA_PATIENTS -u KARTOTEKA_VISITS LC_ALL=C.UTF-8 TZ=UTC bash ./cmd >"$work/.out" 2>"$work/.err" </dev/null
rc=$?
want_rc=0; [ -f "$CASE/expected.rc" ] && want_rc=$(cat "$CASE/expected.rc")
fail=0
if [ "$rc" != "$want_rc" ]; then echo "exit code $rc, expected $want_rc"; fail=1; fi
if [ -f "$CASE/expected.out" ]; then
  if ! cmp -s "$work/.out" "$CASE/expected.out"; then
    echo "stdout differs:"; diff "$CASE/expected.out" "$work/.out" | head -20; fail=1
  fi
elif [ "$want_rc" != 0 ] && [ -s "$work/.out" ]; then
  echo "stdout not empty on failure"; fail=1
fi
if [ -f "$CASE/expected.err" ]; then
  while IFS= read -r pat; do
    [ -z "$pat" ] && continue
    if ! grep -qF -- "$pat" "$work/.err"; then echo "stderr lacks: $pat"; fail=1; fi
  done < "$CASE/expected.err"
fi
if [ $fail != 0 ]; then echo "--- stderr:"; head -20 "$work/.err"; fi
exit $fail
