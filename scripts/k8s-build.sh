#!/usr/bin/env bash
# k8s-build.sh: builds the test cluster's Kubernetes binaries (kube-apiserver,
# kube-controller-manager, kube-scheduler, kubelet, kube-proxy, kubectl) from the
# k8s.io/kubernetes Go module, through our module in scripts/toolchain/kubernetes, and
# prints the directory that holds them. Cached per version and module hash like the
# Pulumi toolchain; a second run builds nothing.
set -euo pipefail
. "$(dirname "$0")/lib/log.sh"
. "$(dirname "$0")/lib/paths.sh"
. "$(dirname "$0")/lib/go-build.sh"
# Go's own installer puts it here without touching PATH.
[ -x /usr/local/go/bin/go ] && ! command -v go >/dev/null && PATH="/usr/local/go/bin:$PATH"

src="$REPO_ROOT/scripts/toolchain/kubernetes"
version=$(sed -n 's/^require k8s.io\/kubernetes \(v[0-9.]*\)$/\1/p' "$src/go.mod")
[ -n "$version" ] || die "no k8s.io/kubernetes version in $src/go.mod"
commands=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl)
# The flags are part of the key: a change to them must not reuse old binaries.
flags_hash=$(sed -n '/^# build flags:/,/^# end of build flags/p' "$0" | sha256sum | cut -c1-6)
out="$TOOLCHAIN_CACHE/kubernetes-$version-$(source_hash "$src")$flags_hash"

complete() {
  local c
  for c in "${commands[@]}"; do [ -x "$out/$c" ] || return 1; done
}
if complete; then
  printf '%s\n' "$out"
  exit 0
fi

require_go
# build flags: as Kubernetes' own release build (hack/lib/golang.sh, hack/lib/version.sh):
# static binaries, trimmed paths, no symbols, the same build tags, and the version
# stamped into client-go and component-base so `kubectl version` and /version report it.
# The build date is the release's publication time (the module's .info), so two builds
# of one version are identical.
download=$(go mod download -json "k8s.io/kubernetes@$version" 2>&1) ||
  die "could not download k8s.io/kubernetes@$version: $(printf '%s' "$download" | tail -n 1)" \
    "check that the Go module proxy ($(go env GOPROXY)) serves it"
info=$(printf '%s' "$download" | sed -n 's/^[[:space:]]*"Info": "\(.*\)",$/\1/p')
build_date=$(sed -n 's/.*"Time":"\([^"]*\)".*/\1/p' "$info")
[ -n "$build_date" ] || die "no publication time in $info"
major=${version#v}; major=${major%%.*}
minor=${version#v"$major".}; minor=${minor%%.*}
ldflags="-s -w"
for pkg in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
  ldflags+=" -X $pkg.gitVersion=$version -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
  ldflags+=" -X $pkg.buildDate=$build_date"
done
tags=selinux,notest,grpcnotrace
# end of build flags

pkgs=()
for c in "${commands[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$c"); done
say "building Kubernetes $version (${commands[*]}; first run only, about 15 min on 2 cores; log: $LOG_DIR/build-kubernetes.log)..."
started=$(date +%s)
work="$TOOLCHAIN_CACHE/src/kubernetes"
fresh_copy "$src" "$work"
rm -rf "$out.partial"
mkdir -p "$out.partial"
(
  cd "$work"
  # One invocation for all six: the packages they share compile once.
  run_logged "$LOG_DIR/build-kubernetes.log" "read the log, fix the cause, re-run scripts/k8s-build.sh" \
    env CGO_ENABLED=0 go build -trimpath -tags "$tags" -ldflags "$ldflags" -o "$out.partial/" "${pkgs[@]}"
)
rm -rf "$out"
mv "$out.partial" "$out"
note "built in $(($(date +%s) - started)) s"
printf '%s\n' "$out"
