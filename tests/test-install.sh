#!/usr/bin/env bash
# test-install.sh SRCDIR
#
# Installs Async Demo into a scratch prefix and starts it the way the app
# menu does: gtk4-launch finds the installed .desktop file, sees
# DBusActivatable=true, and asks the session bus to start the installed
# D-Bus service. A private X server and session bus (with-display.sh) see
# only the scratch prefix, so this tests the installed files, not the
# build tree. TAP output.
set -u
src=$(cd "$1" && pwd)

if [ -z "${AD_INSTALL_TEST_INNER:-}" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  prefix=$tmp/prefix
  n=0
  fail=0
  ok() { n=$((n + 1)); echo "ok $n - $1"; }
  notok() { n=$((n + 1)); fail=1; echo "not ok $n - $1"; }

  echo "1..5"

  if meson setup "$tmp/build" "$src" --prefix="$prefix" -Dtests=false >"$tmp/setup.log" 2>&1 &&
     meson compile -C "$tmp/build" >"$tmp/compile.log" 2>&1 &&
     meson install -C "$tmp/build" >"$tmp/install.log" 2>&1; then
    ok "meson install into a scratch prefix"
  else
    tail -30 "$tmp"/*.log | sed 's/^/# /'
    notok "meson install into a scratch prefix"
    echo "Bail out! nothing installed"
    exit 1
  fi

  missing=""
  for f in \
    bin/async-demo \
    share/applications/org.example.AsyncDemo.desktop \
    share/metainfo/org.example.AsyncDemo.metainfo.xml \
    share/icons/hicolor/scalable/apps/org.example.AsyncDemo.svg \
    share/icons/hicolor/symbolic/apps/org.example.AsyncDemo-symbolic.svg \
    share/glib-2.0/schemas/org.example.AsyncDemo.gschema.xml \
    share/glib-2.0/schemas/gschemas.compiled \
    share/dbus-1/services/org.example.AsyncDemo.service \
    share/locale/de/LC_MESSAGES/async-demo.mo; do
    [ -e "$prefix/$f" ] || missing="$missing $f"
  done
  if [ -z "$missing" ]; then
    ok "every file lands where GNOME looks for it"
  else
    echo "# missing:$missing"
    notok "every file lands where GNOME looks for it"
  fi

  if grep -qx "Exec=$prefix/bin/async-demo --gapplication-service" \
       "$prefix/share/dbus-1/services/org.example.AsyncDemo.service"; then
    ok "the D-Bus service starts the installed binary"
  else
    sed 's/^/# /' "$prefix/share/dbus-1/services/org.example.AsyncDemo.service"
    notok "the D-Bus service starts the installed binary"
  fi

  out=$(LANGUAGE=de LC_ALL=C.UTF-8 DISPLAY= WAYLAND_DISPLAY= "$prefix/bin/async-demo" hello --delay 1 2>&1)
  if printf '%s\n' "$out" | grep -q 'Hallo, Async!'; then
    ok "the installed binary speaks German with LANGUAGE=de"
  else
    printf '%s\n' "$out" | sed 's/^/# /'
    notok "the installed binary speaks German with LANGUAGE=de"
  fi

  # Launch under a private display and session bus that know only this prefix.
  if XDG_DATA_DIRS="$prefix/share:/usr/share" PATH="$prefix/bin:$PATH" \
     AD_INSTALL_TEST_INNER=1 AD_PREFIX="$prefix" \
     "$src/build-aux/with-display.sh" "$0" "$src" > "$tmp/launch.log" 2>&1; then
    sed 's/^/# /' "$tmp/launch.log"
    ok "gtk4-launch starts it from the app menu entry, a second launch reuses it, quit ends it"
  else
    sed 's/^/# /' "$tmp/launch.log"
    notok "gtk4-launch starts it from the app menu entry, a second launch reuses it, quit ends it"
  fi
  exit $fail
fi

# ---- inner part: runs inside with-display.sh --------------------------------
prefix=$AD_PREFIX

# Mapped toplevels titled "Async Demo" (GDK's 1x1 client leader window
# carries the title too and is left out).
windows() {
  xwininfo -root -tree 2>/dev/null | grep '"Async Demo": (' | grep -vc ' 1x1+' || true
}

wait_for_windows() {
  local want=$1
  for _ in $(seq 1 200); do
    [ "$(windows)" -ge "$want" ] && return 0
    sleep 0.1
  done
  return 1
}

instances() {
  pgrep -fc "^$prefix/bin/async-demo" || true
}

echo "launching with gtk4-launch (DBusActivatable)"
gtk4-launch org.example.AsyncDemo || { echo "gtk4-launch failed"; exit 1; }
if ! wait_for_windows 1; then
  echo "no window titled 'Async Demo' appeared"
  exit 1
fi
echo "window appeared; instances: $(instances)"
sleep 1
if [ -n "${AD_SCREENSHOT:-}" ]; then
  import -window root "$AD_SCREENSHOT" && echo "screenshot: $AD_SCREENSHOT"
fi

echo "launching again: the running instance must present its window"
gtk4-launch org.example.AsyncDemo || { echo "second gtk4-launch failed"; exit 1; }
sleep 1.5
if [ "$(instances)" -ne 1 ] || [ "$(windows)" -ne 1 ]; then
  echo "expected one instance and one window, got $(instances) and $(windows)"
  exit 1
fi

echo "quitting through the app.quit action over D-Bus"
gapplication action org.example.AsyncDemo quit || { echo "gapplication action failed"; exit 1; }
for _ in $(seq 1 100); do
  [ "$(instances)" -eq 0 ] && { echo "quit"; exit 0; }
  sleep 0.1
done
echo "the app did not quit"
pkill -f "^$prefix/bin/async-demo"
exit 1
