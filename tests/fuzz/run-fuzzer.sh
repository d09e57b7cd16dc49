#!/usr/bin/env bash
# run-fuzzer.sh TARGET SEED_CORPUS SECONDS ARTIFACT_DIR
#
# 1. replays every committed input (the seed corpus, which also holds the
#    regression inputs of crashes found earlier) once;
# 2. fuzzes for SECONDS with a scratch copy of the corpus, so the
#    repository is never modified. Any crash, leak, timeout (10 s per
#    input) or out-of-memory fails; the input is saved in ARTIFACT_DIR:
#    fix the bug, then commit the input to the seed corpus as a regression.
set -u
target=$1
corpus=$2
seconds=$3
artifacts=$4
name=$(basename "$target")
mkdir -p "$artifacts"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

echo "1..2"
mapfile -t seeds < <(find "$corpus" -type f | sort)
if out=$("$target" -runs=0 -rss_limit_mb=2048 -timeout=10 "$corpus" 2>&1); then
  echo "ok 1 - $name replays its ${#seeds[@]} committed inputs"
else
  printf '%s\n' "$out" | tail -40 | sed 's/^/# /'
  echo "not ok 1 - $name replays its ${#seeds[@]} committed inputs"
  exit 1
fi

cp -r "$corpus"/. "$scratch"/
if out=$("$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
           -print_final_stats=1 -artifact_prefix="$artifacts/$name-" "$scratch" 2>&1); then
  runs=$(printf '%s\n' "$out" | sed -n 's/^stat::number_of_executed_units: *//p')
  echo "# $runs executions in $seconds s"
  echo "ok 2 - $name: ${runs:-?} inputs in $seconds s, no crash, leak or timeout"
else
  printf '%s\n' "$out" | grep -v '^#[0-9]' | tail -60 | sed 's/^/# /'
  echo "not ok 2 - $name found a failing input (saved in $artifacts)"
  exit 1
fi
