#!/usr/bin/env bash
# k8s-coredns.sh KUBECONFIG DOCKER_HOST REGISTRY DNS_IP: runs CoreDNS as the test
# cluster's DNS (the kube-dns Service at DNS_IP), as kubeadm deploys it, from an image
# built here (scripts/k8s-build-coredns.sh) and pushed to REGISTRY through the daemon at
# DOCKER_HOST. Waits until it is ready. Idempotent.
#
# No `forward`: nothing upstream is reachable from the pod network, so CoreDNS answers
# for cluster.local (Services, pods, reverse lookups) and nothing else.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/log.sh"
. "$here/lib/paths.sh"
. "$here/lib/k8s-image.sh"

kubeconfig=${1:?usage: k8s-coredns.sh KUBECONFIG DOCKER_HOST REGISTRY DNS_IP}
docker_host=${2:?} registry=${3:?} dns_ip=${4:?}
bins=$(bash "$here/k8s-build.sh")
coredns_dir=$(bash "$here/k8s-build-coredns.sh")
version=$(sed -n 's/^require github.com\/coredns\/coredns \(v[0-9.]*\)$/\1/p' "$REPO_ROOT/scripts/toolchain/coredns/go.mod")
ref="$registry/coredns:$version"
registry_has "$registry" coredns "$version" || push_scratch_image "$docker_host" "$ref" "$coredns_dir/coredns" 0:0

kubectl() { "$bins/kubectl" --kubeconfig "$kubeconfig" "$@"; }
kubectl apply -f - >/dev/null <<YAML
apiVersion: v1
kind: ServiceAccount
metadata: {name: coredns, namespace: kube-system}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: "system:coredns"}
rules:
- apiGroups: [""]
  resources: [endpoints, services, pods, namespaces]
  verbs: [list, watch]
- apiGroups: [discovery.k8s.io]
  resources: [endpointslices]
  verbs: [list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: "system:coredns"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:coredns"}
subjects:
- {kind: ServiceAccount, name: coredns, namespace: kube-system}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: coredns, namespace: kube-system}
data:
  Corefile: |
    .:53 {
        errors
        health {
            lameduck 5s
        }
        ready
        kubernetes cluster.local in-addr.arpa ip6.arpa {
            pods insecure
            fallthrough in-addr.arpa ip6.arpa
            ttl 30
        }
        prometheus :9153
        cache 30
        reload
        loadbalance
    }
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: coredns
  namespace: kube-system
  labels: {k8s-app: kube-dns}
spec:
  replicas: 1
  selector:
    matchLabels: {k8s-app: kube-dns}
  template:
    metadata:
      labels: {k8s-app: kube-dns}
    spec:
      serviceAccountName: coredns
      priorityClassName: system-cluster-critical
      dnsPolicy: Default
      containers:
      - name: coredns
        image: $ref
        args: [-conf, /etc/coredns/Corefile]
        ports:
        - {name: dns, containerPort: 53, protocol: UDP}
        - {name: dns-tcp, containerPort: 53, protocol: TCP}
        - {name: metrics, containerPort: 9153, protocol: TCP}
        securityContext:
          allowPrivilegeEscalation: false
          capabilities: {add: [NET_BIND_SERVICE], drop: [ALL]}
          readOnlyRootFilesystem: true
        livenessProbe:
          httpGet: {path: /health, port: 8080}
          initialDelaySeconds: 60
        readinessProbe:
          httpGet: {path: /ready, port: 8181}
          periodSeconds: 2
        volumeMounts:
        - {name: config, mountPath: /etc/coredns, readOnly: true}
      volumes:
      - name: config
        configMap:
          name: coredns
          items: [{key: Corefile, path: Corefile}]
---
apiVersion: v1
kind: Service
metadata:
  name: kube-dns
  namespace: kube-system
  labels: {k8s-app: kube-dns, kubernetes.io/name: CoreDNS}
spec:
  selector: {k8s-app: kube-dns}
  clusterIP: $dns_ip
  ports:
  - {name: dns, port: 53, protocol: UDP}
  - {name: dns-tcp, port: 53, protocol: TCP}
  - {name: metrics, port: 9153, protocol: TCP}
YAML
if ! kubectl -n kube-system rollout status deployment/coredns --timeout=180s >/dev/null; then
  kubectl -n kube-system get pods -l k8s-app=kube-dns -o wide >&2 || true
  kubectl -n kube-system get events --sort-by=.lastTimestamp 2>&1 | tail -n 12 >&2 || true
  die "CoreDNS did not become ready within 180 s (its pod and the latest events are above)"
fi
printf '%s\n' "$ref"
