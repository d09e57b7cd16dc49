#!/usr/bin/env bash
# tap-run.sh DESCRIPTION COMMAND [ARGS...]
# Runs one command as a one-test TAP stream, so that validators and other
# tools count in the test summary like every other test.
set -u
desc=$1
shift
echo "1..1"
if out=$("$@" 2>&1); then
  printf '%s\n' "$out" | sed 's/^/# /'
  echo "ok 1 - $desc"
else
  rc=$?
  printf '%s\n' "$out" | sed 's/^/# /'
  echo "not ok 1 - $desc (exit $rc)"
  exit 1
fi
