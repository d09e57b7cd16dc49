#!/usr/bin/env bash
# check.sh CONFIG...
#
# Builds and tests one or more configurations, each in its own build
# directory, and prints a summary per configuration. CONFIG is one of:
#
#   default   gcc, warnings as errors, every test suite           (_build)
#   asan      clang, ASan + UBSan + LeakSanitizer, every suite     (_build-asan)
#   tsan      clang, ThreadSanitizer, the core suites + a canary   (_build-tsan)
#             (not the tsan-blind ones: only GLib's threads, see tests/meson.build;
#             the compute process tests run in compute-processes-tsan and
#             compute-runs-processes-tsan, with
#             interceptors called from uninstrumented GLib ignored)
#   valgrind  memcheck over the core, CLI and GUI suites           (_build)
#   analyze   clang-tidy and cppcheck, zero findings               (_build)
#   fuzz      libFuzzer targets, bounded time each                 (_build-fuzz)
#   flatpak   the app as a Flatpak on a local Debian-made runtime,  (_build)
#             in its sandbox under Xvfb (root; 11-25 min cold, 1-3 min cached)
#   all       all of the above, in that order
#   coverage  gcc --coverage, the default suites, then gcovr  (_build-coverage)
#             (not part of 'all'; see "Coverage" below)
#
# GUI tests get a private X server and D-Bus (with-display.sh). Exits
# non-zero when any configuration failed; the last line is the total
# "N passed, N failed, N skipped" over every configuration run.
#
# Coverage: line and branch coverage of src/ only (tests, generated
# resources and enum types are not counted), per file and in total, by
# gcovr over the default suites' run. How branches are counted:
#  - --exclude-unreachable-branches: branches gcc emits for lines with no
#    source code (closing braces, g_autoptr cleanups at scope exit) are
#    not decisions anyone wrote;
#  - --exclude-throw-branches: exception edges (a C build has none from
#    our code, but gcc emits them around calls into C++-built libraries);
#  - lines with g_return_if_fail/g_return_val_if_fail are left out, line
#    and branch: they guard against callers breaking the API contract;
#    their failing side is a programmer error that only a test expecting
#    a critical warning reaches, and counting each of them as half a
#    branch pair would make the total mostly about preconditions;
#  - lines with G_DECLARE_*_TYPE/G_DEFINE_*_TYPE are left out too: the
#    macros expand to GObject boilerplate (type checks, g_once_init) whose
#    branches are GLib's, not ours, and are counted once per header.
# The configuration fails when the totals fall below COVERAGE_MIN_LINES
# and COVERAGE_MIN_BRANCHES (percent; 92 and 72 by default). The figures
# are printed as measured either way; files below 80 % lines are listed.
set -uo pipefail

cd "$(dirname "$0")/.."
src=$PWD

configs=("$@")
[ ${#configs[@]} -gt 0 ] || configs=(default)
[ "${configs[0]}" = all ] && configs=(default asan tsan valgrind analyze fuzz flatpak)

logs=()
status=0

say() { printf '\n=== %s ===\n' "$*"; }

setup() {
  local dir=$1
  shift
  if [ -f "$dir/build.ninja" ]; then
    meson configure "$dir" "$@" >/dev/null
  else
    meson setup "$dir" "$@" >/dev/null
  fi && meson compile -C "$dir"
}

run_tests() {
  local label=$1 dir=$2 log=$3
  shift 3
  rm -f "$dir/meson-logs/$log"
  build-aux/with-display.sh meson test -C "$dir" --print-errorlogs "$@" || status=1
  logs+=("$label=$dir/meson-logs/$log")
}

# coverage_report BUILD_DIR: gcovr over src/, a table per file (lines and
# branches), the totals, the files below 80 % lines, and the thresholds.
coverage_report() {
  local dir=$1 json=$1/meson-logs/coverage.json
  if ! command -v gcovr >/dev/null; then
    echo "gcovr is missing (build-aux/setup-debian.sh test installs it)" >&2
    return 1
  fi
  gcovr --root "$src" --filter "$src/src/" \
    --exclude-unreachable-branches --exclude-throw-branches \
    --exclude-lines-by-pattern '.*\bg_return(_val)?_if_fail\b.*|\s*G_(DECLARE|DEFINE)_\w*TYPE\w*\b.*' \
    --json-summary-pretty --output "$json" "$dir" || return 1
  COVERAGE_MIN_LINES=${COVERAGE_MIN_LINES:-92} COVERAGE_MIN_BRANCHES=${COVERAGE_MIN_BRANCHES:-72} \
    python3 - "$json" <<'EOF'
import json, os, sys

data = json.load(open(sys.argv[1]))
min_lines = float(os.environ["COVERAGE_MIN_LINES"])
min_branches = float(os.environ["COVERAGE_MIN_BRANCHES"])


def pct(covered, total):
    return 100.0 * covered / total if total else 100.0


rows = []
for f in data["files"]:
    if f["line_total"] == 0 and f["branch_total"] == 0:
        continue  # a header whose only code was left out
    rows.append((f["filename"], f["line_covered"], f["line_total"],
                 f["branch_covered"], f["branch_total"]))
rows.sort(key=lambda r: (pct(r[1], r[2]), r[0]))
print(f"{'file':<44} {'lines':>16} {'branches':>16}")
for name, lc, lt, bc, bt in rows:
    print(f"{name:<44} {lc:>5}/{lt:<5} {pct(lc, lt):5.1f}% {bc:>5}/{bt:<5} {pct(bc, bt):5.1f}%")
lc, lt = data["line_covered"], data["line_total"]
bc, bt = data["branch_covered"], data["branch_total"]
lines, branches = pct(lc, lt), pct(bc, bt)
print(f"{'TOTAL':<44} {lc:>5}/{lt:<5} {lines:5.1f}% {bc:>5}/{bt:<5} {branches:5.1f}%")
low = [r for r in rows if pct(r[1], r[2]) < 80.0]
print(f"files below 80 % lines: {len(low)}")
for name, lc_, lt_, _, _ in low:
    print(f"  {name}: {pct(lc_, lt_):.1f}%")
ok = lines >= min_lines and branches >= min_branches
print(f"coverage: lines {lines:.1f}% (minimum {min_lines:g}%), "
      f"branches {branches:.1f}% (minimum {min_branches:g}%): {'ok' if ok else 'FAILED'}")
sys.exit(0 if ok else 1)
EOF
}

for config in "${configs[@]}"; do
  say "$config"
  case "$config" in
    default)
      if setup _build -Dwerror=true; then
        run_tests default _build testlog.json
      else
        status=1; logs+=("default=_build/meson-logs/testlog.json")
      fi
      ;;
    asan)
      if CC=clang setup _build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dwerror=true; then
        # GUI tests draw with cairo, as under valgrind: Mesa's llvmpipe leaves a
        # 128-byte block from code LeakSanitizer cannot map to any module (JIT
        # code), so no suppression can name it; our GL-free code is what we test.
        GDK_DEBUG=gl-disable GSK_RENDERER=cairo \
        G_SLICE=always-malloc \
        ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:halt_on_error=1 \
        UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1 \
        LSAN_OPTIONS=suppressions=$src/tests/sanitizers/lsan.supp:print_suppressions=0 \
          run_tests asan _build-asan testlog.json --timeout-multiplier 3 --no-suite gui --no-suite a11y
        # The GUI suite: every memory error still aborts, but leaks are left to
        # the valgrind configuration. GTK 4.8's file chooser loses a few blocks
        # of its own, and Debian's GLib has no frame pointers, so LeakSanitizer's
        # stacks stop at g_malloc and no suppression can name GTK; valgrind's
        # can (tests/sanitizers/valgrind.supp).
        GDK_DEBUG=gl-disable GSK_RENDERER=cairo \
        G_SLICE=always-malloc \
        ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:halt_on_error=1 \
        UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1 \
          run_tests asan-gui _build-asan testlog-gui.json --timeout-multiplier 3 --suite gui \
            --logbase testlog-gui
      else
        status=1; logs+=("asan=_build-asan/meson-logs/testlog.json")
      fi
      ;;
    tsan)
      if CC=clang setup _build-tsan -Db_sanitize=thread -Db_lundef=false -Dwerror=true -Dinstall_tests=false; then
        G_SLICE=always-malloc \
        TSAN_OPTIONS="suppressions=$src/tests/sanitizers/tsan.supp halt_on_error=1 second_deadlock_stack=1" \
          run_tests tsan _build-tsan testlog.json --suite core --no-suite tsan-blind --timeout-multiplier 3
      else
        status=1; logs+=("tsan=_build-tsan/meson-logs/testlog.json")
      fi
      ;;
    valgrind)
      if setup _build -Dwerror=true; then
        run_tests valgrind _build testlog-valgrind.json --setup valgrind --suite core --suite cli --suite gui
      else
        status=1; logs+=("valgrind=_build/meson-logs/testlog-valgrind.json")
      fi
      ;;
    analyze)
      if setup _build -Dwerror=true; then
        run_tests analyze _build testlog-analyze.json --setup analyze --suite analyze
      else
        status=1; logs+=("analyze=_build/meson-logs/testlog-analyze.json")
      fi
      ;;
    fuzz)
      if CC=clang setup _build-fuzz -Dfuzzing=true -Db_sanitize=address,undefined -Db_lundef=false \
           -Dwerror=true -Dinstall_tests=false; then
        # Listed into a variable first: `--list | grep -q` under pipefail lost
        # the race with grep's early exit (SIGPIPE) and skipped the fuzzers.
        fuzz_targets=$(meson test -C _build-fuzz --setup fuzz --suite fuzz --list 2>&1)
        if ! grep -q 'fuzz-' <<<"$fuzz_targets"; then
          rm -f _build-fuzz/meson-logs/testlog-fuzz.json
          echo "no fuzz targets found in _build-fuzz:"
          echo "$fuzz_targets"
          status=1; logs+=("fuzz=_build-fuzz/meson-logs/testlog-fuzz.json")
          continue
        fi
        ASAN_OPTIONS=detect_leaks=1 \
        LSAN_OPTIONS=suppressions=$src/tests/sanitizers/lsan.supp:print_suppressions=0 \
          run_tests fuzz _build-fuzz testlog-fuzz.json --setup fuzz --suite fuzz
      else
        status=1; logs+=("fuzz=_build-fuzz/meson-logs/testlog-fuzz.json")
      fi
      ;;
    coverage)
      if setup _build-coverage -Db_coverage=true -Dwerror=true; then
        find _build-coverage -name '*.gcda' -delete
        run_tests coverage _build-coverage testlog.json
        coverage_report _build-coverage || status=1
      else
        status=1; logs+=("coverage=_build-coverage/meson-logs/testlog.json")
      fi
      ;;
    flatpak)
      if setup _build -Dwerror=true; then
        # Cold (runtime from scratch): 11 min on a quiet machine, 25 at load 15 (meson: 1493 s).
        run_tests flatpak _build testlog-flatpak.json --setup flatpak --suite flatpak-local \
          --timeout-multiplier 2
      else
        status=1; logs+=("flatpak=_build/meson-logs/testlog-flatpak.json")
      fi
      ;;
    *)
      echo "unknown configuration: $config (default asan tsan valgrind analyze fuzz flatpak all coverage)" >&2
      exit 2
      ;;
  esac
done

say summary
if [ ${#logs[@]} -eq 0 ]; then
  echo "0 passed, 0 failed, 0 skipped"
  exit $status
fi
python3 build-aux/ci/summarize-tests.py "${logs[@]}" || status=1
exit $status
