#!/usr/bin/env bash
# check.sh CONFIG...
#
# Builds and tests one or more configurations, each in its own build
# directory, and prints a summary per configuration. CONFIG is one of:
#
#   default   gcc, warnings as errors, every test suite           (_build)
#   asan      clang, ASan + UBSan + LeakSanitizer, every suite     (_build-asan)
#   tsan      clang, ThreadSanitizer, the core suites + a canary   (_build-tsan)
#             (not the tsan-blind ones: only GLib's threads, see tests/meson.build)
#   valgrind  memcheck over the core, CLI and GUI suites           (_build)
#   analyze   clang-tidy and cppcheck, zero findings               (_build)
#   fuzz      libFuzzer targets, bounded time each                 (_build-fuzz)
#   flatpak   the app as a Flatpak on a local Debian-made runtime,  (_build)
#             in its sandbox under Xvfb (root; 11-25 min cold, 1-3 min cached)
#   all       all of the above, in that order
#
# GUI tests get a private X server and D-Bus (with-display.sh). Exits
# non-zero when any configuration failed; the last line is the total
# "N passed, N failed, N skipped" over every configuration run.
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
        G_SLICE=always-malloc \
        ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:halt_on_error=1 \
        UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1 \
        LSAN_OPTIONS=suppressions=$src/tests/sanitizers/lsan.supp:print_suppressions=0 \
          run_tests asan _build-asan testlog.json --timeout-multiplier 3
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
        if ! meson test -C _build-fuzz --setup fuzz --suite fuzz --list 2>/dev/null | grep -q fuzz; then
          echo "no fuzz targets are defined yet"
          continue
        fi
        ASAN_OPTIONS=detect_leaks=1 \
        LSAN_OPTIONS=suppressions=$src/tests/sanitizers/lsan.supp:print_suppressions=0 \
          run_tests fuzz _build-fuzz testlog-fuzz.json --setup fuzz --suite fuzz
      else
        status=1; logs+=("fuzz=_build-fuzz/meson-logs/testlog-fuzz.json")
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
      echo "unknown configuration: $config (default asan tsan valgrind analyze fuzz flatpak all)" >&2
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
