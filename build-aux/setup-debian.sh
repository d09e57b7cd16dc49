#!/usr/bin/env bash
# setup-debian.sh [run|test|bench|all]
#
# Installs the Debian 12 packages Async Demo needs and that are missing:
# 'run' what building and running the app needs, 'test' (the default) also
# what the test suites and CI need, 'bench' (and 'all') also the peers the
# benchmarks compare against. apt-get as root, through sudo otherwise.
set -euo pipefail

what=${1:-test}

run_pkgs=(
  meson ninja-build pkg-config gcc gettext
  libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev libglib2.0-dev libjson-glib-dev
  libglib2.0-bin desktop-file-utils
  libsysprof-4-dev
)
test_pkgs=(
  appstream xvfb xauth dbus dbus-x11 x11-utils imagemagick libgtk-4-bin
  flatpak flatpak-builder debootstrap python3 clang libclang-rt-14-dev valgrind gcovr libgumbo-dev
  at-spi2-core python3-pyatspi gir1.2-atspi-2.0 python3-gi xdotool
)
bench_pkgs=(
  nginx-light wget2 curl sysprof python3.11-doc
)

pkgs=("${run_pkgs[@]}")
[ "$what" = run ] || pkgs+=("${test_pkgs[@]}")
case "$what" in bench|all) pkgs+=("${bench_pkgs[@]}") ;; esac

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "Installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
