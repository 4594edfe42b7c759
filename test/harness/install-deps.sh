#!/usr/bin/env bash
# Installs what the netns test hosts need and is missing: sshd, dockerd, iproute2,
# iptables, util-linux (nsenter/unshare), a static busybox for scratch images and the
# registry. Exits 0 when everything is present, 2 when not root, 1 when apt failed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../scripts/lib/log.sh"
. "$here/../../scripts/lib/paths.sh"
. "$here/../../scripts/lib/apt.sh"

[ "$(id -u)" = 0 ] || { echo "harness: must run as root to create network namespaces" >&2; exit 2; }

# A dockerd or registry from elsewhere (on PATH) serves as well as Debian's.
packages=(openssh-server openssh-client iproute2 iptables util-linux curl busybox-static docker.io:dockerd docker-registry:docker-registry)
( apt_install_missing "$LOG_DIR/apt-harness.log" "${packages[@]}" ) >&2 || exit 1
