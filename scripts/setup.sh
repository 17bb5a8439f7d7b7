#!/usr/bin/env bash
# Host set-up for Mallet on Debian 12, run as root. Idempotent: a second run only checks.
#   scripts/setup.sh [--docker-api]     (or MALLET_DOCKER_API=1)
# Installs podman & friends, makes containers start on this kind of host, builds local
# stand-in images (no registry is reachable: nothing can be pulled), and optionally
# starts podman's Docker-compatible API on /tmp/podman.sock.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

CACHE=/var/cache/mallet
CONF=/etc/containers/containers.conf
BUSYBOX_IMG=localhost/standin/busybox:latest
DEBIAN_IMG=localhost/standin/debian:latest
PAUSE_IMG=localhost/standin/pause:latest
DEBIAN_PKGS=bash,python3,python-is-python3,perl,git,nodejs,openssh-client,openssh-server,ca-certificates,procps
SOCK=/tmp/podman.sock
PATH_ENV=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
DOCKER_API=${MALLET_DOCKER_API:-0}
[[ ${1:-} == --docker-api ]] && DOCKER_API=1

log() { echo "setup: $*"; }
die() { echo "setup: ERROR: $*" >&2; exit 1; }
[[ $(id -u) == 0 ]] || die "must run as root"

# --- 1. packages -------------------------------------------------------------------
installed() { [[ $(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) == installed ]]; }

install_packages() {
  local want=(podman runc uidmap debootstrap busybox-static tmux catatonit) missing=() p
  for p in "${want[@]}"; do installed "$p" || missing+=("$p"); done
  if ((${#missing[@]} == 0)); then log "podman present (and runc, uidmap, debootstrap, busybox-static, tmux, catatonit)"; return; fi
  log "installing ${missing[*]}"
  apt-get update -qq
  # catatonit is optional (podman uses it to build its own pause image); skip it if the archive lacks it.
  if [[ " ${missing[*]} " == *" catatonit "* ]] && [[ -z $(apt-cache policy catatonit | awk '/Candidate:/ && $2 != "(none)"') ]]; then
    local keep=(); for p in "${missing[@]}"; do [[ $p == catatonit ]] || keep+=("$p"); done
    missing=("${keep[@]}"); log "catatonit not available, skipping it"
  fi
  # Recommends wanted: they bring netavark, iptables, slirp4netns, fuse-overlayfs, as tested.
  apt-get install -y -qq "${missing[@]}" >/dev/null
}

# --- 2. containers.conf merge --------------------------------------------------------
# conf_set SECTION KEY VALUE: set KEY = VALUE under [SECTION] of $CONF, dropping any earlier
# value of KEY in that section (also multi-line arrays) and keeping everything else as is.
conf_set() {
  local tmp; tmp=$(mktemp)
  awk -v sec="$1" -v key="$2" -v line="$2 = $3" '
    /^[[:space:]]*\[[^]]*\][[:space:]]*(#.*)?$/ {
      insec = ($0 ~ "^[[:space:]]*\\[" sec "\\]"); print
      if (insec && !done) { print line; done = 1 }
      skip = 0; next }
    insec && skip { if ($0 ~ /\]/) skip = 0; next }
    insec && $0 ~ "^[[:space:]]*" key "[[:space:]]*=" { if ($0 ~ /\[/ && $0 !~ /\]/) skip = 1; next }
    { print }
    END { if (!done) { if (NR) print ""; print "[" sec "]"; print line } }' "$CONF" >"$tmp"
  cat "$tmp" >"$CONF"; rm -f "$tmp"
}

backup_conf() {
  mkdir -p "$(dirname "$CONF")"
  if [[ -s $CONF ]]; then cp -p "$CONF" "$CONF.bak.$(date +%Y%m%d%H%M%S)"; log "backed up $CONF"; else touch "$CONF"; fi
}

# --- 3a. busybox stand-in (built inside the probe: it is the probe image) ---------------
make_busybox_rootfs() { # make_busybox_rootfs DIR: busybox-static with every applet linked in /bin
  local r=$1 a
  mkdir -p "$r"/{bin,etc,root,home,tmp,var,dev,proc,sys,usr/bin}
  chmod 1777 "$r/tmp"; chmod 700 "$r/root"
  cp /bin/busybox "$r/bin/busybox"
  for a in $("$r/bin/busybox" --list); do [[ $a == busybox ]] || ln -sf busybox "$r/bin/$a"; done
  ln -sf ../../bin/env "$r/usr/bin/env" # so "#!/usr/bin/env sh" scripts run
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n' >"$r/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\n' >"$r/etc/group"
}

import_dir() { # import_dir DIR IMAGE CMD: a scratch image of DIR, default command CMD, no entrypoint
  tar -C "$1" --numeric-owner --owner=0 --group=0 -c . |
    podman import -q --change "CMD=[\"$3\"]" --change "ENV=$PATH_ENV" - "$2" >/dev/null
}

build_busybox() {
  if podman image exists "$BUSYBOX_IMG"; then log "$BUSYBOX_IMG present"; return; fi
  local t=$SECONDS dir; dir=$(mktemp -d)
  make_busybox_rootfs "$dir"; import_dir "$dir" "$BUSYBOX_IMG" sh; rm -rf "$dir"
  log "built $BUSYBOX_IMG in $((SECONDS - t))s"
}

# --- 2. can a container start? ----------------------------------------------------------
# On hybrid-cgroup hosts crun fails, and podman's default RLIMIT_NOFILE (1048576) exceeds the
# host's hard limit, so runc fails with "error setting rlimit type 7: operation not permitted".
# A config podman cannot even load (e.g. runtime = "crun" without crun) counts as a failure too.
probe_run() { # prints podman's complaint on failure; build logs go to stderr
  podman info >/dev/null 2>&1 || { podman info 2>&1 | tail -n1; return 1; }
  build_busybox >&2
  podman run --rm "$BUSYBOX_IMG" true 2>&1
}

ensure_runtime() {
  local out
  if out=$(probe_run); then log "containers start"; return; fi
  log "container probe failed: ${out##*Error: }"
  log "writing runc + low default_ulimits to $CONF"
  backup_conf
  conf_set engine runtime '"runc"'
  conf_set containers default_ulimits '["nofile=1024:1024", "nproc=1024:1024"]'
  out=$(probe_run) || die "containers still cannot start after writing $CONF: $out"
  log "containers start (with $CONF)"
}

# --- 3c. pods -----------------------------------------------------------------------------
# Podman 4.3 builds its infra image (localhost/podman-pause:<version>) itself from catatonit,
# so no pull is needed. Only if that fails do we build a pause stand-in from busybox and
# point infra_image at it; its /pause shell loop exits promptly on SIGTERM like k8s pause.
probe_pod() { podman pod create --name mallet-setup-probe >/dev/null && podman pod start mallet-setup-probe >/dev/null; }

ensure_pods() {
  local err dir
  podman pod rm -f mallet-setup-probe >/dev/null 2>&1 || true # left over by an interrupted run
  if err=$(probe_pod 2>&1); then podman pod rm -f mallet-setup-probe >/dev/null; log "pods work"; return; fi
  podman pod rm -f mallet-setup-probe >/dev/null 2>&1 || true
  log "pod probe failed: ${err##*Error: }"
  log "building $PAUSE_IMG and setting it as infra_image"
  dir=$(mktemp -d); make_busybox_rootfs "$dir"
  printf '#!/bin/sh\ntrap "exit 0" TERM INT\nwhile :; do sleep 86400 & wait $!; done\n' >"$dir/pause"
  chmod 755 "$dir/pause"; import_dir "$dir" "$PAUSE_IMG" /pause; rm -rf "$dir"
  backup_conf
  conf_set engine infra_image "\"$PAUSE_IMG\""
  conf_set engine infra_command '"/pause"'
  probe_pod || { podman pod rm -f mallet-setup-probe >/dev/null 2>&1; die "podman pod create still fails"; }
  podman pod rm -f mallet-setup-probe >/dev/null; log "pods work (with $PAUSE_IMG)"
}

# --- 3b. debian stand-in -----------------------------------------------------------------
apt_mirror() { # first non-security Debian mirror the host's apt uses (one-line or deb822 format)
  local m
  m=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
    awk '/^deb[[:space:]]/ { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; break } }
         /^URIs:/ { print $2 }' | grep -v security | head -n1) || true
  echo "${m:-http://deb.debian.org/debian}"
}

unmount_under() { findmnt -rn -o TARGET | grep "^$1/" | sort -r | xargs -r -n1 umount -l || true; }

# The stand-in serves for ubuntu, alpine, bash, python and node alike, so it behaves like the
# most demanding of them: an entrypoint like the official bash/node images' (run the arguments
# as a command, or hand flags to bash), and /bin/sh and ash as bash, as alpine's ash accepts
# the bashisms ([[ ]], ==) that the examples' plain scripts use.
STANDIN_REV=2
customize_debian() { # customize_debian ROOT
  cat >"$1/usr/local/bin/docker-entrypoint.sh" <<'ENTRY'
#!/bin/bash
if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ]; then exec bash "$@"; fi
exec "$@"
ENTRY
  chmod 755 "$1/usr/local/bin/docker-entrypoint.sh"
  ln -sf bash "$1/usr/bin/sh"
  ln -sf bash "$1/usr/bin/ash"
}

standin_rev() { podman image inspect --format '{{index .Config.Labels "mallet.standin"}}' "$1" 2>/dev/null; }

build_debian() {
  if [[ $(standin_rev "$DEBIAN_IMG") == "$STANDIN_REV" ]]; then log "$DEBIAN_IMG present"; return; fi
  local t=$SECONDS hash tarball root mirror
  hash=$(echo "bookworm $DEBIAN_PKGS rev$STANDIN_REV" | sha256sum | cut -c1-8)
  tarball=$CACHE/debian-bookworm-minbase-$hash.tar # keyed on the package list
  if [[ ! -s $tarball ]]; then
    mirror=$(apt_mirror); root=$(mktemp -d /var/tmp/mallet-debian.XXXXXX)
    log "debootstrap bookworm from $mirror (a few minutes)"
    trap 'unmount_under "$root"; rm -rf --one-file-system "$root"' EXIT
    debootstrap --variant=minbase --include="$DEBIAN_PKGS" bookworm "$root" "$mirror" >"$root.log" 2>&1 ||
      die "debootstrap failed, see $root.log"
    unmount_under "$root"
    chroot "$root" apt-get clean
    rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/log/*.log "$root"/var/log/apt/*
    # Docs, man pages and translations are dead weight in a CI image (~70 MB), as in debian:slim.
    rm -rf "$root"/usr/share/{doc,man,info,locale}/*
    customize_debian "$root"
    mkdir -p "$CACHE"
    tar -C "$root" --numeric-owner -cf "$tarball.tmp" --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' .
    mv "$tarball.tmp" "$tarball"; rm -f "$root.log"
    rm -rf --one-file-system "$root"; trap - EXIT
  fi
  podman import -q --change 'CMD=["bash"]' --change 'ENTRYPOINT=["/usr/local/bin/docker-entrypoint.sh"]' \
    --change "LABEL=mallet.standin=$STANDIN_REV" --change "ENV=$PATH_ENV" "$tarball" "$DEBIAN_IMG" >/dev/null
  log "built $DEBIAN_IMG in $((SECONDS - t))s (rootfs cached in $tarball)"
}

# --- 4. optional Docker-compatible API ---------------------------------------------------
api_ping() {
  if command -v curl >/dev/null; then curl -sf --max-time 2 --unix-socket "$SOCK" http://d/_ping >/dev/null
  else node -e "require('http').get({socketPath:'$SOCK',path:'/_ping'},r=>process.exit(r.statusCode==200?0:1)).on('error',()=>process.exit(1))"
  fi
}

start_docker_api() {
  if api_ping; then log "podman API already answering on $SOCK"; return; fi
  rm -f "$SOCK"
  # setsid+nohup: the service outlives this script and its terminal.
  setsid nohup podman system service --time=0 "unix://$SOCK" >/tmp/podman-service.log 2>&1 </dev/null &
  echo $! >/tmp/podman-service.pid
  for _ in $(seq 50); do api_ping && { log "podman API on $SOCK (pid $(cat /tmp/podman-service.pid)); DOCKER_HOST=unix://$SOCK"; return; }; sleep 0.2; done
  die "podman system service did not answer on $SOCK, see /tmp/podman-service.log"
}

main() {
  local t=$SECONDS
  install_packages
  ensure_runtime # also builds the busybox stand-in
  ensure_pods
  build_debian
  if [[ $DOCKER_API == 1 ]]; then start_docker_api; fi
  log "done in $((SECONDS - t))s"
}
main
