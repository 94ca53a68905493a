#!/usr/bin/env bash
# test_chromium.sh KARTOTEKA EXAMPLES_DIR — a real browser renders the examples' report page
# (SPEC §6.7): Debian's chromium, headless, loads the file with the network disabled, and the DOM
# it builds has every table and chart of the page; a screenshot at 1280 px is written. Exit 77
# (ctest: skipped) when chromium is not installed — tools/check installs it.
set -uo pipefail
K=$1 EX=$2
command -v chromium >/dev/null || { echo "chromium not installed: skipped"; exit 77; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
"$K" report --patients "$EX/canonical/patients.csv" --visits "$EX/canonical/visits.csv" \
  --as-of 2026-11-22 --cashback 5 --adjustments "$EX/canonical/adjustments.csv" --quiet \
  -o "$work/page.html" || { echo "report failed"; exit 1; }
# Its own profile folder, no network at all: anything the page tried to fetch would fail and be
# logged as a console error.
flags=(--headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$work/profile"
       --proxy-server=127.0.0.1:9 --proxy-bypass-list='<-loopback>' --enable-logging=stderr --v=0)
timeout 120 chromium "${flags[@]}" --dump-dom "file://$work/page.html" >"$work/dom.html" 2>"$work/dom.err"
rc=$?
fail=0
[ $rc = 0 ] || { echo "chromium --dump-dom exited $rc"; fail=1; }
for t in overview activity branches months rfm_grid rfm sleeping referrals referral_audit ledger tiers; do
  grep -q "data-table=\"$t\"" "$work/dom.html" || { echo "rendered DOM lacks table $t"; fail=1; }
done
want=$(grep -o '<svg ' "$work/page.html" | wc -l)
got=$(grep -o '<svg ' "$work/dom.html" | wc -l)
[ "$want" = "$got" ] && [ "$got" -ge 8 ] || { echo "charts: page $want, rendered $got"; fail=1; }
if grep -E "Failed to load resource|net::ERR_|Uncaught|Refused to" "$work/dom.err"; then
  echo "the browser reports errors loading the page"; fail=1
fi
timeout 120 chromium "${flags[@]}" --hide-scrollbars --window-size=1280,2000 \
  --screenshot="$work/page.png" "file://$work/page.html" >/dev/null 2>"$work/shot.err"
[ -s "$work/page.png" ] || { echo "no screenshot"; cat "$work/shot.err" | tail -5; fail=1; }
[ $fail = 0 ] && echo "chromium renders the report page"
exit $fail
