#!/usr/bin/env bash
# expect-tsan-report.sh CANARY
# Passes when ThreadSanitizer reports the canary's deliberate race, with
# our function on the stack: proof that the TSan gate can fail.
set -u
echo "1..1"
out=$(TSAN_OPTIONS="${TSAN_OPTIONS:-} halt_on_error=1 exitcode=66" "$1" 2>&1)
rc=$?
if [ $rc -eq 66 ] && printf '%s\n' "$out" | grep -q 'WARNING: ThreadSanitizer: data race' &&
   printf '%s\n' "$out" | grep -q 'canary_racy_increment'; then
  echo "ok 1 - ThreadSanitizer reports the deliberate race in canary_racy_increment"
else
  printf '%s\n' "$out" | head -30 | sed 's/^/# /'
  echo "not ok 1 - ThreadSanitizer reports the deliberate race (exit $rc)"
  exit 1
fi
