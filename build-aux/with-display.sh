#!/usr/bin/env bash
# with-display.sh COMMAND [ARGS...]
#
# Runs COMMAND with a private X server (Xvfb) and a private D-Bus session
# bus, then stops both by PID. More reliable than xvfb-run, which can exit
# with its own cleanup error. The command's exit status is returned.
#
# Environment: AD_DISPLAY_SIZE (default 1280x800x24).
set -u

size=${AD_DISPLAY_SIZE:-1280x800x24}

# Pick a free display number.
n=90
while [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ]; do
  n=$((n + 1))
done

Xvfb ":$n" -screen 0 "$size" -nolisten tcp -noreset >/dev/null 2>&1 &
xvfb_pid=$!

for _ in $(seq 1 100); do
  [ -S "/tmp/.X11-unix/X$n" ] && break
  if ! kill -0 "$xvfb_pid" 2>/dev/null; then
    echo "with-display: Xvfb :$n failed to start" >&2
    exit 1
  fi
  sleep 0.05
done

export DISPLAY=":$n"
unset WAYLAND_DISPLAY
export GDK_BACKEND=x11
export GTK_A11Y=${GTK_A11Y:-none}
export NO_AT_BRIDGE=1

eval "$(dbus-launch --sh-syntax)"
dbus_pid=${DBUS_SESSION_BUS_PID:-}

cleanup() {
  [ -n "$dbus_pid" ] && kill "$dbus_pid" 2>/dev/null
  kill "$xvfb_pid" 2>/dev/null
  wait "$xvfb_pid" 2>/dev/null
}
trap cleanup EXIT

"$@"
