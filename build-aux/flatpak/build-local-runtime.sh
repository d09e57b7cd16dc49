#!/usr/bin/env bash
# Build a small local Flatpak runtime (Platform + Sdk) from Debian bookworm
# packages, export it to a local OSTree repo and install it for the current
# user, so that org.example.AsyncDemo can be built and run as a real Flatpak
# without network access to Flathub.
#
# Usage: build-local-runtime.sh [--force]
#   --force   rebuild the runtime tree and re-export even if nothing changed
#
# Environment (all optional):
#   ASYNC_DEMO_FLATPAK_CACHE  cache dir (default ${XDG_CACHE_HOME:-$HOME/.cache}/async-demo-flatpak)
#   LOCAL_RUNTIME_MIRROR      Debian mirror (default: the one apt uses on this machine)
#   LOCAL_RUNTIME_EXTRA_PACKAGES  extra Debian packages to put into the runtime
#
# Must run as root (debootstrap, chroot, apt-get). Idempotent: a second run
# only checks that everything is in place.
#
# The script runs in a private mount namespace (unshare), so the /proc, /sys
# and /dev mounts of the chroot disappear with it, even when it is killed:
# none of them can outlive a run under the cache dir, where a later
# `rm -rf` of the cache would reach into the host's /dev. The chroot's /dev
# is a small tmpfs with bind mounts of the host's null, zero, full, random,
# urandom and tty nodes, never the host's whole /dev; debootstrap gets it too,
# so it needs neither mknod nor a cache on a filesystem that allows devices.
set -euo pipefail

SUITE=bookworm
ARCH=x86_64
BRANCH=bookworm
PLATFORM_ID=org.example.LocalGnome.Platform
SDK_ID=org.example.LocalGnome.Sdk
REMOTE=async-demo-local
# Bump when the way the runtime tree is assembled changes.
LAYOUT_VERSION=3

CACHE_DIR="${ASYNC_DEMO_FLATPAK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/async-demo-flatpak}"
ROOTFS="$CACHE_DIR/rootfs"
RUNTIME_DIR="$CACHE_DIR/runtime"
REPO="$CACHE_DIR/repo"

FORCE=0
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

PACKAGES=(
  libgtk-4-dev libsoup-3.0-dev libglib2.0-dev libxml2-dev libjson-glib-dev
  libadwaita-1-dev libadwaita-1-0
  meson ninja-build pkg-config gettext gcc libc6-dev
  desktop-file-utils appstream
  fonts-cantarell fonts-dejavu-core fontconfig
  adwaita-icon-theme hicolor-icon-theme shared-mime-info librsvg2-common
  libgtk-4-bin gtk-update-icon-cache glib-networking ca-certificates
  gsettings-desktop-schemas dconf-gsettings-backend
  libsysprof-4-dev
)
# Installed only when the mirror has them; every other package is required.
OPTIONAL_PACKAGES=(appstream-util)
if [[ -n "${LOCAL_RUNTIME_EXTRA_PACKAGES:-}" ]]; then
  # shellcheck disable=SC2206
  PACKAGES+=(${LOCAL_RUNTIME_EXTRA_PACKAGES})
fi

log() { printf '[local-runtime] %s\n' "$*" >&2; }
die() { printf '[local-runtime] ERROR: %s\n' "$*" >&2; exit 1; }

[[ $EUID -eq 0 ]] || die "must run as root (debootstrap/chroot)"

START=$SECONDS
phase_start=$SECONDS
phase() { log "$1 ($((SECONDS - phase_start))s)"; phase_start=$SECONDS; }

# ------------------------------------------------------- mount namespace
if [[ -z "${ASYNC_DEMO_RUNTIME_MOUNT_NS:-}" ]]; then
  # Mounts left under the cache by an older version of this script (or by a
  # run killed before it could clean up) would let `rm -rf` of the cache
  # delete the host's device nodes: take them away first, deepest first.
  if [[ -d "$CACHE_DIR" ]]; then
    cache_real="$(realpath "$CACHE_DIR")"
    while read -r m; do
      log "unmounting leftover $m"
      umount -l "$m" || die "cannot unmount leftover mount $m"
    done < <(findmnt -rn -o TARGET | awk -v p="$cache_real/" 'index($0, p) == 1' | sort -r)
  fi
  if unshare --mount --propagation private true 2>/dev/null; then
    ASYNC_DEMO_RUNTIME_MOUNT_NS=1 exec unshare --mount --propagation private bash "$0" "$@"
  fi
  log "warning: no private mount namespace (unshare failed); cleaning up mounts by trap only"
fi

# ---------------------------------------------------------------- host tools
APT_OPTS=(-y -q -o DPkg::Lock::Timeout=600)
need_host=()
# build-aux/setup-debian.sh installs these; this is for a machine set up otherwise.
command -v debootstrap >/dev/null || need_host+=(debootstrap)
command -v flatpak >/dev/null || need_host+=(flatpak)
command -v flatpak-builder >/dev/null || need_host+=(flatpak-builder)
[[ -e /usr/share/keyrings/debian-archive-keyring.gpg ]] || need_host+=(debian-archive-keyring)
if ((${#need_host[@]})); then
  log "installing host tools: ${need_host[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" update \
    || DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" update
  DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" install --no-install-recommends "${need_host[@]}"
fi

# ------------------------------------------------------------- mirror lookup
# Prints "URI" of the first enabled source that carries suite $1.
find_mirror() {
  local want="$1" f line w
  # One-line style: deb [opts] URI SUITE COMPONENTS...
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f "$f" ]] || continue
    while read -r line; do
      line="${line%%#*}"
      read -ra w <<<"$line" || true
      [[ "${w[0]:-}" == deb ]] || continue
      local i=1
      if [[ "${w[1]:-}" == \[* ]]; then
        while [[ $i -lt ${#w[@]} && "${w[$i]}" != *']' ]]; do i=$((i + 1)); done
        i=$((i + 1))
      fi
      if [[ "${w[$((i + 1))]:-}" == "$want" ]]; then echo "${w[$i]}"; return 0; fi
    done <"$f"
  done
  # deb822 style (*.sources): stanzas separated by blank lines.
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f "$f" ]] || continue
    awk -v want="$want" '
      function flush() {
        if (types ~ /(^| )deb( |$)/ && enabled != "no" && uris != "") {
          n = split(suites, s, /[ \t]+/)
          for (i = 1; i <= n; i++) if (s[i] == want) { split(uris, u, /[ \t]+/); print u[1]; found = 1; exit }
        }
        types = ""; uris = ""; suites = ""; enabled = ""
      }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      {
        key = tolower($1); sub(/:$/, "", key)
        val = $0; sub(/^[^:]*:[ \t]*/, "", val)
        if (key == "types") types = val
        else if (key == "uris") uris = val
        else if (key == "suites") suites = val
        else if (key == "enabled") enabled = tolower(val)
      }
      END { if (!found) flush() }
    ' "$f" | head -n1 | grep . && return 0
  done
  return 1
}

MIRROR="${LOCAL_RUNTIME_MIRROR:-}"
if [[ -z "$MIRROR" ]]; then
  MIRROR="$(find_mirror "$SUITE" || true)"
fi
[[ -n "$MIRROR" ]] || die "could not find a Debian mirror for $SUITE in /etc/apt/sources.list*; set LOCAL_RUNTIME_MIRROR"
SECURITY_MIRROR="$(find_mirror "$SUITE-security" || true)"
UPDATES_MIRROR="$(find_mirror "$SUITE-updates" || true)"
log "mirror: $MIRROR${SECURITY_MIRROR:+ (security: $SECURITY_MIRROR)}"

mkdir -p "$CACHE_DIR"

# ----------------------------------------------------------- chroot helpers
# The chroot's apt runs its download and gpgv methods as the unprivileged
# user _apt: a /dev/null it cannot open makes apt-key report "gpgv, gpgv2 or
# gpgv1 required for verification, but neither seems installed". So the host
# nodes must be real character devices, and they are checked as _apt below.
DEV_NODES=(null zero full random urandom tty)
for n in "${DEV_NODES[@]}"; do
  [[ -c "/dev/$n" ]] || die "/dev/$n on this machine is not a character device ($(stat -c '%F %a' "/dev/$n" 2>&1)); restore it (mknod) before building the runtime"
done

MOUNTED=()
cleanup_mounts() {
  local i
  for ((i = ${#MOUNTED[@]} - 1; i >= 0; i--)); do
    umount -l "${MOUNTED[$i]}" 2>/dev/null || true
  done
  MOUNTED=()
}
trap cleanup_mounts EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

mount_dev() {
  local n
  mkdir -p "$ROOTFS/dev"
  if ! mountpoint -q "$ROOTFS/dev"; then
    mount -t tmpfs -o mode=755,nosuid,size=1m tmpfs "$ROOTFS/dev"
    MOUNTED+=("$ROOTFS/dev")
    for n in "${DEV_NODES[@]}"; do
      : >"$ROOTFS/dev/$n"
      mount --bind "/dev/$n" "$ROOTFS/dev/$n"
      MOUNTED+=("$ROOTFS/dev/$n")
    done
    mkdir -p "$ROOTFS/dev/pts" "$ROOTFS/dev/shm"
  fi
}

mount_chroot() {
  mountpoint -q "$ROOTFS/proc" || { mount -t proc proc "$ROOTFS/proc"; MOUNTED+=("$ROOTFS/proc"); }
  mountpoint -q "$ROOTFS/sys" || { mount -t sysfs -o ro sysfs "$ROOTFS/sys"; MOUNTED+=("$ROOTFS/sys"); }
  mount_dev
  # A private devpts instance: dpkg logs through a pseudo-terminal.
  if ! mountpoint -q "$ROOTFS/dev/pts"; then
    if mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts "$ROOTFS/dev/pts"; then
      MOUNTED+=("$ROOTFS/dev/pts")
      ln -sfn pts/ptmx "$ROOTFS/dev/ptmx"
    else
      log "warning: no devpts in the chroot; dpkg will not log terminal output"
    fi
  fi
  # debootstrap makes these itself (and fails on existing ones).
  ln -sfn /proc/self/fd "$ROOTFS/dev/fd"
  ln -sfn /proc/self/fd/0 "$ROOTFS/dev/stdin"
  ln -sfn /proc/self/fd/1 "$ROOTFS/dev/stdout"
  ln -sfn /proc/self/fd/2 "$ROOTFS/dev/stderr"
  # What apt's sandbox user will do first.
  chroot --userspec=_apt:nogroup "$ROOTFS" /bin/sh -c ': >/dev/null && head -c1 /dev/urandom >/dev/null' \
    || die "apt's user _apt cannot use /dev/null or /dev/urandom in the chroot"
}

in_chroot() {
  chroot "$ROOTFS" /usr/bin/env -i \
    PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive "$@"
}

# -------------------------------------------------------------- debootstrap
if [[ ! -f "$ROOTFS/.debootstrap-done" ]]; then
  log "debootstrap --variant=minbase $SUITE into $ROOTFS"
  # A half-finished earlier attempt is not reusable.
  if [[ -d "$ROOTFS" ]]; then
    for d in dev/pts dev sys proc; do umount -l "$ROOTFS/$d" 2>/dev/null || true; done
    rm -rf --one-file-system "$ROOTFS"
  fi
  keyring=()
  [[ -e /usr/share/keyrings/debian-archive-keyring.gpg ]] \
    && keyring=(--keyring=/usr/share/keyrings/debian-archive-keyring.gpg)
  # Its second stage runs dpkg in the chroot with our /dev (it mounts /proc
  # and /sys itself).
  mount_dev
  debootstrap --variant=minbase "${keyring[@]}" "$SUITE" "$ROOTFS" "$MIRROR"
  cleanup_mounts
  touch "$ROOTFS/.debootstrap-done"
  phase "debootstrap done"
fi

# --------------------------------------------------------- runtime packages
PKG_HASH="$(printf '%s\n' "${PACKAGES[@]}" "${OPTIONAL_PACKAGES[@]}" "$MIRROR" "$SECURITY_MIRROR" \
  | sha256sum | cut -c1-16)"
if [[ "$FORCE" == 1 || "$(cat "$ROOTFS/.packages-done" 2>/dev/null || true)" != "$PKG_HASH" ]]; then
  log "installing packages into the chroot"
  {
    echo "deb $MIRROR $SUITE main"
    [[ -n "$UPDATES_MIRROR" ]] && echo "deb $UPDATES_MIRROR $SUITE-updates main"
    [[ -n "$SECURITY_MIRROR" ]] && echo "deb $SECURITY_MIRROR $SUITE-security main"
    true
  } >"$ROOTFS/etc/apt/sources.list"
  printf '#!/bin/sh\nexit 101\n' >"$ROOTFS/usr/sbin/policy-rc.d"
  chmod 755 "$ROOTFS/usr/sbin/policy-rc.d"
  # Keep docs/man pages out of the runtime: smaller tree, faster export.
  cat >"$ROOTFS/etc/dpkg/dpkg.cfg.d/01-local-runtime-nodoc" <<'EOF'
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/lintian/*
EOF
  mount_chroot
  # A signature that cannot be checked is an error, not a warning that
  # leaves apt with no package lists.
  in_chroot apt-get -q --error-on=any update
  # Optional packages the mirror does not know are left out; a missing
  # required one makes apt-get install fail below.
  install_pkgs=("${PACKAGES[@]}")
  for p in "${OPTIONAL_PACKAGES[@]}"; do
    if in_chroot apt-cache show "$p" >/dev/null 2>&1; then
      install_pkgs+=("$p")
    else
      log "warning: optional package $p not available, skipping"
    fi
  done
  in_chroot apt-get -q -y -o DPkg::Lock::Timeout=600 dist-upgrade
  in_chroot apt-get -q -y -o DPkg::Lock::Timeout=600 install --no-install-recommends "${install_pkgs[@]}"
  in_chroot apt-get -q clean
  # Caches that normally live under /var: make them part of /usr or /etc.
  in_chroot fc-cache -s >/dev/null 2>&1 || true
  cleanup_mounts
  echo "$PKG_HASH" >"$ROOTFS/.packages-done"
  rm -f "$CACHE_DIR/.tree-done" "$CACHE_DIR/.export-done"
  phase "packages installed"
fi

# ------------------------------------------------------ flatpak runtime tree
TREE_STAMP="$PKG_HASH-$LAYOUT_VERSION"
if [[ "$FORCE" == 1 || "$(cat "$CACHE_DIR/.tree-done" 2>/dev/null || true)" != "$TREE_STAMP" \
      || ! -d "$RUNTIME_DIR/files" ]]; then
  log "assembling runtime tree in $RUNTIME_DIR"
  rm -rf "$RUNTIME_DIR"
  mkdir -p "$RUNTIME_DIR"
  # Hard links: fast and no extra disk space; nothing below writes into
  # existing files, it only adds or removes directory entries.
  cp -al "$ROOTFS/usr" "$RUNTIME_DIR/files"
  # /etc of the sandbox is made from files/etc. Keep what programs read
  # (fonts, ld.so.conf, alternatives, ssl certs, gtk/xdg config, ...), drop
  # what is host/user specific or only used by apt/dpkg.
  mkdir -p "$RUNTIME_DIR/files/etc"
  (cd "$ROOTFS/etc" && tar -cf - \
      --exclude=./apt --exclude=./dpkg --exclude=./shadow --exclude=./gshadow \
      --exclude='./shadow-' --exclude='./gshadow-' --exclude='./passwd-' --exclude='./group-' \
      --exclude=./machine-id --exclude=./hostname --exclude=./hosts \
      --exclude=./resolv.conf --exclude=./mtab --exclude=./fstab \
      --exclude=./localtime --exclude=./timezone --exclude=./cron.daily \
      --exclude=./init.d --exclude='./rc?.d' --exclude=./systemd --exclude=./security \
      --exclude=./pam.d --exclude=./sudoers --exclude=./sudoers.d --exclude=./subuid --exclude=./subgid \
      .) | (cd "$RUNTIME_DIR/files/etc" && tar -xf -)
  # Things a minbase tree lacks but Flatpak/GLib want.
  rm -f "$RUNTIME_DIR/files/sbin/policy-rc.d"
  # flatpak regenerates ld.so.cache by running "ldconfig" from PATH.
  [[ -e "$RUNTIME_DIR/files/bin/ldconfig" ]] || ln -s ../sbin/ldconfig "$RUNTIME_DIR/files/bin/ldconfig"
  # Debian's fontconfig cache lives in /var/cache/fontconfig, which is not
  # part of a runtime; point fontconfig at a cache dir inside /usr and at the
  # per-user one.
  if [[ -d "$ROOTFS/var/cache/fontconfig" ]]; then
    mkdir -p "$RUNTIME_DIR/files/cache/fontconfig"
    cp -a "$ROOTFS/var/cache/fontconfig/." "$RUNTIME_DIR/files/cache/fontconfig/"
    mkdir -p "$RUNTIME_DIR/files/etc/fonts/conf.d"
    cat >"$RUNTIME_DIR/files/etc/fonts/conf.d/00-flatpak-runtime-cache.conf" <<'EOF'
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <cachedir>/usr/cache/fontconfig</cachedir>
</fontconfig>
EOF
  fi
  # /etc/os-release is a symlink to ../usr/lib/os-release; replace the
  # (hard-linked) target instead of writing through it into the chroot.
  rm -f "$RUNTIME_DIR/files/lib/os-release"
  cat >"$RUNTIME_DIR/files/lib/os-release" <<EOF
NAME="Async Demo local runtime (Debian $SUITE)"
ID=org.example.localgnome
ID_LIKE=debian
VERSION_ID=$BRANCH
PRETTY_NAME="Async Demo local runtime (Debian $SUITE)"
EOF
  echo "$TREE_STAMP" >"$CACHE_DIR/.tree-done"
  rm -f "$CACHE_DIR/.export-done"
  phase "runtime tree assembled"
fi

write_metadata() {
  local id="$1"
  cat >"$RUNTIME_DIR/metadata" <<EOF
[Runtime]
name=$id
runtime=$PLATFORM_ID/$ARCH/$BRANCH
sdk=$SDK_ID/$ARCH/$BRANCH
EOF
}

# ------------------------------------------------------------------ export
repo_has_refs() {
  local refs
  refs="$(flatpak repo --branches "$REPO" 2>/dev/null)" || return 1
  grep -q "^runtime/$PLATFORM_ID/$ARCH/$BRANCH" <<<"$refs" \
    && grep -q "^runtime/$SDK_ID/$ARCH/$BRANCH" <<<"$refs"
}
if [[ "$FORCE" == 1 || "$(cat "$CACHE_DIR/.export-done" 2>/dev/null || true)" != "$TREE_STAMP" ]] \
   || ! repo_has_refs; then
  for id in "$PLATFORM_ID" "$SDK_ID"; do
    log "exporting runtime/$id/$ARCH/$BRANCH to $REPO"
    write_metadata "$id"
    flatpak build-export --runtime --files=files --no-update-summary \
      --subject="$id from Debian $SUITE ($TREE_STAMP)" \
      "$REPO" "$RUNTIME_DIR" "$BRANCH"
  done
  flatpak build-update-repo "$REPO"
  echo "$TREE_STAMP" >"$CACHE_DIR/.export-done"
  phase "exported"
fi

# ----------------------------------------------------------------- install
if ! flatpak --user remotes --columns=name | grep -qx "$REMOTE"; then
  log "adding remote $REMOTE"
  flatpak --user remote-add --no-gpg-verify --if-not-exists "$REMOTE" "file://$REPO"
else
  flatpak --user remote-modify --no-gpg-verify --url="file://$REPO" "$REMOTE"
fi

for id in "$PLATFORM_ID" "$SDK_ID"; do
  ref="runtime/$id/$ARCH/$BRANCH"
  want="$(flatpak --user remote-info --show-commit "$REMOTE" "$ref" 2>/dev/null || true)"
  have="$(flatpak --user info --show-commit "$id//$BRANCH" 2>/dev/null || true)"
  if [[ -z "$have" ]]; then
    log "installing $id//$BRANCH"
    flatpak --user install -y --noninteractive "$REMOTE" "$ref"
  elif [[ -n "$want" && "$have" != "$want" ]]; then
    log "updating $id//$BRANCH ($have -> $want)"
    flatpak --user update -y --noninteractive "$ref"
  else
    log "$id//$BRANCH already installed ($have)"
  fi
done

log "done in $((SECONDS - START))s: $PLATFORM_ID//$BRANCH and $SDK_ID//$BRANCH installed (--user)"
