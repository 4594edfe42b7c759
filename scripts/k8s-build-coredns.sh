#!/usr/bin/env bash
# k8s-build-coredns.sh: builds CoreDNS, the test cluster's DNS server, from the
# github.com/coredns/coredns module through our module in scripts/toolchain/coredns, and
# prints the directory that holds the binary. Cached like scripts/k8s-build.sh.
set -euo pipefail
. "$(dirname "$0")/lib/log.sh"
. "$(dirname "$0")/lib/paths.sh"
. "$(dirname "$0")/lib/go-build.sh"
# Go's own installer puts it here without touching PATH.
[ -x /usr/local/go/bin/go ] && ! command -v go >/dev/null && PATH="/usr/local/go/bin:$PATH"

src="$REPO_ROOT/scripts/toolchain/coredns"
version=$(sed -n 's/^require github.com\/coredns\/coredns \(v[0-9.]*\)$/\1/p' "$src/go.mod")
[ -n "$version" ] || die "no github.com/coredns/coredns version in $src/go.mod"
out="$TOOLCHAIN_CACHE/coredns-$version-$(source_hash "$src")"
if [ -x "$out/coredns" ]; then
  printf '%s\n' "$out"
  exit 0
fi

require_go
say "building CoreDNS $version (first run only, about 4 min on 2 cores; log: $LOG_DIR/build-coredns.log)..."
started=$(date +%s)
work="$TOOLCHAIN_CACHE/src/coredns"
fresh_copy "$src" "$work"
rm -rf "$out.partial"
mkdir -p "$out.partial"
(
  cd "$work"
  # As CoreDNS's Makefile builds it: static, no symbols.
  run_logged "$LOG_DIR/build-coredns.log" "read the log, fix the cause, re-run scripts/k8s-build-coredns.sh" \
    env CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$out.partial/coredns" github.com/coredns/coredns
)
rm -rf "$out"
mv "$out.partial" "$out"
note "built in $(($(date +%s) - started)) s"
printf '%s\n' "$out"
