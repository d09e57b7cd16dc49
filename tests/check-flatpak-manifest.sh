#!/usr/bin/env bash
# check-flatpak-manifest.sh MANIFEST
#
# Offline checks of the Flatpak manifest: flatpak-builder parses it (with
# G_DEBUG=fatal-warnings, since unknown keys only warn otherwise), and the
# fields we rely on say what the README promises.
set -u
manifest=$1
n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); fail=1; echo "not ok $n - $1"; }

echo "1..3"

if ! command -v flatpak-builder >/dev/null; then
  notok "flatpak-builder is installed (build-aux/setup-debian.sh installs it)"
else
  if out=$(G_DEBUG=fatal-warnings flatpak-builder --show-manifest "$manifest" 2>&1); then
    ok "flatpak-builder --show-manifest parses it with no warning"
  else
    printf '%s\n' "$out" | sed 's/^/# /' | head -20
    notok "flatpak-builder --show-manifest parses it with no warning"
  fi
fi

check_json() {
  python3 - "$manifest" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
errors = []
if m.get("id") != "org.example.AsyncDemo": errors.append("id")
if m.get("runtime") != "org.gnome.Platform" or m.get("sdk") != "org.gnome.Sdk": errors.append("runtime/sdk")
if m.get("command") != "async-demo": errors.append("command")
want = {"--share=network", "--share=ipc", "--socket=fallback-x11", "--socket=wayland", "--device=dri"}
have = set(m.get("finish-args", []))
if have != want: errors.append("finish-args: extra %s missing %s" % (sorted(have - want), sorted(want - have)))
mods = m.get("modules", [])
if len(mods) != 1 or mods[0].get("buildsystem") != "meson": errors.append("one meson module")
if errors:
    print("# " + "; ".join(errors)); sys.exit(1)
PY
}
if check_json; then
  ok "id, runtime, command and the minimal finish-args"
else
  notok "id, runtime, command and the minimal finish-args"
fi

if python3 -c 'import json,sys; v=json.load(open(sys.argv[1]))["runtime-version"]; sys.exit(0 if v.isdigit() and int(v) >= 47 else 1)' "$manifest"; then
  ok "runtime-version is a current stable GNOME runtime"
else
  notok "runtime-version is a current stable GNOME runtime"
fi

exit $fail
