#!/usr/bin/env bash
# pulumi-build-docker-provider.sh VERSION: builds pulumi-resource-docker for the
# @pulumi/docker SDK at VERSION: Pulumi's Terraform bridge over the upstream
# kreuzwerker/terraform-provider-docker, wired by our module in
# scripts/toolchain/docker-provider. Prints the binary's directory. Idempotent.
set -euo pipefail
. "$(dirname "$0")/lib/log.sh"
. "$(dirname "$0")/lib/paths.sh"
. "$(dirname "$0")/lib/go-build.sh"

version=${1:?usage: pulumi-build-docker-provider.sh VERSION}
src="$REPO_ROOT/scripts/toolchain/docker-provider"
out="$TOOLCHAIN_CACHE/docker-provider-v$version-$(source_hash "$src")"
if [ -x "$out/pulumi-resource-docker" ]; then
  printf '%s\n' "$out"
  exit 0
fi

require_go
say "building pulumi-resource-docker v$version (first run only, ~4 min after the CLI; log: $LOG_DIR/build-docker-provider.log)..."
work="$TOOLCHAIN_CACHE/src/docker-provider"
fresh_copy "$src" "$work"
mkdir -p "$out.partial"
(
  cd "$work"
  run_logged "$LOG_DIR/build-docker-provider.log" "read the log, fix the cause, re-run npm run setup" \
    go build -o "$out.partial/pulumi-resource-docker" -ldflags "-X main.version=$version" \
    ./cmd/pulumi-resource-docker
)
rm -rf "$out"
mv "$out.partial" "$out"
printf '%s\n' "$out"
