#!/usr/bin/env bash
# k8s-storage.sh KUBECONFIG DOCKER_HOST REGISTRY DATA_DIR: gives the test cluster a
# storage provisioner, as kind and k3s do: Rancher's local-path-provisioner (built by
# scripts/k8s-build-local-path.sh) in the namespace local-path-storage, and the
# StorageClass local-path (the default class), so a PersistentVolumeClaim without a
# storageClassName gets a volume. Waits until the provisioner is available. Idempotent.
#
# The manifests are upstream's deploy/local-path-storage.yaml of the pinned version with
# our images (pushed to REGISTRY through the daemon at DOCKER_HOST, which trusts it) and
# with DATA_DIR as the nodes' volume directory; k8s-up.sh bind-mounts a directory of each
# node's state there, in the node's mount namespace. The StorageClass is marked default,
# as kind marks it. A claim is provisioned once a pod uses it (WaitForFirstConsumer): a
# helper pod (busybox) makes DATA_DIR/<volume>_<namespace>_<claim> on the pod's node and
# the volume is a hostPath there; deleting the claim deletes the volume and its directory.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/log.sh"
. "$here/lib/paths.sh"
. "$here/lib/k8s-image.sh"

usage="usage: k8s-storage.sh KUBECONFIG DOCKER_HOST REGISTRY DATA_DIR"
kubeconfig=${1:?$usage} docker_host=${2:?$usage} registry=${3:?$usage} data_dir=${4:?$usage}
bins=$(bash "$here/k8s-build.sh")
provisioner_dir=$(bash "$here/k8s-build-local-path.sh")
version=$(sed -n 's/^require github.com\/rancher\/local-path-provisioner \(v[0-9.]*\)$/\1/p' \
  "$REPO_ROOT/scripts/toolchain/local-path-provisioner/go.mod")
provisioner_ref="$registry/local-path-provisioner:$version"
registry_has "$registry" local-path-provisioner "$version" ||
  push_scratch_image "$docker_host" "$provisioner_ref" "$provisioner_dir/local-path-provisioner" 0:0
busybox_ref="$registry/busybox:$(busybox_tag)"
registry_has "$registry" busybox "$(busybox_tag)" || push_busybox_image "$docker_host" "$busybox_ref"

kubectl() { "$bins/kubectl" --kubeconfig "$kubeconfig" "$@"; }
kubectl apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Namespace
metadata:
  name: local-path-storage

---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: local-path-provisioner-service-account
  namespace: local-path-storage

---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: local-path-provisioner-role
  namespace: local-path-storage
rules:
  - apiGroups: [""]
    resources: ["pods"]
    verbs: ["get", "list", "watch", "create", "patch", "update", "delete"]

---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: local-path-provisioner-role
rules:
  - apiGroups: [""]
    resources: ["nodes", "persistentvolumeclaims", "configmaps", "pods", "pods/log"]
    verbs: ["get", "list", "watch"]
  - apiGroups: [""]
    resources: ["persistentvolumes"]
    verbs: ["get", "list", "watch", "create", "patch", "update", "delete"]
  - apiGroups: [""]
    resources: ["events"]
    verbs: ["create", "patch"]
  - apiGroups: ["storage.k8s.io"]
    resources: ["storageclasses"]
    verbs: ["get", "list", "watch"]

---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: local-path-provisioner-bind
  namespace: local-path-storage
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: local-path-provisioner-role
subjects:
  - kind: ServiceAccount
    name: local-path-provisioner-service-account
    namespace: local-path-storage

---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: local-path-provisioner-bind
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: local-path-provisioner-role
subjects:
  - kind: ServiceAccount
    name: local-path-provisioner-service-account
    namespace: local-path-storage

---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: local-path-provisioner
  namespace: local-path-storage
spec:
  replicas: 1
  selector:
    matchLabels:
      app: local-path-provisioner
  template:
    metadata:
      labels:
        app: local-path-provisioner
    spec:
      serviceAccountName: local-path-provisioner-service-account
      containers:
        - name: local-path-provisioner
          image: $provisioner_ref
          imagePullPolicy: IfNotPresent
          # Our image holds the binary at /, upstream's at /usr/bin.
          command:
            - /local-path-provisioner
            - --debug
            - start
            - --config
            - /etc/config/config.json
          volumeMounts:
            - name: config-volume
              mountPath: /etc/config/
          env:
            - name: POD_NAMESPACE
              valueFrom:
                fieldRef:
                  fieldPath: metadata.namespace
            - name: CONFIG_MOUNT_PATH
              value: /etc/config/
      volumes:
        - name: config-volume
          configMap:
            name: local-path-config

---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: local-path
  annotations:
    storageclass.kubernetes.io/is-default-class: "true"
provisioner: rancher.io/local-path
volumeBindingMode: WaitForFirstConsumer
reclaimPolicy: Delete

---
kind: ConfigMap
apiVersion: v1
metadata:
  name: local-path-config
  namespace: local-path-storage
data:
  config.json: |-
    {
            "nodePathMap":[
            {
                    "node":"DEFAULT_PATH_FOR_NON_LISTED_NODES",
                    "paths":["$data_dir"]
            }
            ]
    }
  setup: |-
    #!/bin/sh
    set -eu
    mkdir -m 0777 -p "\$VOL_DIR"
  teardown: |-
    #!/bin/sh
    set -eu
    rm -rf "\$VOL_DIR"
  helperPod.yaml: |-
    apiVersion: v1
    kind: Pod
    metadata:
      name: helper-pod
    spec:
      priorityClassName: system-node-critical
      tolerations:
        - key: node.kubernetes.io/disk-pressure
          operator: Exists
          effect: NoSchedule
      containers:
      - name: helper-pod
        image: $busybox_ref
        imagePullPolicy: IfNotPresent
YAML
if ! kubectl -n local-path-storage rollout status deployment/local-path-provisioner --timeout=180s >/dev/null; then
  kubectl -n local-path-storage get pods -o wide >&2 || true
  kubectl -n local-path-storage get events --sort-by=.lastTimestamp 2>&1 | tail -n 12 >&2 || true
  die "local-path-provisioner did not become available within 180 s (its pod and the latest events are above)"
fi
printf '%s\n' "$provisioner_ref"
