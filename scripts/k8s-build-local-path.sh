#!/usr/bin/env bash
# k8s-build-local-path.sh: builds Rancher's local-path-provisioner, the test cluster's
# storage provisioner (the one kind and k3s ship), from the
# github.com/rancher/local-path-provisioner module through our module in
# scripts/toolchain/local-path-provisioner, and prints the directory that holds the
# binary. Cached like scripts/k8s-build-coredns.sh.
set -euo pipefail
. "$(dirname "$0")/lib/log.sh"
. "$(dirname "$0")/lib/paths.sh"
. "$(dirname "$0")/lib/go-build.sh"
# Go's own installer puts it here without touching PATH.
[ -x /usr/local/go/bin/go ] && ! command -v go >/dev/null && PATH="/usr/local/go/bin:$PATH"

src="$REPO_ROOT/scripts/toolchain/local-path-provisioner"
version=$(sed -n 's/^require github.com\/rancher\/local-path-provisioner \(v[0-9.]*\)$/\1/p' "$src/go.mod")
[ -n "$version" ] || die "no github.com/rancher/local-path-provisioner version in $src/go.mod"
out="$TOOLCHAIN_CACHE/local-path-provisioner-$version-$(source_hash "$src")"
if [ -x "$out/local-path-provisioner" ]; then
  printf '%s\n' "$out"
  exit 0
fi

require_go
say "building local-path-provisioner $version (first run only, about 2 min on 2 cores; log: $LOG_DIR/build-local-path.log)..."
started=$(date +%s)
work="$TOOLCHAIN_CACHE/src/local-path-provisioner"
fresh_copy "$src" "$work"
rm -rf "$out.partial"
mkdir -p "$out.partial"
(
  cd "$work"
  # As the project's scripts/build does: static, no symbols, the version stamped in.
  run_logged "$LOG_DIR/build-local-path.log" "read the log, fix the cause, re-run scripts/k8s-build-local-path.sh" \
    env CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.VERSION=$version" \
    -o "$out.partial/local-path-provisioner" github.com/rancher/local-path-provisioner
)
rm -rf "$out"
mv "$out.partial" "$out"
note "built in $(($(date +%s) - started)) s"
printf '%s\n' "$out"
