#!/usr/bin/env bash
# k8s-up.sh [--nodes N]: starts a Kubernetes test cluster on this machine and prints the
# path of its admin kubeconfig (.state/kubernetes/kubeconfig). Idempotent: a cluster that
# is already up and healthy is reused; a broken one is stopped and started afresh.
#
# What runs where:
# - N netns test hosts (test/harness/up.sh, default 2), node1..nodeN at 10.231.K.(10+I),
#   with the slot's registry on 10.231.K.1:5000. Each is one Kubernetes node: its own
#   containerd, kubelet and kube-proxy, its pods on a CNI bridge with pod range
#   10.244.I.0/24, routes to the other nodes' pod ranges. kube-proxy's iptables rules
#   and the bridges stay inside the hosts' network namespaces.
# - node1 is also the control plane: etcd on its loopback, kube-apiserver on
#   10.231.K.11:6443 (reachable from this machine through the harness bridge),
#   kube-controller-manager and kube-scheduler; CoreDNS runs as a pod (kube-dns Service).
# - Storage: local-path-provisioner (scripts/k8s-storage.sh) and the default StorageClass
#   local-path; volumes are directories under /opt/local-path-provisioner, which is
#   .state/kubernetes/nodeI/private/opt/local-path-provisioner in node I's mount namespace.
# Binaries: scripts/k8s-build.sh (cached); images: the slot's registry, the sandbox image
# built by scripts/k8s-pause-image.sh. Stop it all with scripts/k8s-down.sh.
# A reused cluster gets the add-ons (node directories, storage) it lacks, idempotently.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/log.sh"
. "$here/lib/paths.sh"
. "$here/lib/k8s-proc.sh"
. "$here/lib/k8s-pki.sh"
. "$here/lib/k8s-node-config.sh"
. "$REPO_ROOT/test/harness/lib.sh"

nodes=2
while [ $# -gt 0 ]; do
  case $1 in
    --nodes) nodes=${2:-}; shift 2 ;;
    *) die "unknown argument $1" "usage: scripts/k8s-up.sh [--nodes N]" ;;
  esac
done
[[ $nodes =~ ^[1-9]$ ]] || die "--nodes must be 1..9, got '$nodes'"
[ "$(id -u)" = 0 ] || die "the test cluster needs root (network namespaces, cgroups, containerd)" "run as root"

K8S_STATE=$STATE_DIR/kubernetes
CLUSTER_CIDR=10.244.0.0/16
SERVICE_CIDR=10.96.0.0/16
API_SERVICE_IP=10.96.0.1
DNS_SERVICE_IP=10.96.0.10
# Where local-path-provisioner makes volumes on a node (upstream's default path).
STORAGE_DIR=/opt/local-path-provisioner
pod_cidr() { printf '10.244.%s.0/24' "$1"; }
started=$(date +%s)

bash "$here/k8s-deps.sh"
bins=$(bash "$here/k8s-build.sh")
# Built before any host starts, so a first (long) build keeps nothing waiting.
bash "$here/k8s-build-coredns.sh" >/dev/null
bash "$here/k8s-build-local-path.sh" >/dev/null
kubectl() { "$bins/kubectl" --kubeconfig "$K8S_STATE/kubeconfig" "$@"; }

# private_dirs PID DIR: the paths the kubelet and containerd's CNI library use whatever
# their configuration says (device plugins, CNI result cache, container log links), and
# the volume directory of local-path-provisioner, become the node's own directories under
# DIR, in the node's mount namespace; the machine keeps only the empty mount points.
# Idempotent: a path that already shows its directory there is left alone.
private_dirs() {
  local pid=$1 dir=$2 path
  for path in /var/lib/kubelet /var/lib/cni /var/log/containers /var/log/pods "$STORAGE_DIR"; do
    mkdir -p "$dir/private$path" "$path"
    [ "$(nsenter -t "$pid" -m -- stat -c %d:%i "$path")" = "$(stat -c %d:%i "$dir/private$path")" ] && continue
    nsenter -t "$pid" -m -- mount --bind "$dir/private$path" "$path"
  done
}

# start_storage HOSTPID REGISTRY: the storage provisioner and its StorageClass, images
# pushed through the daemon of the test host HOSTPID (scripts/k8s-storage.sh).
start_storage() {
  bash "$here/k8s-storage.sh" "$K8S_STATE/kubeconfig" "unix:///proc/$1/root/run/docker.sock" "$2" "$STORAGE_DIR" >/dev/null
}

# cluster_healthy: every recorded process runs, the API server is ready, all nodes of
# the wanted count are Ready and CoreDNS is available.
cluster_healthy() {
  local f ready
  [ -s "$K8S_STATE/cluster.env" ] || return 1
  . "$K8S_STATE/cluster.env"
  [ "$NODES" = "$nodes" ] || return 1
  for f in "$K8S_STATE"/pids/*; do
    [ -e "$f" ] || return 1
    recorded_alive "$(basename "$f")" || return 1
  done
  kubectl get --raw /readyz >/dev/null 2>&1 || return 1
  ready=$(kubectl get nodes -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' 2>/dev/null | grep -c '^True$' || true)
  [ "$ready" = "$nodes" ] || return 1
  [ "$(kubectl -n kube-system get deployment coredns -o 'jsonpath={.status.availableReplicas}' 2>/dev/null)" = 1 ]
}

# The add-ons (storage) are not part of the check: a running cluster that lacks one gets
# it below rather than a restart.
if cluster_healthy; then
  note "the cluster is already up (slot $SLOT, $NODES nodes)"
  for ((i = 1; i <= NODES; i++)); do
    private_dirs "$(cat "$STATE_DIR/harness/slot-$SLOT/node$i/boot.pid")" "$K8S_STATE/node$i"
  done
  start_storage "$(cat "$STATE_DIR/harness/slot-$SLOT/node1/boot.pid")" "$REGISTRY"
  printf '%s\n' "$K8S_STATE/kubeconfig"
  exit 0
fi
if [ -s "$K8S_STATE/cluster.env" ]; then
  say "the recorded cluster is not healthy; stopping it first"
  bash "$here/k8s-down.sh"
fi

# A fresh cluster, fresh logs (a failed start keeps its own for reading).
rm -rf "$K8S_STATE/pids" "$K8S_STATE/logs"
mkdir -p "$K8S_STATE/logs"
on_failure() {
  local rc=$?
  [ "$rc" = 0 ] && return
  warn "start failed; logs in $K8S_STATE/logs; stopping what started"
  bash "$here/k8s-down.sh" || true
  exit "$rc"
}
trap on_failure EXIT

say "creating $nodes test hosts..."
hosts_json=$(bash "$REPO_ROOT/test/harness/up.sh" --hosts "$nodes" | tail -n 1)
slot=$(printf '%s' "$hosts_json" | sed -n 's/^{"slot":\([0-7]\),.*/\1/p')
[ -n "$slot" ] || die "test/harness/up.sh printed no slot"
harness_state=$REPO_ROOT/.state/harness/slot-$slot
registry=$(slot_registry "$slot")
api_addr=$(host_addr "$slot" 1)
server=https://$api_addr:6443
host_pid() { cat "$harness_state/node$1/boot.pid"; }
cat >"$K8S_STATE/cluster.env" <<ENV
SLOT=$slot
NODES=$nodes
API_SERVER=$server
REGISTRY=$registry
HOSTS_JSON=$harness_state/hosts.json
KUBECONFIG_PATH=$K8S_STATE/kubeconfig
BIN_DIR=$bins
ENV

say "building the sandbox image into $registry..."
pause_ref=$(bash "$here/k8s-pause-image.sh" "unix:///proc/$(host_pid 1)/root/run/docker.sock" "$registry")

say "making certificates and kubeconfigs..."
pki=$K8S_STATE/pki
pki_ca "$pki"
pki_service_account_keys "$pki"
pki_cert "$pki" apiserver /CN=kube-apiserver server "IP:$api_addr" "IP:$API_SERVICE_IP" IP:127.0.0.1 \
  DNS:kubernetes DNS:kubernetes.default DNS:kubernetes.default.svc DNS:kubernetes.default.svc.cluster.local DNS:localhost
pki_cert "$pki" apiserver-kubelet-client /O=system:masters/CN=kube-apiserver-kubelet-client client
pki_cert "$pki" admin /O=system:masters/CN=kubernetes-admin client
pki_cert "$pki" controller-manager /CN=system:kube-controller-manager client
pki_cert "$pki" scheduler /CN=system:kube-scheduler client
pki_cert "$pki" kube-proxy /CN=system:kube-proxy client
cp_dir=$K8S_STATE/control-plane
rm -rf "$cp_dir" && mkdir -p "$cp_dir"
kubeconfig "$K8S_STATE/kubeconfig" "$server" "$pki/ca.crt" "$pki/admin.crt" "$pki/admin.key" kubernetes-admin
kubeconfig "$cp_dir/controller-manager.kubeconfig" "$server" "$pki/ca.crt" "$pki/controller-manager.crt" "$pki/controller-manager.key" system:kube-controller-manager
kubeconfig "$cp_dir/scheduler.kubeconfig" "$server" "$pki/ca.crt" "$pki/scheduler.crt" "$pki/scheduler.key" system:kube-scheduler

# The kubelet sets these machine-wide sysctls (panic on oops, reboot 10 s after a panic,
# always overcommit) when they differ, with no option to only check them. The test hosts
# share this machine's kernel, so each node sees files holding the kubelet's values at
# those paths in its own mount namespace instead, and the machine keeps its settings.
kubelet_sysctls="vm/overcommit_memory=1 vm/panic_on_oom=0 kernel/panic=10 kernel/panic_on_oops=1 kernel/keys/root_maxkeys=1000000 kernel/keys/root_maxbytes=25000000"
shield_sysctls() {
  local pid=$1 dir=$2 entry key value
  mkdir -p "$dir/sysctl"
  for entry in $kubelet_sysctls; do
    key=${entry%=*} value=${entry#*=}
    [ "$(cat "/proc/sys/$key")" = "$value" ] && continue
    printf '%s\n' "$value" >"$dir/sysctl/${key//\//.}"
    nsenter -t "$pid" -m -- mount --bind "$dir/sysctl/${key//\//.}" "/proc/sys/$key"
  done
}

# make_cgroup_root NAME: the node's own cgroup in every v1 hierarchy (the kubelet wants
# its cgroupRoot to exist); a cpuset cgroup needs its cpus and mems set before use.
make_cgroup_root() {
  local name=$1 h
  for h in /sys/fs/cgroup/*/; do
    [ -e "$h/cgroup.procs" ] || continue
    mkdir -p "$h$name"
    if [ -e "$h/cpuset.cpus" ]; then
      cat "$h/cpuset.cpus" >"$h$name/cpuset.cpus"
      cat "$h/cpuset.mems" >"$h$name/cpuset.mems"
    fi
  done
}

# node_network PID I: forwarding on, the pod network open between nodes (a dockerd in
# the host sets FORWARD's policy to DROP), routes to the other nodes' pod ranges, and a
# route for the service range: the hosts have no default route, and a locally started
# connection needs a route before kube-proxy's rules rewrite its destination.
node_network() {
  local pid=$1 i=$2 j
  {
    echo "sysctl -qw net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1"
    echo "iptables -I FORWARD -s $CLUSTER_CIDR -j ACCEPT"
    echo "iptables -I FORWARD -d $CLUSTER_CIDR -j ACCEPT"
    echo "ip route replace $SERVICE_CIDR dev eth0 src $(host_addr "$slot" "$i")"
    for ((j = 1; j <= nodes; j++)); do
      [ "$j" = "$i" ] || echo "ip route replace $(pod_cidr "$j") via $(host_addr "$slot" "$j")"
    done
  } | nsenter -t "$pid" -n -- sh -e
}

for ((i = 1; i <= nodes; i++)); do
  name=node$i addr=$(host_addr "$slot" "$i") pid=$(host_pid "$i") dir=$K8S_STATE/node$i
  rm -rf "$dir" && mkdir -p "$dir"
  pki_cert "$pki" "kubelet-client-$name" "/O=system:nodes/CN=system:node:$name" client
  pki_cert "$pki" "kubelet-$name" "/CN=$name" server "IP:$addr" "DNS:$name"
  kubeconfig "$dir/kubelet.kubeconfig" "$server" "$pki/ca.crt" "$pki/kubelet-client-$name.crt" "$pki/kubelet-client-$name.key" "system:node:$name"
  kubeconfig "$dir/kube-proxy.kubeconfig" "$server" "$pki/ca.crt" "$pki/kube-proxy.crt" "$pki/kube-proxy.key" system:kube-proxy
  containerd_config "$dir" "$registry" "$pause_ref"
  cni_config "$dir" "$(pod_cidr "$i")"
  kubelet_config "$dir" "$name" "$addr" "$pki" "/k8s-$CHECKOUT_ID-$name" "$DNS_SERVICE_IP"
  kube_proxy_config "$dir" "$name" "$CLUSTER_CIDR"
  node_network "$pid" "$i"
  shield_sysctls "$pid" "$dir"
  private_dirs "$pid" "$dir"
  make_cgroup_root "k8s-$CHECKOUT_ID-$name"
  start_in_host "$pid" "$name-containerd" "$K8S_STATE/logs/$name-containerd.log" \
    containerd --config "$dir/containerd/config.toml"
done

say "starting the control plane on node1 ($server)..."
pid1=$(host_pid 1)
in_node1() { nsenter -t "$pid1" -n -- "$@"; }
# Debian's etcd 3.4 serves kube-apiserver 1.36: the API server finds no RequestWatchProgress
# there (etcd 3.4.31 and 3.5.13 fixed it) and serves consistent lists from etcd rather than
# from its watch cache, which a test cluster does not notice. etcd speaks plain http on
# node1's loopback: only processes in node1's network namespace (the API server) reach it.
start_in_host "$pid1" etcd "$K8S_STATE/logs/etcd.log" \
  etcd --name node1 --data-dir "$cp_dir/etcd" \
  --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
  --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
  --initial-cluster node1=http://127.0.0.1:2380
wait_for 60 in_node1 curl -fs http://127.0.0.1:2379/health || die "etcd did not answer (log: $K8S_STATE/logs/etcd.log)"

start_in_host "$pid1" kube-apiserver "$K8S_STATE/logs/kube-apiserver.log" \
  "$bins/kube-apiserver" --advertise-address "$api_addr" --secure-port 6443 \
  --etcd-servers http://127.0.0.1:2379 \
  --service-cluster-ip-range "$SERVICE_CIDR" \
  --client-ca-file "$pki/ca.crt" \
  --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
  --kubelet-client-certificate "$pki/apiserver-kubelet-client.crt" \
  --kubelet-client-key "$pki/apiserver-kubelet-client.key" \
  --kubelet-certificate-authority "$pki/ca.crt" \
  --kubelet-preferred-address-types InternalIP,Hostname \
  --service-account-issuer https://kubernetes.default.svc.cluster.local \
  --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
  --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction \
  --allow-privileged=true
wait_for 120 kubectl get --raw /readyz ||
  die "kube-apiserver did not become ready (log: $K8S_STATE/logs/kube-apiserver.log)"

# One instance of each: leader election would only add a lease round-trip.
start_in_host "$pid1" kube-controller-manager "$K8S_STATE/logs/kube-controller-manager.log" \
  "$bins/kube-controller-manager" --kubeconfig "$cp_dir/controller-manager.kubeconfig" \
  --authentication-kubeconfig "$cp_dir/controller-manager.kubeconfig" \
  --authorization-kubeconfig "$cp_dir/controller-manager.kubeconfig" \
  --bind-address 127.0.0.1 --leader-elect=false \
  --root-ca-file "$pki/ca.crt" --service-account-private-key-file "$pki/sa.key" \
  --use-service-account-credentials=true \
  --cluster-signing-cert-file "$pki/ca.crt" --cluster-signing-key-file "$pki/ca.key"
start_in_host "$pid1" kube-scheduler "$K8S_STATE/logs/kube-scheduler.log" \
  "$bins/kube-scheduler" --kubeconfig "$cp_dir/scheduler.kubeconfig" \
  --authentication-kubeconfig "$cp_dir/scheduler.kubeconfig" \
  --authorization-kubeconfig "$cp_dir/scheduler.kubeconfig" \
  --bind-address 127.0.0.1 --leader-elect=false

say "starting kubelet and kube-proxy on $nodes nodes..."
for ((i = 1; i <= nodes; i++)); do
  name=node$i addr=$(host_addr "$slot" "$i") pid=$(host_pid "$i") dir=$K8S_STATE/node$i
  wait_for 30 nsenter -t "$pid" -m -- test -S "$K8S_CONTAINERD_SOCKET" ||
    die "containerd on $name did not start (log: $K8S_STATE/logs/$name-containerd.log)"
  start_in_host "$pid" "$name-kubelet" "$K8S_STATE/logs/$name-kubelet.log" \
    "$bins/kubelet" --config "$dir/kubelet.yaml" --kubeconfig "$dir/kubelet.kubeconfig" \
    --root-dir "$dir/kubelet" --hostname-override "$name" --node-ip "$addr"
  start_in_host "$pid" "$name-kube-proxy" "$K8S_STATE/logs/$name-kube-proxy.log" \
    "$bins/kube-proxy" --config "$dir/kube-proxy.yaml"
done

node_count() { [ "$(kubectl get nodes -o name | wc -l)" = "$nodes" ]; }
wait_for 120 node_count || die "not all $nodes nodes registered (logs: $K8S_STATE/logs/node*-kubelet.log)"
kubectl wait --for=condition=Ready node --all --timeout=180s >/dev/null ||
  die "the nodes did not become Ready: $(kubectl get nodes --no-headers 2>&1 | tr '\n' ';')" "read $K8S_STATE/logs/node*-kubelet.log"
# Pods need the namespace's default service account, which the controller-manager makes.
wait_for 60 kubectl -n default get serviceaccount default ||
  die "no default service account (log: $K8S_STATE/logs/kube-controller-manager.log)"

say "starting CoreDNS..."
bash "$here/k8s-coredns.sh" "$K8S_STATE/kubeconfig" "unix:///proc/$pid1/root/run/docker.sock" "$registry" "$DNS_SERVICE_IP" >/dev/null
say "starting the storage provisioner (StorageClass local-path)..."
start_storage "$pid1" "$registry"

trap - EXIT
say "cluster up in $(($(date +%s) - started)) s: $nodes nodes, API $server, registry $registry"
note "kubectl: KUBECONFIG=$K8S_STATE/kubeconfig $bins/kubectl get nodes"
printf '%s\n' "$K8S_STATE/kubeconfig"
