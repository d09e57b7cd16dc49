#!/usr/bin/env bash
# bench-crawl.sh ASYNC_DEMO [GEN_SITE]
#
# BENCH_BASELINE=OTHER_ASYNC_DEMO adds that build's crawl and fetch, taking
# turns with the others (a before/after comparison in one run).
# BENCH_FETCH_THREADS=N runs this build's fetch with --threads N (default:
# the command's own, 2 worker threads; 0 fetches on the main loop).
#
# The crawler against the usual tools, on the same sites in the same run.
# nginx (a separate process, on free 127.0.0.1 ports, with a generated
# config in a temp dir) serves two sites:
#
#   generated  BENCH_PAGES pages of about BENCH_KB KB with BENCH_LINKS links
#              each (gen-site.py)
#   docs       a real HTML documentation tree from a Debian package
#              (BENCH_DOCS, by default Python's manual from python3.11-doc;
#              left out with a note when it is not installed)
#
# and on each:
#
#   async-demo crawl   vs  wget2 --recursive --max-threads=16   (both parse HTML and follow links)
#   async-demo fetch   vs  curl --parallel --parallel-max 16     (the same URL list)
#
# BENCH_RUNS times (default 3), the tools taking turns within each round so
# a change in the machine's load hits them alike; it prints the median
# pages/s and CPU time (user + system, all threads: on 2 cores a run takes
# at least its CPU time / 2, and the CPU per page shows where a gap comes
# from), the ratios of the medians, the crawler's worst main-loop stall (a
# 1 ms timer on its main loop, the hidden --stats option) and how full its
# pipeline was on average (requests in flight, pages parsing, pages waiting
# for a parser). The load average is printed before and after: the machine
# may be shared. A page is a file each tool fetched (wget2: saved), so a
# site's style sheets and images count for both. Goals (issue 15): crawl
# at least 1.5x wget2 with less CPU per page, fetch at least as fast as
# curl, no stall over 16 ms. It prints figures and never fails on speed; it
# exits 77 (skipped) when a peer is missing: build-aux/setup-debian.sh bench.
set -euo pipefail

bin=$(realpath "$1")
gen=${2:-$(dirname "$(realpath "$0")")/gen-site.py}
pages=${BENCH_PAGES:-5000}
links=${BENCH_LINKS:-300}
kb=${BENCH_KB:-60}
par=${BENCH_PARALLEL:-16}
runs=${BENCH_RUNS:-3}
fetch_threads=${BENCH_FETCH_THREADS:-}
baseline=${BENCH_BASELINE:+$(realpath "$BENCH_BASELINE")}
docs=${BENCH_DOCS:-/usr/share/doc/python3.11/html}

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
# The CPU time of the commands waited for so far: `times` in this shell
# (in a subshell, such as $(…), it would count none of them), then read.
cpu_read() {
  python3 -c '
import re, sys
line = open(sys.argv[1]).readlines()[1]
print(sum(int(m) * 60 + float(s) for m, s in re.findall(r"(\d+)m([\d.]+)s", line)))' "$1"
}
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

echo "# Generating $pages pages of ~$kb KB with $links links each…"
python3 "$gen" "$tmp/site" "$pages" "$links" "$kb"
gen_port=$(free_port)
sites=("generated http://127.0.0.1:$gen_port /p/0.html")
for ((i = 0; i < pages; i++)); do echo "http://127.0.0.1:$gen_port/p/$i.html"; done > "$tmp/urls.generated"
docs_server=
if [ -f "$docs/index.html" ]; then
  docs_port=$(free_port)
  sites+=("docs http://127.0.0.1:$docs_port /index.html")
  docs_server="server { listen 127.0.0.1:$docs_port; root $docs; }"
else
  echo "# No documentation tree at $docs (python3.11-doc): the generated site only"
fi

mkdir -p "$tmp/nginx"
mime=
[ -f /etc/nginx/mime.types ] && mime="include /etc/nginx/mime.types;"
cat > "$tmp/nginx/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $tmp/nginx/body;
  $mime
  default_type text/html;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  server { listen 127.0.0.1:$gen_port; root $tmp/site; }
  $docs_server
}
CONF
"$nginx" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" &
nginx_pid=$!
for _ in $(seq 100); do
  curl -s -o /dev/null "http://127.0.0.1:$gen_port/p/0.html" && break
  sleep 0.05
done
echo "# nginx $("$nginx" -v 2>&1 | sed 's/.*\///'), $(du -sh "$tmp/site" | cut -f1) generated" \
     "${docs_server:+and $(du -shL "$docs" | cut -f1) of $docs}"
echo "# before: $(uptime)"

# run SITE TOOL ROUND: one timed run; appends "pages seconds cpu" (and the
# crawler's pipeline figures) to $tmp/SITE.TOOL.
run() {
  local site=$1 tool=$2 base=$3 start=$4 c0 c1 t0 t1 n extra="" exe=$bin
  case "$tool" in *-base) exe=$baseline; tool=${tool%-base} ;; esac
  times > "$tmp/times.0"
  t0=$(now)
  case "$tool" in
    crawl)
      "$exe" crawl "$base$start" --concurrency "$par" --per-host "$par" --depth 1000 --json --stats \
        > "$tmp/crawl.jsonl" || true ;;
    wget2)
      # wget2 saves every page: into memory where there is a tmpfs, so the
      # kernel's disk writeback does not make its time swing by 2-3x from
      # run to run. That is wget2's best case, and a steady one.
      wget_dir=$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d -p "$tmp")
      wget2 --recursive --level=inf --max-threads="$par" -q -P "$wget_dir" "$base$start" || true ;;
    fetch)
      # BENCH_FETCH_THREADS: the build measured fetches on that many
      # threads (fetch --threads; not passed to the baseline, which may
      # predate the option).
      local threads=()
      [ "$exe" != "$bin" ] || [ -z "$fetch_threads" ] || threads=(--threads "$fetch_threads")
      "$exe" fetch --concurrency "$par" --per-host "$par" "${threads[@]}" --input "$tmp/urls.$site" \
        > "$tmp/fetch.txt" || true ;;
    curl)
      curl --parallel --parallel-max "$par" --no-progress-meter -s -K "$tmp/curl.$site" || true ;;
  esac
  t1=$(now)
  times > "$tmp/times.1"
  c0=$(cpu_read "$tmp/times.0")
  c1=$(cpu_read "$tmp/times.1")
  case "$tool" in
    crawl)
      read -r n extra < <(tail -n 1 "$tmp/crawl.jsonl" | python3 -c '
import json, sys
s = json.load(sys.stdin)
print(s["pages"], s["errors"], s["max_stall_ms"], s["max_in_flight"],
      *("%.1f" % s.get(k, -1) for k in ("mean_in_flight", "mean_parsing", "mean_waiting")))')
      if [ ! -f "$tmp/urls.$site" ]; then
        python3 -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("type") == "result" and r.get("status") == 200:
        print(r["url"])' "$tmp/crawl.jsonl" > "$tmp/urls.$site"
      fi ;;
    wget2) n=$(find "$wget_dir" -type f | wc -l); rm -rf "$wget_dir"; wget_dir= ;;
    fetch) n=$(grep -cE '^200 .* http' "$tmp/fetch.txt" || true) ;;
    curl) n=$(wc -l < "$tmp/urls.$site") ;;
  esac
  [ "$exe" = "$bin" ] || tool=$tool-base
  echo "$n $(echo "$t1 - $t0" | bc) $(echo "$c1 - $c0" | bc) $extra" >> "$tmp/$site.$tool"
}

for ((r = 1; r <= runs; r++)); do
  for entry in "${sites[@]}"; do
    read -r site base start <<< "$entry"
    run "$site" crawl "$base" "$start"
    [ -z "$baseline" ] || run "$site" crawl-base "$base" "$start"
    run "$site" wget2 "$base" "$start"
    [ -f "$tmp/curl.$site" ] ||
      awk '{ print "url = \"" $0 "\"\noutput = \"/dev/null\"" }' "$tmp/urls.$site" > "$tmp/curl.$site"
    run "$site" fetch "$base" "$start"
    [ -z "$baseline" ] || run "$site" fetch-base "$base" "$start"
    run "$site" curl "$base" "$start"
  done
done
echo "# after:  $(uptime)"

python3 - "$tmp" "$par" "$runs" "${sites[@]}" <<'PY'
import statistics, sys
tmp, par, runs, sites = sys.argv[1], sys.argv[2], int(sys.argv[3]), [s.split()[0] for s in sys.argv[4:]]
import os
names = {"crawl": "async-demo crawl", "crawl-base": "async-demo crawl (baseline)",
         "wget2": f"wget2 --recursive --max-threads={par}",
         "fetch": "async-demo fetch", "fetch-base": "async-demo fetch (baseline)",
         "curl": f"curl --parallel --parallel-max {par}"}
ok = lambda b: "met" if b else "NOT met"
for site in sites:
    med = {}
    print(f"\n{site} site, median of {runs} runs ({par} in flight)")
    print(f"{'':40} {'pages':>6} {'seconds':>8} {'pages/s':>8} {'CPU s':>6} {'CPU µs/page':>11}   runs (pages/s)")
    for tool in ("crawl", "crawl-base", "wget2", "fetch", "fetch-base", "curl"):
        if not os.path.exists(f"{tmp}/{site}.{tool}"):
            continue
        rows = [line.split() for line in open(f"{tmp}/{site}.{tool}")]
        rates = [int(r[0]) / float(r[1]) for r in rows]
        secs = statistics.median(float(r[1]) for r in rows)
        cpu = statistics.median(float(r[2]) for r in rows)
        n = int(statistics.median(int(r[0]) for r in rows))
        med[tool] = (statistics.median(rates), cpu / n * 1e6)
        print(f"{names[tool]:40} {n:6} {secs:8.2f} {med[tool][0]:8.0f} {cpu:6.2f} {med[tool][1]:11.0f}"
              f"   {' '.join(f'{x:.0f}' for x in rates)}")
        if tool.startswith("crawl"):
            extra = [r[3:] for r in rows] if tool == "crawl" else extra
    crawl, wget, fetch, curl = (med[t] for t in ("crawl", "wget2", "fetch", "curl"))
    stall = max(float(e[1]) for e in extra)
    print(f"crawl / wget2 = {crawl[0] / wget[0]:.2f}  (goal >= 1.5: {ok(crawl[0] >= 1.5 * wget[0])}); "
          f"CPU per page {crawl[1]:.0f} vs {wget[1]:.0f} µs ({ok(crawl[1] < wget[1])})")
    print(f"fetch / curl  = {fetch[0] / curl[0]:.2f}  (goal >= 1.0: {ok(fetch[0] >= curl[0])})")
    print(f"main loop worst stall during the crawls = {stall:.1f} ms  (goal < 16 ms: {ok(stall < 16)})")
    print("crawl errors, most in flight, mean in flight / parsing / waiting for a parser: " +
          "; ".join(f"{e[0]}, {e[2]}, {e[3]}/{e[4]}/{e[5]}" for e in extra))
PY
