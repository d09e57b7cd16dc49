#!/usr/bin/env bash
# dev.sh run | test
#
# The README's two commands.
#   run   installs what is missing, builds, and starts Async Demo from the
#         build tree (meson devenv finds the schema and translations).
#   test  installs what is missing, then builds and tests every
#         configuration (gcc, ASan+UBSan, TSan, valgrind, static analysis,
#         fuzzing: see build-aux/check.sh) with a private display, and
#         prints "N passed, N failed, N skipped" counted from meson's logs.
#
# Environment: BUILDDIR (default _build) for `run`.
set -euo pipefail

cd "$(dirname "$0")/.."
cmd=${1:-}
builddir=${BUILDDIR:-_build}

case "$cmd" in
  run)
    build-aux/setup-debian.sh run
    [ -d "$builddir" ] || meson setup "$builddir"
    meson compile -C "$builddir"
    exec meson devenv -C "$builddir" ./src/async-demo
    ;;
  test)
    build-aux/setup-debian.sh test
    exec build-aux/check.sh all
    ;;
  *)
    echo "usage: $0 run|test" >&2
    exit 2
    ;;
esac
