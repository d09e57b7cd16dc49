#!/usr/bin/env bash
# bench-chat.sh ASYNC_DEMO CHAT_LOAD PYTHON_SERVER
#
# The chat server against a tutorial-style Python asyncio chat server, in
# one invocation, with the same load generator (chat-load.c):
#  - delivered messages/s at saturation (a closed loop keeps 128 messages in
#    flight), at 10, 100 and 1,000 clients, with the server's RSS;
#  - p50/p99 delivery latency at a fixed offered rate below saturation (half
#    the slower server's saturation rate, the same rate for both; the
#    median of three runs);
#  - RSS per idle connection: a fresh server, its RSS before and after
#    10,000 connections that only received their greeting.
# Both servers run with no rate limit and no join notices (ours:
# --rate-limit 0 --quiet), so they do the same work. Never fails on speed.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

async_demo=$1
chat_load=$2
py_server=$3
seconds=${BENCH_SECONDS:-3}
rate_seconds=${BENCH_RATE_SECONDS:-2}
sizes=${BENCH_SIZES:-"10 100 1000"}
idle_clients=${BENCH_IDLE_CLIENTS:-10000}

ulimit -n "$(ulimit -Hn)"
export LC_ALL=C LANGUAGE=C
tmp=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# start_server NAME COMMAND…: sets server_pid and server_port
start_server() {
  local name=$1; shift
  "$@" > "$tmp/$name.out" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
  for _ in $(seq 100); do
    if grep -q '^listening on' "$tmp/$name.out"; then break; fi
    sleep 0.05
  done
  server_port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$tmp/$name.out")
  if [ -z "$server_port" ]; then
    echo "# $name did not start:"; sed 's/^/#   /' "$tmp/$name.out"; exit 1
  fi
}

stop_server() {
  kill -TERM "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
field() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" <<< "$2"; }

ours=("$async_demo" chat-server --port 0 --max-clients 20000 --rate-limit 0 --idle-timeout 0 --quiet)
python=(python3 "$py_server" 0)

declare -A sat lat50 lat99 rss

echo "# chat benchmark: ${seconds}s per saturation run, ${rate_seconds}s per latency run, sizes: $sizes"
for impl in ours python; do
  if [ "$impl" = ours ]; then start_server ours "${ours[@]}"; else start_server python "${python[@]}"; fi
  for n in $sizes; do
    out=$("$chat_load" --port "$server_port" --clients "$n" --mode saturate \
          --seconds "$seconds" --server-pid "$server_pid")
    sat[$impl,$n]=$(field deliveries_per_s "$out")
    rss[$impl,$n]=$(field rss_kib "$out")
    echo "# $impl saturate: $out"
  done
  stop_server "$server_pid"
done

for impl in ours python; do
  if [ "$impl" = ours ]; then start_server ours "${ours[@]}"; else start_server python "${python[@]}"; fi
  for n in $sizes; do
    # Half the slower server's saturation, in messages/s (one message is
    # delivered to n-1 clients).
    slower=$(( ${sat[ours,$n]} < ${sat[python,$n]} ? ${sat[ours,$n]} : ${sat[python,$n]} ))
    rate=$(( slower / (n - 1) / 2 ))
    [ "$rate" -ge 1 ] || rate=1
    # The median of three runs: this machine is shared, and one scheduling
    # hiccup moves a p99.
    p50s=() p99s=()
    for _ in 1 2 3; do
      out=$("$chat_load" --port "$server_port" --clients "$n" --mode rate --rate "$rate" \
            --seconds "$rate_seconds" --server-pid "$server_pid")
      p50s+=("$(field p50_ms "$out")") p99s+=("$(field p99_ms "$out")")
      echo "# $impl rate: $out"
    done
    lat50[$impl,$n]=$(printf '%s\n' "${p50s[@]}" | sort -g | sed -n 2p)
    lat99[$impl,$n]=$(printf '%s\n' "${p99s[@]}" | sort -g | sed -n 2p)
  done
  stop_server "$server_pid"
done

declare -A idle
for impl in ours python; do
  if [ "$impl" = ours ]; then start_server ours "${ours[@]}"; else start_server python "${python[@]}"; fi
  sleep 0.3
  before=$(rss_kib "$server_pid")
  "$chat_load" --port "$server_port" --clients "$idle_clients" --mode idle --hold 2 \
    > "$tmp/idle.out" &
  load_pid=$!
  for _ in $(seq 600); do
    if grep -q '^ready' "$tmp/idle.out"; then break; fi
    sleep 0.1
  done
  sleep 1
  after=$(rss_kib "$server_pid")
  wait "$load_pid" || true
  idle[$impl]=$(( (after - before) * 1024 / idle_clients ))
  echo "# $impl idle: $(cat "$tmp/idle.out"); RSS ${before} KiB -> ${after} KiB"
  stop_server "$server_pid"
done

echo
printf '%-8s %14s %14s %7s %10s %10s %10s %10s %10s %10s\n' clients "ours msg/s" "python msg/s" ratio \
  "ours p50" "py p50" "ours p99" "py p99" "ours RSS" "py RSS"
for n in $sizes; do
  ratio=$(awk -v a="${sat[ours,$n]}" -v b="${sat[python,$n]}" 'BEGIN { printf("%.1fx", (b > 0) ? a / b : 0) }')
  printf '%-8s %14s %14s %7s %8sms %8sms %8sms %8sms %7sKiB %7sKiB\n' "$n" "${sat[ours,$n]}" \
    "${sat[python,$n]}" "$ratio" "${lat50[ours,$n]}" "${lat50[python,$n]}" "${lat99[ours,$n]}" \
    "${lat99[python,$n]}" "${rss[ours,$n]}" "${rss[python,$n]}"
done
echo "(msg/s: messages delivered per second, summed over receivers, at saturation;"
echo " latency: median of 3 runs at half the slower server's saturation rate;"
echo " RSS during saturation)"
echo
echo "RSS per idle connection ($idle_clients connections): ours ${idle[ours]} B, python ${idle[python]} B"
