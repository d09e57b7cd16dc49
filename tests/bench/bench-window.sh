#!/bin/sh
# bench-window.sh WITH_DISPLAY BENCH_WINDOW
#
# Runs bench-window (which runs itself once per renderer) on a private
# display. The environment scales it: BENCH_WINDOW_SCALE=0.3 for a quick
# run (see the header of bench-window.c).
set -eu
exec "$1" "$2"
