#!/usr/bin/env bash
# pulumi-build-language-host.sh VERSION: builds pulumi-language-nodejs (our module in
# scripts/toolchain/language-host, on Pulumi's sdk/v3) into the shared toolchain cache,
# reporting VERSION as its plugin version. Prints its directory. Idempotent.
set -euo pipefail
. "$(dirname "$0")/lib/log.sh"
. "$(dirname "$0")/lib/paths.sh"
. "$(dirname "$0")/lib/go-build.sh"

version=${1:?usage: pulumi-build-language-host.sh VERSION}
src="$REPO_ROOT/scripts/toolchain/language-host"
out="$TOOLCHAIN_CACHE/language-host-v$version-$(source_hash "$src")"
if [ -x "$out/pulumi-language-nodejs" ]; then
  printf '%s\n' "$out"
  exit 0
fi

require_go
say "building pulumi-language-nodejs (first run only, ~1 min; log: $LOG_DIR/build-language-host.log)..."
work="$TOOLCHAIN_CACHE/src/language-host"
fresh_copy "$src" "$work"
mkdir -p "$out.partial"
(
  cd "$work"
  run_logged "$LOG_DIR/build-language-host.log" "read the log, fix the cause, re-run npm run setup" \
    go build -o "$out.partial/pulumi-language-nodejs" -ldflags "-X main.version=$version" .
)
rm -rf "$out"
mv "$out.partial" "$out"
printf '%s\n' "$out"
