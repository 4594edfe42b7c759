#!/usr/bin/env bash
# k8s-deps.sh: installs the Debian packages the test cluster runs on and is missing:
# etcd (the API server's store), containerd and runc (the nodes' container runtime),
# the CNI plugins (bridge, host-local, loopback, portmap), conntrack, iptables, openssl
# (certificates) and gcc with libc6-dev (the static pause binary). Root only.
set -euo pipefail
. "$(dirname "$0")/lib/log.sh"
. "$(dirname "$0")/lib/paths.sh"
. "$(dirname "$0")/lib/apt.sh"

apt_install_missing "$LOG_DIR/apt-k8s.log" \
  etcd-server containerd runc containernetworking-plugins conntrack iptables openssl gcc libc6-dev curl
