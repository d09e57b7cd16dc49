#!/usr/bin/env bash
# dev.sh run | test
#
# The README's two commands.
#   run   installs what is missing, builds, and starts Async Demo from the
#         build tree (meson devenv finds the schema and translations).
#   test  installs what is missing, builds with warnings as errors, runs
#         every test suite with a private display, and prints
#         "N passed, N failed[, N skipped]" counted from meson's test log.
#
# Environment: BUILDDIR (default _build), MESON_TEST_ARGS (extra arguments
# for meson test, e.g. "--suite core").
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
    if [ -d "$builddir" ]; then
      meson configure "$builddir" -Dwerror=true >/dev/null
    else
      meson setup "$builddir" -Dwerror=true
    fi
    meson compile -C "$builddir"
    status=0
    # shellcheck disable=SC2086
    build-aux/with-display.sh meson test -C "$builddir" --print-errorlogs ${MESON_TEST_ARGS:-} || status=$?
    python3 build-aux/ci/summarize-tests.py "$builddir/meson-logs/testlog.json" || status=1
    exit $status
    ;;
  *)
    echo "usage: $0 run|test" >&2
    exit 2
    ;;
esac
