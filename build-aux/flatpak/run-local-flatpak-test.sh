#!/usr/bin/env bash
# Build org.example.AsyncDemo as a real Flatpak against the local Debian-made
# runtime (see build-local-runtime.sh), install it for the user, start it
# under Xvfb, wait for its "Async Demo" window and take a screenshot once the
# window is drawn. Also checks that the runtime carries libadwaita-1 (>= 1.2)
# for the app: in the Sdk (pkg-config) and in the Platform (the shared
# library). Prints TAP; exits 1 when a check failed.
#
# Usage: run-local-flatpak-test.sh [--no-runtime-build] [SCREENSHOT.png]
#   --no-runtime-build  do not build/install the local runtime; if it is not
#                       installed, print "1..0 # SKIP" and exit 77. Implied
#                       when not root (building the runtime needs root).
#   SCREENSHOT.png      where to save the screenshot (default /tmp/flatpak-shot.png)
#
# Environment (optional):
#   ASYNC_DEMO_FLATPAK_CACHE    cache dir shared with build-local-runtime.sh
#   ASYNC_DEMO_FLATPAK_WORKDIR  scratch dir for flatpak-builder
#                               (default $ASYNC_DEMO_FLATPAK_CACHE/app-build)
#   ASYNC_DEMO_WINDOW_TIMEOUT   seconds to wait for the window, and then for it
#                               to be drawn (default 90 each)
#   ASYNC_DEMO_GSK_RENDERER     GSK_RENDERER for the app (default: GTK's choice)
#   ASYNC_DEMO_SKIP_EXIT_CODE   exit code of the skip case (default 77). Meson
#                               1.0's protocol: 'tap' reports any non-zero exit
#                               as ERROR, so with 'tap' set it to 0 (the
#                               "1..0 # SKIP" plan then counts as a skip); with
#                               protocol: 'exitcode' keep 77.
set -uo pipefail

APP_ID=org.example.AsyncDemo
WINDOW_TITLE="Async Demo"
PLATFORM_ID=org.example.LocalGnome.Platform
SDK_ID=org.example.LocalGnome.Sdk
BRANCH=bookworm

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MANIFEST="$SCRIPT_DIR/$APP_ID.local.json"
CACHE_DIR="${ASYNC_DEMO_FLATPAK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/async-demo-flatpak}"
WORK="${ASYNC_DEMO_FLATPAK_WORKDIR:-$CACHE_DIR/app-build}"
WINDOW_TIMEOUT="${ASYNC_DEMO_WINDOW_TIMEOUT:-90}"

BUILD_RUNTIME=1
SHOT=""
for arg in "$@"; do
  case "$arg" in
    --no-runtime-build) BUILD_RUNTIME=0 ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    -*) echo "unknown option: $arg" >&2; exit 2 ;;
    *) SHOT="$arg" ;;
  esac
done
SHOT="${SHOT:-/tmp/flatpak-shot.png}"
case "$SHOT" in /*) ;; *) SHOT="$PWD/$SHOT" ;; esac

PLAN=10
# The libadwaita the app is moving to (Debian 12 has 1.2).
ADW_MIN=1.2
N=0
FAILED=0

ok()      { N=$((N + 1)); echo "ok $N - $*"; }
not_ok()  { N=$((N + 1)); FAILED=$((FAILED + 1)); echo "not ok $N - $*"; }
skip()    { N=$((N + 1)); echo "ok $N - $1 # SKIP ${2:-}"; }
diag()    { sed 's/^/# /'; }
runtime_installed() {
  flatpak --user info "$PLATFORM_ID//$BRANCH" >/dev/null 2>&1 \
    && flatpak --user info "$SDK_ID//$BRANCH" >/dev/null 2>&1
}
finish() {
  # Remaining tests cannot run after a fatal step.
  local why="$1"
  while ((N < PLAN)); do skip "not run" "$why"; done
  exit 1
}

XVFB_PID=""
APP_PID=""
OWN_RUNTIME_DIR=""
cleanup() {
  if [[ -n "$APP_PID" ]] && kill -0 "$APP_PID" 2>/dev/null; then
    flatpak kill "$APP_ID" >/dev/null 2>&1 || true
    kill "$APP_PID" 2>/dev/null || true
    sleep 1
    kill -9 "$APP_PID" 2>/dev/null || true
  fi
  if [[ -n "${DBUS_SESSION_BUS_PID:-}" ]]; then
    kill "$DBUS_SESSION_BUS_PID" 2>/dev/null || true
  fi
  if [[ -n "$XVFB_PID" ]]; then
    kill "$XVFB_PID" 2>/dev/null || true
    wait "$XVFB_PID" 2>/dev/null || true
  fi
  if [[ -n "$OWN_RUNTIME_DIR" ]]; then rm -rf "$OWN_RUNTIME_DIR"; fi
}
trap cleanup EXIT

# ------------------------------------------------------------ 1: runtime
why_no_build="--no-runtime-build"
if ((EUID != 0)); then
  BUILD_RUNTIME=0
  why_no_build="not root: debootstrap and chroot need root"
fi
if ((BUILD_RUNTIME == 0)) && ! runtime_installed; then
  echo "1..0 # SKIP local runtime $PLATFORM_ID/$SDK_ID//$BRANCH not installed ($why_no_build)"
  exit "${ASYNC_DEMO_SKIP_EXIT_CODE:-77}"
fi
echo "1..$PLAN"
mkdir -p "$WORK"
# One run at a time per cache: the runtime, the builder's state and the
# installed app are shared. The long-lived children below do not inherit
# the lock (9>&-).
exec 9>"$WORK/.lock"
if ! flock -w 3000 9; then
  not_ok "no other run of this check holds $WORK/.lock (waited 3000s)"
  finish "cache busy"
fi

if ((BUILD_RUNTIME)); then
  t0=$SECONDS
  if bash "$SCRIPT_DIR/build-local-runtime.sh" >"$WORK/runtime.log" 2>&1 && runtime_installed; then
    ok "local runtime $PLATFORM_ID + $SDK_ID//$BRANCH installed ($((SECONDS - t0))s)"
  else
    not_ok "local runtime $PLATFORM_ID + $SDK_ID//$BRANCH installed"
    tail -n 40 "$WORK/runtime.log" | diag
    finish "no runtime"
  fi
else
  ok "local runtime $PLATFORM_ID + $SDK_ID//$BRANCH installed (not rebuilt)"
fi

# Host tools for the display test (a fresh machine may lack them).
missing=()
for t in Xvfb:xvfb xwininfo:x11-utils import:imagemagick dbus-launch:dbus-x11 \
         flatpak:flatpak flatpak-builder:flatpak-builder; do
  command -v "${t%%:*}" >/dev/null || missing+=("${t#*:}")
done
if ((${#missing[@]})) && [[ $EUID -eq 0 ]]; then
  echo "# installing host tools: ${missing[*]}"
  { DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=600 update \
    && DEBIAN_FRONTEND=noninteractive apt-get -y -q -o DPkg::Lock::Timeout=600 \
         install --no-install-recommends "${missing[@]}"; } >"$WORK/host-tools.log" 2>&1 \
    || tail -n 20 "$WORK/host-tools.log" | diag
fi

# ----------------------------------------------------------- 2: manifest
# flatpak-builder creates a .flatpak-builder dir in the current directory;
# keep it out of the source tree.
cd "$WORK" || exit 1
if flatpak-builder --show-manifest "$MANIFEST" >"$WORK/manifest.json" 2>"$WORK/manifest.err"; then
  ok "manifest $(basename "$MANIFEST") parses"
else
  not_ok "manifest $(basename "$MANIFEST") parses"
  diag <"$WORK/manifest.err"
  finish "bad manifest"
fi

# -------------------------------------------------------- 3: build+install
t0=$SECONDS
if flatpak-builder --user --install --force-clean --disable-rofiles-fuse \
     --state-dir="$WORK/state" "$WORK/build" "$MANIFEST" >"$WORK/flatpak-builder.log" 2>&1; then
  ok "flatpak-builder built and installed $APP_ID ($((SECONDS - t0))s)"
else
  not_ok "flatpak-builder built and installed $APP_ID ($((SECONDS - t0))s)"
  echo "# last lines of $WORK/flatpak-builder.log:"
  tail -n 60 "$WORK/flatpak-builder.log" | diag
  finish "build failed"
fi

# ---------------------------------------------------------- 4: installed
if info="$(flatpak --user info "$APP_ID" 2>&1)"; then
  ok "$APP_ID installed: $(flatpak --user info --show-commit "$APP_ID" 2>/dev/null | cut -c1-12), runtime $(flatpak --user info --show-runtime "$APP_ID" 2>/dev/null)"
else
  not_ok "$APP_ID installed"
  echo "$info" | diag
  finish "app not installed"
fi

# ---------------------------------------------------- 5-6: libadwaita-1
# The app's sandbox with the Sdk (--devel) must find libadwaita-1 >= 1.2 for
# building, and its ordinary sandbox (the Platform) the shared library.
if adw="$(flatpak run --user --devel --command=pkg-config "$APP_ID" --modversion libadwaita-1 2>&1)" \
   && flatpak run --user --devel --command=pkg-config "$APP_ID" --atleast-version="$ADW_MIN" libadwaita-1; then
  ok "Sdk: pkg-config finds libadwaita-1 $adw (>= $ADW_MIN) in the app's --devel sandbox"
else
  not_ok "Sdk: pkg-config finds libadwaita-1 >= $ADW_MIN in the app's --devel sandbox"
  echo "$adw" | diag
fi
# shellcheck disable=SC2016
if lib="$(flatpak run --user --command=sh "$APP_ID" -c 'ldconfig -p | grep -F "libadwaita-1.so.0 "' 2>&1)"; then
  ok "Platform: the app's sandbox has libadwaita-1.so.0 ($(echo "$lib" | sed -n 's/.*=> //p' | head -n1))"
else
  not_ok "Platform: the app's sandbox has libadwaita-1.so.0"
  echo "$lib" | diag
fi

# -------------------------------------------------------- 7: X + D-Bus
d=99
while [[ -e "/tmp/.X11-unix/X$d" || -e "/tmp/.X$d-lock" ]]; do d=$((d + 1)); done
Xvfb ":$d" -screen 0 1280x800x24 -nolisten tcp >"$WORK/xvfb.log" 2>&1 9>&- &
XVFB_PID=$!
for _ in $(seq 1 100); do
  [[ -S "/tmp/.X11-unix/X$d" ]] && break
  kill -0 "$XVFB_PID" 2>/dev/null || break
  sleep 0.1
done
export DISPLAY=":$d"
unset WAYLAND_DISPLAY
if [[ -z "${XDG_RUNTIME_DIR:-}" || ! -d "${XDG_RUNTIME_DIR:-}" ]]; then
  OWN_RUNTIME_DIR="$(mktemp -d /tmp/async-demo-xdg-runtime.XXXXXX)"
  chmod 700 "$OWN_RUNTIME_DIR"
  export XDG_RUNTIME_DIR="$OWN_RUNTIME_DIR"
fi
if [[ -S "/tmp/.X11-unix/X$d" ]] && eval "$(dbus-launch --sh-syntax 9>&-)" && [[ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ]]; then
  ok "Xvfb on $DISPLAY and a D-Bus session bus started"
else
  not_ok "Xvfb on $DISPLAY and a D-Bus session bus started"
  diag <"$WORK/xvfb.log"
  finish "no display"
fi

# ------------------------------------------------------------ 8: window
run_env=()
[[ -n "${ASYNC_DEMO_GSK_RENDERER:-}" ]] && run_env+=("--env=GSK_RENDERER=$ASYNC_DEMO_GSK_RENDERER")
flatpak run --user "${run_env[@]}" "$APP_ID" >"$WORK/app.log" 2>&1 9>&- &
APP_PID=$!
t0=$SECONDS
found=""
while ((SECONDS - t0 < WINDOW_TIMEOUT)); do
  if xwininfo -root -tree 2>/dev/null | grep -q "\"$WINDOW_TITLE\""; then found=1; break; fi
  kill -0 "$APP_PID" 2>/dev/null || break
  sleep 0.5
done
if [[ -n "$found" ]]; then
  if flatpak ps --columns=application 2>/dev/null | grep -qx "$APP_ID"; then
    where="in a Flatpak sandbox"
  else
    where="but flatpak ps does not list $APP_ID"
  fi
  ok "window \"$WINDOW_TITLE\" shown ($((SECONDS - t0))s after flatpak run, $where)"
else
  if kill -0 "$APP_PID" 2>/dev/null; then
    not_ok "window \"$WINDOW_TITLE\" shown (none after ${WINDOW_TIMEOUT}s)"
  else
    wait "$APP_PID"; rc=$?
    not_ok "window \"$WINDOW_TITLE\" shown (app exited with status $rc)"
  fi
  echo "# windows:"; xwininfo -root -tree 2>&1 | grep '"' | head -20 | diag
  echo "# app output:"; tail -n 40 "$WORK/app.log" | diag
fi

# -------------------------------------------------------- 9: screenshot
# The window is mapped well before GTK has drawn its first frame (seconds
# under load, with GL on the CPU), and until then its area is one flat
# colour. Take screenshots until the window's area has contrast.
# Prints the window's absolute geometry as "WxH+X+Y", the largest window
# with the title (GTK also maps a 1x1 one).
window_geometry() {
  local wid info
  wid="$(xwininfo -root -tree 2>/dev/null | awk -v t="\"$WINDOW_TITLE\":" '
    index($0, t) {
      for (i = 1; i <= NF; i++)
        if ($i ~ /^[0-9]+x[0-9]+[+-]/) {
          split($i, g, /[x+-]/)
          if (g[1] * g[2] > best) { best = g[1] * g[2]; id = $1 }
        }
    }
    END { print id }')"
  [[ -n "$wid" ]] || return 1
  info="$(xwininfo -id "$wid" 2>/dev/null)" || return 1
  awk -F: '
    /Absolute upper-left X/ { x = $2 + 0 } /Absolute upper-left Y/ { y = $2 + 0 }
    /^ *Width/ { w = $2 + 0 } /^ *Height/ { h = $2 + 0 }
    END { if (w > 0 && h > 0) printf "%dx%d+%d+%d\n", w, h, x, y; else exit 1 }' <<<"$info"
}
# Standard deviation (0..1) of the grey levels inside geometry $2 of image $1.
area_contrast() {
  convert "$1" -crop "$2" +repage -colorspace Gray -format '%[fx:standard_deviation]' info: 2>/dev/null
}
mkdir -p "$(dirname "$SHOT")"
rm -f "$SHOT"
drawn=""
contrast=""
geom=""
t0=$SECONDS
if [[ -n "$found" ]]; then
  while :; do
    geom="$(window_geometry)" || geom=""
    if [[ -n "$geom" ]] && import -window root "$SHOT.tmp.png" 2>"$WORK/import.err"; then
      contrast="$(area_contrast "$SHOT.tmp.png" "$geom")"
      mv -f "$SHOT.tmp.png" "$SHOT"
      if awk -v c="${contrast:-0}" 'BEGIN { exit !(c > 0.02) }'; then drawn=1; break; fi
    fi
    ((SECONDS - t0 < WINDOW_TIMEOUT)) || break
    kill -0 "$APP_PID" 2>/dev/null || break
    sleep 0.5
  done
fi
if [[ -n "$drawn" ]]; then
  ok "screenshot of the drawn window ($geom, contrast $contrast, $((SECONDS - t0))s) saved to $SHOT"
elif [[ -z "$found" ]]; then
  not_ok "screenshot of the drawn window (no app window was shown)"
else
  not_ok "screenshot of the drawn window (${geom:-no geometry}: contrast ${contrast:-none} after $((SECONDS - t0))s, still blank)"
  [[ -s "$WORK/import.err" ]] && diag <"$WORK/import.err"
fi

# -------------------------------------------------------------- 10: stop
if kill -0 "$APP_PID" 2>/dev/null; then
  flatpak kill "$APP_ID" >/dev/null 2>&1 || kill "$APP_PID" 2>/dev/null
  for _ in $(seq 1 50); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$APP_PID" 2>/dev/null; then
    kill -9 "$APP_PID" 2>/dev/null
    not_ok "app stopped (needed SIGKILL)"
  else
    ok "app was running until stopped"
  fi
  wait "$APP_PID" 2>/dev/null
else
  not_ok "app was running until stopped (it had already exited)"
fi
APP_PID=""
if grep -qiE 'critical|error' "$WORK/app.log"; then
  echo "# app log has errors/criticals ($WORK/app.log):"
  grep -iE 'critical|error' "$WORK/app.log" | head -20 | diag
fi

((FAILED == 0)) || exit 1
exit 0
