#!/usr/bin/env bash
# Builds compose-pulumi/debian:bookworm, the base image of the example apps in
# stacks/apps/. No registry image can be pulled here, so the rootfs comes from
# Debian packages: `debootstrap --variant=minbase --include=<base.packages>` runs on
# the host (which reaches the apt mirror; image builds then need no network), the
# trimmed rootfs is cached as a tarball outside the checkout, and `docker import`
# loads it into the daemon named by DOCKER_HOST.
#
# Idempotent: an image already carrying this package list's content label is left
# alone; a cached tarball is imported without rebuilding.
#
# Usage: scripts/images/base.sh [--print-key]
# Environment:
#   DOCKER_HOST          daemon to import into (docker's default socket if unset)
#   DEBIAN_MIRROR        apt mirror (default http://deb.debian.org/debian)
#   COMPOSE_PULUMI_CACHE cache root (default ${XDG_CACHE_HOME:-~/.cache}/compose-pulumi)
#   BASE_IMAGE           image name (default compose-pulumi/debian:bookworm)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/log.sh"
. "$here/../lib/apt.sh"

suite=bookworm
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
image=${BASE_IMAGE:-compose-pulumi/debian:bookworm}
cache_root=${COMPOSE_PULUMI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/compose-pulumi}
image_cache=$cache_root/images
deb_cache=$cache_root/debs
label=io.compose-pulumi.base.content
# Bump when trim_rootfs or the import settings change, so cached tarballs are rebuilt.
recipe=2

packages=$(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$here/base.packages" | grep -v '^$' | sort -u)
key=$(printf 'suite=%s\nrecipe=%s\n%s\n' "$suite" "$recipe" "$packages" | sha256sum | cut -c1-16)
tarball=$image_cache/$key.tar
keyed_image=${image%%:*}:$suite-$key

if [ "${1:-}" = "--print-key" ]; then
  echo "$key"
  exit 0
fi
[ $# -eq 0 ] || die "unknown argument '$1'" "usage: scripts/images/base.sh [--print-key]"

content_of() {
  docker image inspect --format "{{ index .Config.Labels \"$label\" }}" "$1" 2>/dev/null
}

# up_to_date: true when $image has this content, re-tagging a keyed copy if needed.
up_to_date() {
  if [ "$(content_of "$image")" = "$key" ]; then
    note "$image is up to date (content $key)"
  elif [ "$(content_of "$keyed_image")" = "$key" ]; then
    docker tag "$keyed_image" "$image"
    note "$image re-tagged from $keyed_image"
  else
    return 1
  fi
}

trim_rootfs() {
  local r=$1
  # Services never start while a Dockerfile runs apt, as in Docker's own Debian images.
  printf '#!/bin/sh\nexit 101\n' >"$r/usr/sbin/policy-rc.d"
  chmod 755 "$r/usr/sbin/policy-rc.d"
  printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' \
    >"$r/etc/apt/apt.conf.d/90compose-pulumi"
  # Package scripts initialise default databases; the apps' entry scripts create
  # their own on first start, inside the service's volume.
  rm -rf "$r"/var/lib/mysql/* "$r"/var/lib/postgresql/*/main "$r"/etc/postgresql/*/main
  # PostgreSQL's JIT pulls in LLVM (about 150 MB); the server runs without JIT when
  # llvmjit.so is absent, and nothing else links these libraries.
  rm -rf "$r"/usr/lib/postgresql/*/lib/llvmjit* "$r"/usr/lib/postgresql/*/lib/bitcode \
    "$r"/usr/lib/*-linux-gnu/libLLVM-*.so* "$r"/usr/lib/*-linux-gnu/libz3.so*
  rm -rf "$r"/var/cache/apt/*.bin "$r"/var/cache/apt/archives/*.deb "$r"/var/lib/apt/lists/*
  rm -rf "$r"/usr/share/doc/* "$r"/usr/share/man/* "$r"/usr/share/info/* "$r"/usr/share/locale/*
  find "$r/var/log" -type f -delete
  rm -rf "$r"/tmp/* "$r"/var/tmp/* "$r"/dev/*
  # Docker provides these per container; the host's copies must not leak into the image.
  rm -f "$r/etc/resolv.conf" "$r/etc/hostname"
}

# debootstrap prints a line per package and phase; show every 40th with the elapsed time.
show_progress() {
  awk -v start="$SECONDS" '
    function line(text) { printf "    [%4ds] %s\n", start + systime() - t0, text; fflush() }
    function step(what, n) { if (n % 40 == 1) line(what " (" n ")") }
    BEGIN { t0 = systime() }
    /^I: Retrieving /  { step("downloading " $3, ++got); next }
    /^I: Validating /  { next }
    /^I: Extracting /  { step("extracting " $3, ++ext); next }
    /^I: Unpacking /   { step("unpacking " $3, ++unp); next }
    /^I: Configuring / { step("configuring " $3, ++conf); next }
    /^[IWE]: /         { line(substr($0, 4)) }' >&2
}

# debootstrap_command TARGET [OPTION...]: the debootstrap command line (shell-quoted) that
# installs the suite and the package list into TARGET.
debootstrap_command() {
  local target=$1
  shift
  printf 'debootstrap --variant=minbase --include=%q' "$(paste -sd, <<<"$packages")"
  [ $# -eq 0 ] || printf ' %q' "$@"
  printf ' %q %q %q' "$suite" "$target" "$mirror"
}

# build_on_host: as root, debootstrap (installed when missing) on this machine.
build_on_host() {
  local work log=$image_cache/$key.log
  apt_install_missing "$image_cache/apt.log" debootstrap
  work=$(mktemp -d "$image_cache/.build-$key.XXXXXX")
  # debootstrap mounts proc/sys inside the target; never leave them behind.
  trap 'for m in proc sys dev/pts dev; do mountpoint -q "'"$work"'/rootfs/$m" && umount -l "'"$work"'/rootfs/$m"; done; rm -rf "'"$work"'"' EXIT
  say "debootstrap $suite (minbase + $(wc -w <<<"$packages") packages) from $mirror; full log: $log"
  if ! eval "$(debootstrap_command "$work/rootfs" --cache-dir="$deb_cache")" 2>&1 | tee "$log" | show_progress; then
    tail -n 25 "$log" | sed 's/^/    /' >&2
    die "debootstrap failed (full log: $log)" "check that the Debian mirror $mirror is reachable, then re-run"
  fi
  note "[${SECONDS}s] trimming rootfs ($(du -sh "$work/rootfs" | cut -f1) before)"
  trim_rootfs "$work/rootfs"
  note "[${SECONDS}s] writing $tarball ($(du -sh "$work/rootfs" | cut -f1) after)"
  tar --numeric-owner -C "$work/rootfs" -cf "$work/rootfs.tar" .
  mv "$work/rootfs.tar" "$tarball"
}

# debootstrap_dir: where this machine's debootstrap lives, fetched without root (apt-get
# download checks it against apt's signed package lists) when it is not installed.
debootstrap_dir() {
  if [ -x /usr/sbin/debootstrap ]; then
    printf '/\n'
    return 0
  fi
  local dir=$cache_root/debootstrap
  if [ ! -x "$dir/usr/sbin/debootstrap" ]; then
    local work
    work=$(mktemp -d)
    (cd "$work" && apt-get download debootstrap >"$image_cache/apt-download.log" 2>&1) ||
      die "debootstrap is not installed, and apt-get download debootstrap failed (log: $image_cache/apt-download.log)" \
        "install it once as root (apt-get install debootstrap), then re-run"
    rm -rf "$dir"
    dpkg-deb -x "$work"/debootstrap_*.deb "$dir"
    rm -rf "$work"
  fi
  printf '%s\n' "$dir"
}

# build_in_container: without root, debootstrap runs as root inside a one-off container
# on the local engine, with the one capability beyond Docker's defaults it needs
# (SYS_ADMIN, to mount /proc and /sys in the new rootfs). The container's image holds nothing: this machine's
# /usr and /etc are mounted read-only, so debootstrap and its tools are the host's. The
# rootfs stays inside the container; only its tarball comes out, on stdout.
build_in_container() {
  case "${DOCKER_HOST:-unix:///var/run/docker.sock}" in
    unix://*) ;;
    *) die "building the base image without root needs a local Docker engine (DOCKER_HOST is $DOCKER_HOST)" \
         "run scripts/images/base.sh once as root, or with a local engine" ;;
  esac
  local tools work log=$image_cache/$key.log mounts=() entry
  tools=$(debootstrap_dir)
  work=$(mktemp -d "$image_cache/.build-$key.XXXXXX")
  trap 'rm -rf "'"$work"'"' EXIT
  # The container's filesystem: /bin, /lib... as on this machine (symlinks into /usr
  # where /usr is merged), and empty directories for the rest.
  mkdir -p "$work/root"/{usr,etc,tmp,proc,sys,dev,root,var/tmp,opt/debootstrap}
  chmod 1777 "$work/root/tmp" "$work/root/var/tmp"
  for entry in bin sbin lib lib64; do
    if [ -L "/$entry" ]; then
      ln -s "$(readlink "/$entry")" "$work/root/$entry"
    elif [ -d "/$entry" ]; then
      mkdir "$work/root/$entry"
      mounts+=(-v "/$entry:/$entry:ro")
    fi
  done
  tar --numeric-owner --owner=0 --group=0 -C "$work/root" -cf - . |
    docker import - compose-pulumi/host-tools:1 >/dev/null
  say "debootstrap $suite (minbase + $(wc -w <<<"$packages") packages) from $mirror in a container on ${DOCKER_HOST:-the local engine}; full log: $log"
  local script
  script="set -eo pipefail
export DEBOOTSTRAP_DIR=/opt/debootstrap/usr/share/debootstrap
export PATH=/opt/debootstrap/usr/sbin:/usr/sbin:/usr/bin:/sbin:/bin
$(declare -f trim_rootfs)
$(debootstrap_command /rootfs) >&2
trim_rootfs /rootfs
tar --numeric-owner -C /rootfs -cf - ."
  if ! docker run --rm --cap-add SYS_ADMIN --network host "${mounts[@]}" \
      -v /usr:/usr:ro -v /etc:/etc:ro -v "$tools:/opt/debootstrap:ro" \
      compose-pulumi/host-tools:1 /bin/bash -c "$script" \
      2> >(tee "$log" | show_progress) >"$work/rootfs.tar"; then
    tail -n 25 "$log" | sed 's/^/    /' >&2
    die "debootstrap in a container failed (full log: $log)" "check that the Debian mirror $mirror is reachable, then re-run"
  fi
  docker image rm compose-pulumi/host-tools:1 >/dev/null 2>&1 || true
  mv "$work/rootfs.tar" "$tarball"
}

build_tarball() {
  if [ "$(id -u)" -eq 0 ]; then build_on_host; else build_in_container; fi
  # Tarballs of earlier package lists: keep the newest one for switching branches back.
  ls -t "$image_cache"/*.tar | tail -n +3 | while read -r old; do
    note "removing outdated cached rootfs $old"
    rm -f "$old" "${old%.tar}.log"
  done
}

docker version --format '{{.Server.Version}}' >/dev/null 2>&1 ||
  die "no Docker daemon answers at ${DOCKER_HOST:-the default socket}" \
    "run scripts/setup.sh and load .state/env, or export DOCKER_HOST"
up_to_date && exit 0

mkdir -p "$image_cache" "$deb_cache"
# One build at a time per cache: a concurrent run waits, then finds the result.
exec 9>"$image_cache/.lock"
flock 9
up_to_date && exit 0

if [ -f "$tarball" ]; then
  say "using cached rootfs $tarball"
else
  build_tarball
fi

say "importing into ${DOCKER_HOST:-the default daemon} as $image"
docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'CMD ["bash"]' \
  --change "LABEL $label=$key" \
  --change "LABEL org.opencontainers.image.description=\"Debian $suite minbase with scripts/images/base.packages\"" \
  --message "debootstrap $suite minbase + base.packages ($key)" \
  "$tarball" "$image" >/dev/null
docker tag "$image" "$keyed_image"
# Tags of earlier package lists; an image still used by a container stays.
for old in $(docker image ls --format '{{.Repository}}:{{.Tag}}' "${image%%:*}"); do
  case $old in
    "$keyed_image" | "$image") ;;
    "${image%%:*}:$suite-"*) docker image rm "$old" >/dev/null 2>&1 && note "removed outdated $old" ;;
  esac
done
[ "$(content_of "$image")" = "$key" ] || die "imported $image but its content label is not $key"
say "$image ready in ${SECONDS}s ($(docker image inspect --format '{{.Size}}' "$image" | awk '{ printf "%.0f MB", $1 / 1e6 }'), also tagged $keyed_image)"
