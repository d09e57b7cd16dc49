#!/usr/bin/env bash
# check-layering.sh SRCDIR LIBADCORE LIBADCLI
#
# TAP checks that the layering written in docs/HACKING.md holds:
#
#   core:  base <- tasks <- monitor, trace <- basics, compute, crawler, chat
#   then   cli (the core only) and gui (the core only); main.c joins them.
#
#  1. every `#include "ad-….h"` in src/core/LAYER/ names a header of the
#     same folder or of a lower layer; features never include each other,
#     nor monitor and trace; nothing in the core includes the umbrella
#     ad-core.h but ad-core.c itself;
#  2. src/cli includes only core and cli headers, src/gui only core and gui
#     headers; neither the core nor the CLI includes a GTK header;
#  3. the linker's view: the core and CLI libraries reference no GTK, GDK,
#     GSK or libadwaita symbol, so commands can never initialise GTK.
set -u
src=$1
libcore=$2
libcli=$3
cd "$src" || exit 1

n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); fail=1; echo "not ok $n - $1"; }

# Rank of a folder under src/; features share a rank but not each other.
rank() {
  case "$1" in
    src/core/base) echo 0 ;;
    src/core/tasks) echo 1 ;;
    src/core/monitor|src/core/trace) echo 2 ;;
    src/core/basics|src/core/compute|src/core/crawler|src/core/chat) echo 3 ;;
    src/core) echo 4 ;;
    src/cli|src/gui|src/gui/*) echo 5 ;;
    src) echo 6 ;;
    *) echo 99 ;;
  esac
}

declare -A where
while IFS= read -r h; do
  where[$(basename "$h")]=$(dirname "$h")
done < <(find src -name 'ad-*.h')

echo "1..3"

# 1 and 2: includes.
bad=()
while IFS= read -r f; do
  dir=$(dirname "$f")
  r=$(rank "$dir")
  while IFS= read -r inc; do
    hdir=${where[$inc]:-}
    [ -n "$hdir" ] || continue
    [ "$hdir" = "$dir" ] && continue
    hr=$(rank "$hdir")
    case "$dir" in
      src/core|src/core/*)
        if [ "$inc" = ad-core.h ] && [ "$f" != src/core/ad-core.c ]; then
          bad+=("$f includes the umbrella $inc")
        elif [ "$hr" -ge "$r" ]; then
          bad+=("$f ($dir) includes $inc from $hdir, not a lower layer")
        fi
        ;;
      src/cli)
        case "$hdir" in src/core|src/core/*) ;; *) bad+=("$f (cli) includes $inc from $hdir") ;; esac
        ;;
      src/gui|src/gui/*)
        case "$hdir" in src/core|src/core/*|src/gui|src/gui/*) ;; *) bad+=("$f (gui) includes $inc from $hdir") ;; esac
        ;;
    esac
  done < <(sed -n 's/^#include "\(ad-[^"]*\.h\)".*/\1/p' "$f")
done < <(find src/core src/cli src/gui -name '*.[ch]' | sort)
if [ ${#bad[@]} -eq 0 ]; then
  ok "every include points down the layers"
else
  printf '# %s\n' "${bad[@]}"
  notok "every include points down the layers"
fi

gtk=$(grep -rlE '^#include <(gtk|gdk|gsk|adwaita)' src/core src/cli || true)
if [ -z "$gtk" ]; then
  ok "the core and the CLI include no GTK header"
else
  printf '# %s\n' $gtk
  notok "the core and the CLI include no GTK header"
fi

# 3: symbols.
syms=$(nm -u "$libcore" "$libcli" 2>/dev/null | grep -E ' U (gtk|gdk|gsk|adw)_' | sort -u || true)
if [ -z "$syms" ] && nm -u "$libcli" | grep -q ' U ad_'; then
  ok "libadcore and libadcli reference no GTK symbol"
else
  printf '# %s\n' $syms
  notok "libadcore and libadcli reference no GTK symbol"
fi

exit $fail
