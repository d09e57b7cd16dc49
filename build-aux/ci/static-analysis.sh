#!/usr/bin/env bash
# static-analysis.sh SRCDIR BUILDDIR TOOL
#
# TOOL is clang-tidy (one TAP test per source file, with the committed
# .clang-tidy check set) or cppcheck (one TAP test for the tree). Zero
# findings pass; a finding that is a false positive gets an inline
# suppression with a comment saying why, next to the line.
set -u
src=$1
build=$2
tool=$3
cd "$src" || exit 1

mapfile -t files < <(git ls-files 'src/*.c' 'src/**/*.c' 'tests/*.c' 'tests/**/*.c' 2>/dev/null ||
                     find src tests -name '*.c')
# Fuzz targets and the TSan canary are built only in their configurations.
mapfile -t files < <(printf '%s\n' "${files[@]}" | grep -v -e '^tests/fuzz/' -e '^tests/sanitizers/' | sort -u)

fail=0
case "$tool" in
  clang-tidy)
    echo "1..${#files[@]}"
    n=0
    for f in "${files[@]}"; do
      n=$((n + 1))
      if out=$(clang-tidy -p "$build" --quiet "$f" 2>&1) && ! printf '%s' "$out" | grep -qE '(warning|error):'; then
        echo "ok $n - clang-tidy $f"
      else
        printf '%s\n' "$out" | grep -v '^[0-9]* warnings\? generated' | sed 's/^/# /' | head -40
        echo "not ok $n - clang-tidy $f"
        fail=1
      fi
    done
    ;;
  cppcheck)
    echo "1..1"
    if out=$(cppcheck --quiet --library=gtk --enable=warning,performance,portability \
               --inline-suppr --std=c11 --error-exitcode=1 -D__GNUC__ \
               --suppress=missingIncludeSystem $(find src -type d -printf "-I %p ") -I "$build" "${files[@]}" 2>&1); then
      echo "ok 1 - cppcheck finds nothing in ${#files[@]} files"
    else
      printf '%s\n' "$out" | sed 's/^/# /' | head -60
      echo "not ok 1 - cppcheck"
      fail=1
    fi
    ;;
  *)
    echo "usage: $0 SRCDIR BUILDDIR clang-tidy|cppcheck" >&2
    exit 2
    ;;
esac
exit $fail
