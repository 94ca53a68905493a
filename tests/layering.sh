#!/usr/bin/env bash
# tests/layering.sh [SRC_ROOT] — the layering drawn from the includes (issue 29, DEVELOPERS.md):
# rules/ and model/ are pure (no file, no command line), so nothing under src/rules or src/model
# may include io/ or cli/, and src/base includes none of them. Prints every offending include and fails; run by ctest and tools/check.
set -euo pipefail
root=${1:-$(dirname "$0")/..}
bad=$(grep -rnE '#include[[:space:]]*"(io|cli)/' "$root/src/rules" "$root/src/model" || true)
if [ -n "$bad" ]; then
  echo "layering: src/rules and src/model must not include io/ or cli/:" >&2
  echo "$bad" >&2
  exit 1
fi
# base/ (speed code: arenas, hashes, threads) sits under everything: it includes no project layer.
bad=$(grep -rnE '#include[[:space:]]*"(io|cli|rules|model)/' "$root/src/base" 2>/dev/null || true)
if [ -n "$bad" ]; then
  echo "layering: src/base must not include io/, cli/, rules/ or model/:" >&2
  echo "$bad" >&2
  exit 1
fi
# Prefetch hints (issue 29): the builtin is named in base/prefetch.h only; rules and models offer
# hint methods on it that a reader's look-ahead calls, never their own logic.
bad=$(grep -rn '__builtin_prefetch' "$root/src" | grep -v "^$root/src/base/" || true)
if [ -n "$bad" ]; then
  echo "layering: __builtin_prefetch outside src/base (use base/prefetch.h from a hint method):" >&2
  echo "$bad" >&2
  exit 1
fi
echo "layering: ok (src/rules, src/model include nothing of io/ or cli/; src/base no project layer; prefetch only in src/base)"
