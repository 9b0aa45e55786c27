#!/usr/bin/env bash
# `cmake --install` into a temporary prefix, the prefix moved elsewhere, then the installed
# hubmap run from there with the source tree (and the build tree inside it) hidden under an
# empty tmpfs: it must build its database from the installed geodata and answer. Also the man
# pages, the .desktop entry and icon, the usage line and an unknown command.
# The installed geodata must equal geodata/ file for file; the run then builds from the small
# copy (CTest fixture small_geodata: same files and formats, 高知県 whole) put in its place, so
# that it proves where the installed hubmap looks without a national init (6-8 s of CPU).
# Usage: install_test.sh BUILD_DIR SOURCE_DIR SMALL_GEODATA_DIR
set -euo pipefail
build=$(realpath "$1") src=$(realpath "$2") small=$(realpath "$3")
tmp=$(mktemp -d /tmp/hubmap-install-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
mv "$tmp/prefix" "$tmp/moved"
p=$tmp/moved
for f in bin/hubmap share/hubmap/geodata/README.md share/man/man1/hubmap.1; do
  [[ -e $p/$f ]] || fail "not installed: $f"
done
if [[ -e $p/bin/hubmap-viewer ]]; then
  for f in share/man/man1/hubmap-viewer.1 share/applications/hubmap-viewer.desktop \
           share/icons/hicolor/scalable/apps/hubmap.svg; do
    [[ -e $p/$f ]] || fail "not installed: $f"
  done
  if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$p/share/applications/hubmap-viewer.desktop" || fail "the .desktop entry is invalid"
  fi
fi
grep -q '^\.SS coverage' "$p/share/man/man1/hubmap.1" || fail "hubmap.1 has no section for the coverage command"
diff -rq "$src/geodata" "$p/share/hubmap/geodata" >&2 || fail "the installed geodata differs from geodata/"
rm -r "$p/share/hubmap/geodata"
cp -r "$small" "$p/share/hubmap/geodata"

# The run: a fresh HOME, no HUBMAP_* variables, from a folder outside both trees.
run() {
  env -i PATH=/usr/bin:/bin HOME="$tmp/home" LANG=C.UTF-8 "$@"
}
script=$(cat <<SCRIPT
set -e
cd "$tmp"
"$p/bin/hubmap" coverage -q --by nation --prefecture 高知 > "$tmp/coverage.txt"
"$p/bin/hubmap" info -q > "$tmp/info.txt"
SCRIPT
)
if unshare -m true 2>/dev/null; then
  run unshare -m sh -c "mount -t tmpfs none '$src' && $script" || fail "the installed hubmap failed with the source tree hidden"
  echo "source tree hidden under tmpfs during the run"
else
  run sh -c "$script" || fail "the installed hubmap failed"
  echo "unshare not permitted: the source tree stayed visible (geodata_dir is checked instead)"
fi
grep -q '高知県計' "$tmp/coverage.txt" || fail "no 高知県計 row: $(cat "$tmp/coverage.txt")"
grep -q "geodata_dir *$p/share/hubmap/geodata" "$tmp/info.txt" || fail "database not built from the installed geodata: $(grep geodata_dir "$tmp/info.txt")"

# Usage lines name the program; an unknown command says so and exits 2.
"$p/bin/hubmap" --help | grep -q '^Usage: hubmap \[OPTIONS\]' || fail "usage line does not say hubmap"
set +e
out=$("$p/bin/hubmap" nosuchcommand 2>&1); rc=$?
set -e
[[ $rc -eq 2 ]] || fail "hubmap nosuchcommand exited $rc"
[[ $out == *"unknown command 'nosuchcommand'"* ]] || fail "hubmap nosuchcommand said: $out"
echo "1 passed, 0 failed"
