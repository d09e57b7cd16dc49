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
# With a fourth argument (or BENCH_BASELINE), an async-demo built from an
# earlier commit (say main, in a second build dir), the same figures for
# both builds side by side, with ratios, the runs interleaved and repeated
# (BENCH_REPEATS, default 5; medians), as issue 15 measures them:
#  - delivery latency p50/p99 at a fixed BENCH_DELIVERIES per second (default
#    100,000: 1,010 messages/s at 100 clients, 100/s at 1,000), 64-byte lines;
#    "wire" figures stop at the time the line reached the receiver's socket
#    (SO_TIMESTAMPNS), without the load generator's own reading;
#  - capacity (deliveries/s at saturation) at 100 and 1,000 clients;
#  - bytes per idle connection;
#  - a slow-line flood: BENCH_FLOOD (2,000) connections that each send half a
#    line and stop, against --max-clients 1000; how many newcomers, one a
#    second, still get in.
# BENCH_THREADS=N runs this build's server with --threads N (sender threads;
# the baseline keeps its defaults), so the threaded path is measured against
# the single-threaded one in the same invocation.
# BENCH_SKIP_PYTHON=1 skips the Python comparison. BENCH_RT=1 runs servers
# and load generator at a real-time priority (chrt -f): on a shared machine
# the other processes' load otherwise decides the latency.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

async_demo=$1
chat_load=$2
py_server=$3
baseline=${4:-${BENCH_BASELINE:-}}
repeats=${BENCH_REPEATS:-5}
deliveries=${BENCH_DELIVERIES:-100000}
flood=${BENCH_FLOOD:-2000}
rt=()
if [ "${BENCH_RT:-0}" = 1 ] && command -v chrt > /dev/null; then rt=(chrt -f 10); fi
seconds=${BENCH_SECONDS:-3}
rate_seconds=${BENCH_RATE_SECONDS:-2}
sizes=${BENCH_SIZES:-"10 100 1000"}
idle_clients=${BENCH_IDLE_CLIENTS:-10000}
new_args=()
if [ -n "${BENCH_THREADS:-}" ]; then new_args=(--threads "$BENCH_THREADS"); fi

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
  # Up to 20 s: a loaded machine can be that slow to start a process.
  for _ in $(seq 400); do
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

compare_python() {
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
      p50s+=("$(field " p50_ms" "$out")") p99s+=("$(field " p99_ms" "$out")")
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
}

# ---- this build against a baseline build ----------------------------------------

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf("%.2f", (b > 0) ? a / b : 0) }'; }

compare_baseline() {
  local -A cmd lat sat idle_b joined
  local impl n rate out before after
  local -a extra
  cmd[base]=$baseline
  cmd[new]=$async_demo

  echo
  echo "# this build (${new_args[*]:-default}) against $baseline: $repeats runs of each," \
    "interleaved; medians; load: $(uptime | sed 's/.*load/load/')"
  for n in 100 1000; do
    rate=$(( deliveries / (n - 1) ))
    declare -A p50=() p99=() k50=() k99=() cap=()
    for r in $(seq "$repeats"); do
      for impl in base new; do
        extra=()
        [ "$impl" = new ] && extra=("${new_args[@]}")
        start_server "$impl" "${rt[@]}" "${cmd[$impl]}" chat-server --port 0 --max-clients 20000 \
          --rate-limit 0 --idle-timeout 0 --quiet "${extra[@]}"
        out=$("${rt[@]}" "$chat_load" --port "$server_port" --clients "$n" --mode rate \
              --rate "$rate" --seconds "$rate_seconds" --line-size 64)
        echo "# $impl rate: $out"
        p50[$impl]+=" $(field " p50_ms" "$out")" p99[$impl]+=" $(field " p99_ms" "$out")"
        k50[$impl]+=" $(field k_p50_ms "$out")" k99[$impl]+=" $(field k_p99_ms "$out")"
        if [ "$r" -le 3 ]; then
          out=$("${rt[@]}" "$chat_load" --port "$server_port" --clients "$n" --mode saturate \
                --seconds "$seconds" --line-size 64)
          echo "# $impl saturate: $out"
          cap[$impl]+=" $(field deliveries_per_s "$out")"
        fi
        stop_server "$server_pid"
      done
    done
    for impl in base new; do
      # shellcheck disable=SC2086
      lat[$impl,$n]="$(median ${p50[$impl]}) $(median ${p99[$impl]}) $(median ${k50[$impl]}) $(median ${k99[$impl]})"
      # shellcheck disable=SC2086
      sat[$impl,$n]=$(median ${cap[$impl]})
    done
  done

  for impl in base new; do
    extra=()
    [ "$impl" = new ] && extra=("${new_args[@]}")
    start_server "$impl" "${cmd[$impl]}" chat-server --port 0 --max-clients 20000 --rate-limit 0 \
      --idle-timeout 0 --quiet "${extra[@]}"
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
    idle_b[$impl]=$(( (after - before) * 1024 / idle_clients ))
    stop_server "$server_pid"

    start_server "$impl" "${cmd[$impl]}" chat-server --port 0 --max-clients 1000 --quiet \
      "${extra[@]}"
    out=$("$chat_load" --port "$server_port" --clients "$flood" --mode slow --seconds 5 --probe 1 \
          | tail -n 1)
    echo "# $impl slow-line flood: $out"
    joined[$impl]="$(field joined "$out")/$(field probes "$out")"
    stop_server "$server_pid"
  done

  echo
  printf '%-34s %12s %12s %8s\n' "" baseline "this build" "new/base"
  for n in 100 1000; do
    read -r b50 b99 bk50 bk99 <<< "${lat[base,$n]}"
    read -r n50 n99 nk50 nk99 <<< "${lat[new,$n]}"
    printf '%-34s %10sms %10sms %8s\n' "p50 delivery, $n clients" "$b50" "$n50" "$(ratio "$n50" "$b50")"
    printf '%-34s %10sms %10sms %8s\n' "p99 delivery, $n clients" "$b99" "$n99" "$(ratio "$n99" "$b99")"
    printf '%-34s %10sms %10sms %8s\n' "p50 to the socket, $n clients" "$bk50" "$nk50" "$(ratio "$nk50" "$bk50")"
    printf '%-34s %10sms %10sms %8s\n' "p99 to the socket, $n clients" "$bk99" "$nk99" "$(ratio "$nk99" "$bk99")"
    printf '%-34s %12s %12s %8s\n' "capacity, $n clients (deliv./s)" "${sat[base,$n]}" \
      "${sat[new,$n]}" "$(ratio "${sat[new,$n]}" "${sat[base,$n]}")"
  done
  printf '%-34s %11sB %11sB %8s\n' "RSS per idle connection" "${idle_b[base]}" "${idle_b[new]}" \
    "$(ratio "${idle_b[new]}" "${idle_b[base]}")"
  printf '%-34s %12s %12s\n' "newcomers in, $flood-line flood" "${joined[base]}" "${joined[new]}"
  echo "(latency at $deliveries deliveries/s, 64-byte lines; RT priority: ${BENCH_RT:-0};" \
    "this build: ${new_args[*]:-default}; load: $(uptime | sed 's/.*load/load/'))"
}

if [ "${BENCH_SKIP_PYTHON:-0}" != 1 ]; then compare_python; fi
if [ -n "$baseline" ]; then compare_baseline; fi

