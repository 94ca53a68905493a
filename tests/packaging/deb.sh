#!/usr/bin/env bash
# deb.sh BUILD_DIR SOURCE_DIR — `cpack -G DEB` (SPEC §9) into a temporary folder (never installed):
# kartoteka_VERSION_ARCH.deb whose file list (dpkg-deb -c) is the install tree under /usr, owned by
# root, with dependencies computed by dpkg-shlibdeps, a stripped binary, a copyright file and a
# gzip -n'd changelog whose version is the package's; installed into and removed from an empty
# dpkg root, it leaves nothing.
set -uo pipefail
BUILD=$(cd "$1" && pwd) SRC=$(cd "$2" && pwd)
fail=0
bad() { echo "FAIL: $*"; fail=1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
version=$(sed -n 's/^project(kartoteka VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")
arch=$(dpkg --print-architecture)
cpack -G DEB -B "$tmp" --config "$BUILD/CPackConfig.cmake" >"$tmp/log" 2>&1 ||
  { cat "$tmp/log"; echo "FAIL: cpack"; exit 1; }
deb=$tmp/kartoteka_${version}_${arch}.deb
[ -f "$deb" ] || { ls "$tmp"; echo "FAIL: no $(basename "$deb")"; exit 1; }
[ "$(dpkg-deb -f "$deb" Package)" = kartoteka ] || bad "Package"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || bad "Version $(dpkg-deb -f "$deb" Version)"
dpkg-deb -f "$deb" Depends | grep -q 'libc6 (>=' || bad "Depends not computed: $(dpkg-deb -f "$deb" Depends)"
list=$tmp/list.txt
dpkg-deb -c "$deb" > "$list" || bad "dpkg-deb -c"
owners=$(awk '$2 != "root/root" { print $2, $6 }' "$list")
[ -z "$owners" ] || bad "not owned by root: $owners"
# The files (not directories) must be what cmake --install puts under the prefix, under /usr.
awk '$1 !~ /^d/ { print $6 }' "$list" | sed 's|^\./usr/||' | LC_ALL=C sort > "$tmp/files.txt"
cmake --install "$BUILD" --prefix "$tmp/p" >/dev/null
(cd "$tmp/p" && find . -type f | sed 's|^\./||' | LC_ALL=C sort) > "$tmp/want.txt"
diff "$tmp/want.txt" "$tmp/files.txt" >/dev/null ||
  { bad "file list differs (< install tree, > .deb):"; diff "$tmp/want.txt" "$tmp/files.txt"; }
for f in usr/bin/kartoteka usr/share/doc/kartoteka/copyright usr/share/doc/kartoteka/changelog.gz \
  usr/share/man/man1/kartoteka.1.gz usr/share/bash-completion/completions/kartoteka; do
  grep -q " \./$f\$" "$list" || bad "the .deb lacks /$f"
done
dpkg-deb -x "$deb" "$tmp/x"
file "$tmp/x/usr/bin/kartoteka" | grep -q ', stripped' || bad "binary not stripped: $(file "$tmp/x/usr/bin/kartoteka")"
"$tmp/x/usr/bin/kartoteka" --version | grep -q "^kartoteka $version " || bad "the packaged binary's --version"
cl=$tmp/x/usr/share/doc/kartoteka/changelog.gz
[ "$(od -An -tx1 -j3 -N5 "$cl" | tr -d ' ')" = 0000000000 ] || bad "changelog.gz: not gzip -n"
gzip -dc "$cl" | head -1 | grep -q "^kartoteka ($version) " || bad "changelog's version is not $version"
grep -q '^Files: \*' "$tmp/x/usr/share/doc/kartoteka/copyright" || bad "copyright is not DEP-5"
# Installed and removed with dpkg into an empty root of its own (never the system's): every file
# lands, and removing the package leaves nothing behind outside dpkg's own database.
root=$tmp/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/triggers"
touch "$root/var/lib/dpkg/status"
d() { dpkg --root="$root" --force-not-root --force-script-chrootless --log=/dev/null "$@" >"$tmp/dpkg.log" 2>&1; }
# --force-depends: the empty root has no libc6 to satisfy Depends.
if d --force-depends -i "$deb"; then
  [ "$(cd "$root" && find usr -type f | wc -l)" = "$(wc -l < "$tmp/files.txt")" ] || bad "dpkg -i: not every file landed"
  d -r kartoteka || bad "dpkg -r failed: $(tail -3 "$tmp/dpkg.log")"
  left=$(cd "$root" && find . -mindepth 1 -not -path './var' -not -path './var/*')
  [ -z "$left" ] || bad "dpkg -r left: $left"
else
  bad "dpkg -i into an empty root failed: $(tail -3 "$tmp/dpkg.log")"
fi
[ $fail = 0 ] && echo "ok: $(basename "$deb"), $(wc -l < "$tmp/files.txt") files"
exit $fail
