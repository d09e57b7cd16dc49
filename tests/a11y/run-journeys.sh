#!/usr/bin/env bash
# run-journeys.sh SRCDIR BUILDDIR [journeys.py ARGS...]
#
# Installs Async Demo the way a user does (meson setup --prefix, compile,
# install) into BUILDDIR/tests/a11y/app/prefix, then runs the user journeys
# of tests/a11y/journeys.py against the installed binary under a private
# X server (1280x800) and session bus, with the accessibility bus on
# (GTK_A11Y=atspi) and settings in a keyfile under a scratch
# XDG_CONFIG_HOME, so that a restart keeps them. The installed translations,
# schema and icons are the ones used: XDG_DATA_DIRS names the prefix first.
#
# The install is shared by the journeys of one meson run (one build tree
# next to the test's build, guarded by a lock); each run compiles and
# installs again, which costs nothing when the sources have not changed.
# TAP output. With --screenshots OUTDIR, tests/a11y/screenshots.py runs instead.
set -u
src=$(cd "$1" && pwd)
build=$(cd "$2" && pwd)
shift 2

here=$src/tests/a11y
work=$build/tests/a11y/app
mkdir -p "$work"

python=/usr/bin/python3
if ! "$python" -c 'import gi; gi.require_version("Atspi", "2.0"); from gi.repository import Atspi' \
     2>/dev/null; then
  echo "1..0 # SKIP python3-pyatspi/gir1.2-atspi-2.0 missing (build-aux/setup-debian.sh test)"
  exit 77
fi

(
  flock 9
  if [ ! -f "$work/build/build.ninja" ]; then
    rm -rf "$work/build"
    meson setup "$work/build" "$src" --prefix="$work/prefix" -Dtests=false \
      >"$work/setup.log" 2>&1 || { tail -30 "$work/setup.log" | sed 's/^/# /'; exit 1; }
  fi
  meson compile -C "$work/build" >"$work/compile.log" 2>&1 &&
    meson install -C "$work/build" >"$work/install.log" 2>&1 ||
    { tail -30 "$work/compile.log" "$work/install.log" | sed 's/^/# /'; exit 1; }
) 9>"$work/.lock" || { echo "Bail out! the app could not be built and installed"; exit 1; }

prefix=$work/prefix
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# The test environment points at the build tree; the journeys use what was installed.
unset GSETTINGS_SCHEMA_DIR ASYNC_DEMO_BINARY NO_AT_BRIDGE G_DEBUG
export GTK_A11Y=atspi
export GSETTINGS_BACKEND=keyfile
export XDG_CONFIG_HOME=$scratch/config XDG_CACHE_HOME=$scratch/cache XDG_STATE_HOME=$scratch/state
export HOME=$scratch/home
mkdir -p "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME" "$HOME"
export XDG_DATA_DIRS=$prefix/share:/usr/share
export PATH=$prefix/bin:$PATH
export AD_A11Y_PREFIX=$prefix AD_A11Y_SCRATCH=$scratch AD_A11Y_OUT=$build/tests/a11y AD_A11Y_SRC=$src
export AD_DISPLAY_SIZE=${AD_DISPLAY_SIZE:-1280x800x24}
# With no GPU, GTK's GL renderer runs on llvmpipe: while a demo runs, the window's
# frames took the main loop's time and every AT-SPI call waited for the run to end
# (a walk of the window took 10 s instead of 0.7 s). Cairo draws the same pixels.
export GSK_RENDERER=${AD_A11Y_RENDERER:-cairo}
# The display's own session bus starts the accessibility bus on demand.
unset DBUS_SESSION_BUS_ADDRESS AT_SPI_BUS_ADDRESS

if [ "${1:-}" = --screenshots ]; then
  shift
  exec "$src/build-aux/with-display.sh" "$python" -u "$here/screenshots.py" "$@"
fi
"$src/build-aux/with-display.sh" "$python" -u "$here/journeys.py" "$@"
