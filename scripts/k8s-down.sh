#!/usr/bin/env bash
# k8s-down.sh: stops the test cluster of scripts/k8s-up.sh: its processes by their pid
# files, the pods' processes by the nodes' cgroups, then the test hosts it created.
# Leaves the binaries, the sandbox image binary and the CA in their caches. Safe to run
# twice.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/log.sh"
. "$here/lib/paths.sh"
. "$here/lib/k8s-proc.sh"

K8S_STATE=$STATE_DIR/kubernetes
if [ ! -s "$K8S_STATE/cluster.env" ]; then
  note "no test cluster recorded in $K8S_STATE"
  exit 0
fi
[ "$(id -u)" = 0 ] || die "stopping the test cluster needs root" "run as root"
. "$K8S_STATE/cluster.env"

# kill_cgroup_tree NAME: pod processes run in their own network namespaces, so stopping
# the host's processes would miss them; every one of them is in the node's cgroup.
kill_cgroup_tree() {
  local name=$1 sig p round
  for sig in TERM KILL; do
    for round in $(seq 30); do
      local found=false
      while read -r p; do
        kill -"$sig" "$p" 2>/dev/null || true
        found=true
      done < <(find /sys/fs/cgroup/*/"$name" -name cgroup.procs -exec cat {} + 2>/dev/null)
      $found || return 0
      [ "$sig" = KILL ] || [ "$round" -lt 10 ] || break
      sleep 0.2
    done
  done
}

say "stopping the test cluster (slot $SLOT, $NODES nodes)..."
for ((i = 1; i <= NODES; i++)); do
  stop_recorded "node$i-kube-proxy"
  stop_recorded "node$i-kubelet"
done
for ((i = 1; i <= NODES; i++)); do
  kill_cgroup_tree "k8s-$CHECKOUT_ID-node$i"
  stop_recorded "node$i-containerd"
done
for name in kube-scheduler kube-controller-manager kube-apiserver etcd; do
  stop_recorded "$name"
done

# The hosts go last: down.sh also ends what still runs in their network namespaces
# (containerd's shims) and removes the namespaces with their iptables rules and routes.
bash "$REPO_ROOT/test/harness/down.sh" --slot "$SLOT"

for ((i = 1; i <= NODES; i++)); do
  for h in /sys/fs/cgroup/*/"k8s-$CHECKOUT_ID-node$i"; do
    if [ -d "$h" ]; then find "$h" -depth -type d -exec rmdir {} \; 2>/dev/null || true; fi
  done
  rm -rf "$K8S_STATE/node$i"
done
rm -rf "$K8S_STATE/control-plane" "$K8S_STATE/pids" "$K8S_STATE/cluster.env" "$K8S_STATE/kubeconfig"
say "test cluster stopped"
