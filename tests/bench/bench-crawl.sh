#!/usr/bin/env bash
# bench-crawl.sh ASYNC_DEMO [GEN_SITE]
#
# The crawler against the usual tools, on the same site in the same run.
# nginx (a separate process, on a free 127.0.0.1 port, with a generated
# config in a temp dir) serves a generated static site of BENCH_PAGES pages
# of about BENCH_KB KB with BENCH_LINKS links each. Then:
#
#   async-demo crawl   vs  wget2 --recursive --max-threads=16   (both parse HTML and follow links)
#   async-demo fetch   vs  curl --parallel --parallel-max 16     (the URL list)
#
# and prints pages/s, the CPU time each used (user + system, all its
# threads: on 2 cores a run takes at least its CPU time / 2, and the CPU
# per page shows where a gap comes from), the ratios, and the crawler's
# worst main-loop stall (a 1 ms timer on its main loop, the hidden --stats
# option). Goals: crawl
# at least as fast as wget2, fetch at least half as fast as curl, no stall
# over 16 ms. It prints figures and never fails on speed; it exits 77
# (skipped) when a peer is missing: build-aux/setup-debian.sh bench.
set -euo pipefail

bin=$(realpath "$1")
gen=${2:-$(dirname "$(realpath "$0")")/gen-site.py}
pages=${BENCH_PAGES:-5000}
links=${BENCH_LINKS:-300}
kb=${BENCH_KB:-60}
par=${BENCH_PARALLEL:-16}

nginx=$(command -v nginx || echo /usr/sbin/nginx)
for tool in "$nginx" wget2 curl python3; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIP: $tool is missing (build-aux/setup-debian.sh bench)"
    exit 77
  fi
done

tmp=$(mktemp -d)
nginx_pid=
wget_dir=
cleanup() {
  if [ -n "$nginx_pid" ]; then kill "$nginx_pid" 2>/dev/null || true; wait "$nginx_pid" 2>/dev/null || true; fi
  rm -rf "$tmp" ${wget_dir:+"$wget_dir"}
}
trap cleanup EXIT
# nginx's workers drop root privileges: let them read the site.
chmod 755 "$tmp"

now() { date +%s.%N; }
# Notes the CPU time of the commands waited for so far (`times` in this
# shell: a subshell would count none of them); cpu_between adds it up.
snap() { times > "$tmp/times.$1"; }
cpu_between() {
  python3 - "$tmp/times.$1" "$tmp/times.$2" <<'PY'
import re, sys
def children(path):
    line = open(path).readlines()[1]
    return sum(int(m) * 60 + float(s) for m, s in re.findall(r"(\d+)m([\d.]+)s", line))
print(f"{children(sys.argv[2]) - children(sys.argv[1]):.2f}")
PY
}
rate() { python3 -c "import sys; n, a, b = map(float, sys.argv[1:]); print(f'{n / (b - a):.0f}')" "$@"; }

echo "# Generating $pages pages of ~$kb KB with $links links each…"
python3 "$gen" "$tmp/site" "$pages" "$links" "$kb"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
for ((i = 0; i < pages; i++)); do echo "$base/p/$i.html"; done > "$tmp/urls.txt"
awk '{ print "url = \"" $0 "\"\noutput = \"/dev/null\"" }' "$tmp/urls.txt" > "$tmp/curl.conf"

mkdir -p "$tmp/nginx"
cat > "$tmp/nginx/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $tmp/nginx/body;
  default_type text/html;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  server {
    listen 127.0.0.1:$port;
    root $tmp/site;
  }
}
CONF
"$nginx" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" &
nginx_pid=$!
for _ in $(seq 100); do
  curl -s -o /dev/null "$base/p/0.html" && break
  sleep 0.05
done
echo "# nginx $("$nginx" -v 2>&1 | sed 's/.*\///') on $base ($(du -sh "$tmp/site" | cut -f1))"

# 1. Crawl: async-demo vs wget2.
snap 0
t0=$(now)
"$bin" crawl "$base/p/0.html" --concurrency "$par" --per-host "$par" --depth 1000 --json --stats \
  > "$tmp/crawl.jsonl" || true
t1=$(now)
snap 1
read -r crawl_pages crawl_errors stall max_in_flight < <(tail -n 1 "$tmp/crawl.jsonl" | python3 -c '
import json, sys
s = json.load(sys.stdin)
print(s["pages"], s["errors"], s["max_stall_ms"], s["max_in_flight"])')

snap 2
t2=$(now)
# wget2 saves every page (about 300 MB): into memory where there is a
# tmpfs, so the kernel's disk writeback does not make its time swing by
# 2-3x from run to run. That is wget2's best case, and a steady one.
wget_dir=$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d -p "$tmp")
wget2 --recursive --level=inf --max-threads="$par" -q -P "$wget_dir" "$base/p/0.html" || true
t3=$(now)
snap 3
wget_pages=$(find "$wget_dir" -name '*.html' | wc -l)
rm -rf "$wget_dir"

# 2. Fetch the list: async-demo vs curl.
snap 4
t4=$(now)
"$bin" fetch --concurrency "$par" --per-host "$par" --input "$tmp/urls.txt" > "$tmp/fetch.txt" || true
t5=$(now)
snap 5
fetch_pages=$(grep -c '^200 ' "$tmp/fetch.txt" || true)

snap 6
t6=$(now)
curl --parallel --parallel-max "$par" --no-progress-meter -s -K "$tmp/curl.conf" || true
t7=$(now)
snap 7

crawl_rate=$(rate "$crawl_pages" "$t0" "$t1")
wget_rate=$(rate "$wget_pages" "$t2" "$t3")
fetch_rate=$(rate "$fetch_pages" "$t4" "$t5")
curl_rate=$(rate "$pages" "$t6" "$t7")

row() { # name pages seconds rate cpu-seconds
  printf '%-44s %8s %9.2f %9s %9.2f %11.0f\n' "$1" "$2" "$3" "$4" "$5" \
    "$(echo "$5 * 1000000 / $2" | bc)"
}
printf '\n%-44s %8s %9s %9s %9s %11s\n' "run ($par in flight)" pages seconds pages/s "CPU s" "CPU µs/page"
row "async-demo crawl" "$crawl_pages" "$(echo "$t1 - $t0" | bc)" "$crawl_rate" "$(cpu_between 0 1)"
row "wget2 --recursive --max-threads=$par" "$wget_pages" "$(echo "$t3 - $t2" | bc)" "$wget_rate" \
  "$(cpu_between 2 3)"
row "async-demo fetch" "$fetch_pages" "$(echo "$t5 - $t4" | bc)" "$fetch_rate" "$(cpu_between 4 5)"
row "curl --parallel --parallel-max $par" "$pages" "$(echo "$t7 - $t6" | bc)" "$curl_rate" \
  "$(cpu_between 6 7)"
echo
python3 - "$crawl_rate" "$wget_rate" "$fetch_rate" "$curl_rate" "$stall" "$crawl_errors" "$max_in_flight" <<'PY'
import sys
crawl, wget, fetch, curl, stall = map(float, sys.argv[1:6])
errors, in_flight = sys.argv[6], sys.argv[7]
ok = lambda b: "met" if b else "NOT met"
print(f"crawl / wget2 = {crawl / wget:.2f}  (goal >= 1.0: {ok(crawl >= wget)})")
print(f"fetch / curl  = {fetch / curl:.2f}  (goal >= 0.5: {ok(fetch >= 0.5 * curl)})")
print(f"main loop max stall during the crawl = {stall:.1f} ms  (goal < 16 ms: {ok(stall < 16)})")
print(f"crawl errors = {errors}, most requests in flight = {in_flight}")
PY
