#!/usr/bin/env bash
# Installs the Debian packages hubmap needs. Idempotent: does nothing when all are present.
set -euo pipefail
packages=(
  build-essential cmake pkg-config git clang-format
  libgdal-dev gdal-bin python3-gdal python3-qgis
  libgeos-dev libproj-dev proj-bin proj-data
  libsqlite3-dev sqlite3 libspatialite-dev libsqlite3-mod-spatialite spatialite-bin
  libimgui-dev libglfw3-dev libgl-dev libegl-dev libpng-dev libepoxy-dev libfreetype-dev
  libcli11-dev nlohmann-json3-dev libfmt-dev coinor-libcbc-dev libicu-dev
  libgtest-dev libgmock-dev libbenchmark-dev hyperfine locales
  fonts-noto-cjk xvfb xauth libgl1-mesa-dri mesa-utils
  help2man desktop-file-utils
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi
echo "hubmap: installing ${#missing[@]} Debian packages: ${missing[*]}" >&2
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
