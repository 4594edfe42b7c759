# Configuration files of one test-cluster node (containerd, CNI, kubelet, kube-proxy).
# Sourced, not run. Every path a node writes lives under its own directory, so two nodes
# on this machine (and the project's dockerds) never share a root, state dir or socket.

# The node's containerd is its own, not the one under the host's dockerd: its socket and
# state sit in the node's private /run (the test host mounts a tmpfs there).
K8S_CONTAINERD_RUN=/run/k8s-containerd
K8S_CONTAINERD_SOCKET=$K8S_CONTAINERD_RUN/containerd.sock

# containerd_config NODEDIR REGISTRY PAUSE_REF: the CRI plugin pulls the sandbox image
# and every pod image from REGISTRY over plain http (hosts.toml), runs runc with
# cgroupfs (runc's default, which the kubelet is set to match) and uses Debian's CNI
# plugins with this node's network config.
containerd_config() {
  local dir=$1 registry=$2 pause=$3
  mkdir -p "$dir/containerd/certs.d/$registry" "$dir/cni/net.d"
  cat >"$dir/containerd/certs.d/$registry/hosts.toml" <<TOML
server = "http://$registry"

[host."http://$registry"]
  capabilities = ["pull", "resolve"]
TOML
  cat >"$dir/containerd/config.toml" <<TOML
version = 2
root = "$dir/containerd/root"
state = "$K8S_CONTAINERD_RUN/state"
# /opt/containerd would be shared by every node on this machine.
disabled_plugins = ["io.containerd.internal.v1.opt"]

[grpc]
  address = "$K8S_CONTAINERD_SOCKET"

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$pause"
  # This machine withholds CAP_SYS_RESOURCE even from root, so no process may lower its
  # OOM score; runc then fails to start a sandbox at the CRI's -998. Restricted, scores
  # below containerd's own are raised to it instead.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$dir/cni/net.d"
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = "$dir/containerd/certs.d"
TOML
}

# cni_config NODEDIR POD_CIDR: pods on a Linux bridge with addresses from this node's
# POD_CIDR. No masquerading: the nodes route each other's pod ranges, so pod addresses
# stay visible across nodes (kube-proxy masquerades what leaves the cluster range).
cni_config() {
  local dir=$1 cidr=$2
  cat >"$dir/cni/net.d/10-pods.conflist" <<JSON
{
  "cniVersion": "0.4.0",
  "name": "pods",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "cni0",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{ "subnet": "$cidr" }]],
        "routes": [{ "dst": "0.0.0.0/0" }],
        "dataDir": "$dir/cni/ipam"
      }
    },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
JSON
}

# kubelet_config NODEDIR NODE ADDRESS PKI CGROUP_ROOT DNS_IP
kubelet_config() {
  local dir=$1 node=$2 addr=$3 pki=$4 cgroup_root=$5 dns_ip=$6
  mkdir -p "$dir/kubelet" "$dir/pod-logs"
  cat >"$dir/kubelet.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $addr
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
tlsCertFile: $pki/kubelet-$node.crt
tlsPrivateKeyFile: $pki/kubelet-$node.key
authentication:
  anonymous:
    enabled: false
  webhook:
    enabled: true
  x509:
    clientCAFile: $pki/ca.crt
authorization:
  mode: Webhook
containerRuntimeEndpoint: unix://$K8S_CONTAINERD_SOCKET
# containerd 1.6 cannot tell the kubelet its cgroup driver (2.0 can), so the kubelet
# uses this one; it must match runc's (cgroupfs, SystemdCgroup = false above).
cgroupDriver: cgroupfs
# Every node's pods live under its own cgroup, as if it were a machine of its own.
cgroupRoot: $cgroup_root
# This machine has cgroup v1, which kubelet 1.35+ refuses unless told otherwise.
failCgroupV1: false
failSwapOn: false
podLogsDir: $dir/pod-logs
clusterDomain: cluster.local
# CoreDNS (scripts/k8s-coredns.sh) behind the kube-dns Service.
clusterDNS: [$dns_ip]
resolvConf: /etc/resolv.conf
# The test hosts share this machine's disk; the default thresholds are for a whole node.
evictionHard:
  memory.available: 100Mi
  nodefs.available: 2%
  imagefs.available: 2%
imageGCHighThresholdPercent: 98
imageGCLowThresholdPercent: 95
rotateCertificates: false
serializeImagePulls: false
YAML
}

# kube_proxy_config NODEDIR NODE CLUSTER_CIDR
kube_proxy_config() {
  local dir=$1 node=$2 cluster_cidr=$3
  cat >"$dir/kube-proxy.yaml" <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection:
  kubeconfig: $dir/kube-proxy.kubeconfig
hostnameOverride: $node
# The kernel has no IPVS; iptables mode is what works here.
mode: iptables
clusterCIDR: $cluster_cidr
# NodePorts on the node's own address only, not on every address of the namespace.
nodePortAddresses: [primary]
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
# nf_conntrack_max and the hash size are machine-wide, not per network namespace:
# leave them alone instead of resizing them for the whole machine.
conntrack:
  maxPerCore: 0
  tcpEstablishedTimeout: 0s
  tcpCloseWaitTimeout: 0s
YAML
}
