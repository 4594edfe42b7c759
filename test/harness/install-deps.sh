#!/usr/bin/env bash
# Installs what the netns test hosts need and is missing: sshd, dockerd, iproute2,
# iptables, util-linux (nsenter/unshare), a static busybox for scratch images and the
# registry. Exits 0 when everything is present, 2 when not root, 1 when apt failed.
set -euo pipefail

[ "$(id -u)" = 0 ] || { echo "harness: must run as root to create network namespaces" >&2; exit 2; }

missing=()
need() { command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }
need sshd openssh-server
need ssh openssh-client
need ssh-keygen openssh-client
need dockerd docker.io
need docker docker.io
need ip iproute2
need iptables iptables
need nsenter util-linux
need unshare util-linux
need docker-registry docker-registry
need curl curl
# The scratch image needs a statically linked busybox; Debian's plain busybox is dynamic.
dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'install ok installed' \
  || missing+=(busybox-static)

[ ${#missing[@]} -eq 0 ] && exit 0

mapfile -t packages < <(printf '%s\n' "${missing[@]}" | sort -u)
echo "harness: installing ${packages[*]}" >&2
apt_install() {
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y \
    --no-install-recommends "${packages[@]}" >&2
}
if ! apt_install; then
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 update >&2 || exit 1
  apt_install || exit 1
fi
