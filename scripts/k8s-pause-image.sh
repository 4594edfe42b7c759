#!/usr/bin/env bash
# k8s-pause-image.sh DOCKER_HOST REGISTRY: builds the kubelet's sandbox ("pause") image
# as Kubernetes' own build/pause does (pause.c from the k8s.io/kubernetes module, static,
# -Os, in a FROM scratch image run as 65535) and pushes it to REGISTRY through the daemon
# at DOCKER_HOST, which must trust that registry. No image can be pulled here, so the
# registry.k8s.io one is out of reach. Prints the pushed reference. Idempotent.
set -euo pipefail
. "$(dirname "$0")/lib/log.sh"
. "$(dirname "$0")/lib/paths.sh"
. "$(dirname "$0")/lib/go-build.sh"
. "$(dirname "$0")/lib/k8s-image.sh"
# Go's own installer puts it here without touching PATH (go finds the module's source).
[ -x /usr/local/go/bin/go ] && ! command -v go >/dev/null && PATH="/usr/local/go/bin:$PATH"

docker_host=${1:?usage: k8s-pause-image.sh DOCKER_HOST REGISTRY}
registry=${2:?usage: k8s-pause-image.sh DOCKER_HOST REGISTRY}
version=$(sed -n 's/^require k8s.io\/kubernetes \(v[0-9.]*\)$/\1/p' "$REPO_ROOT/scripts/toolchain/kubernetes/go.mod")
module=$(module_dir "k8s.io/kubernetes@$version")
tag=$(sed -n 's/^TAG ?= //p' "$module/build/pause/Makefile")
[ -n "$tag" ] || die "no pause TAG in $module/build/pause/Makefile"
ref="$registry/pause:$tag"

bin_dir="$TOOLCHAIN_CACHE/pause-$tag-kubernetes-$version"
if [ ! -x "$bin_dir/pause" ]; then
  # The flags of build/pause/Makefile; REV there is a git describe, here the module version.
  rm -rf "$bin_dir.partial" && mkdir -p "$bin_dir.partial"
  run_logged "$LOG_DIR/k8s-pause.log" "is Debian's gcc with libc6-dev installed?" \
    gcc -Os -Wall -Werror -static "-DVERSION=v$tag-$version" -o "$bin_dir.partial/pause" "$module/build/pause/linux/pause.c"
  rm -rf "$bin_dir" && mv "$bin_dir.partial" "$bin_dir"
fi

if ! registry_has "$registry" pause "$tag"; then
  push_scratch_image "$docker_host" "$ref" "$bin_dir/pause" 65535:65535
fi
printf '%s\n' "$ref"
