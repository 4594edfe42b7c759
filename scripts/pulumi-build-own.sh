#!/usr/bin/env bash
# pulumi-build-own.sh MODULE BINARY VERSION: builds one of our own Go modules in
# scripts/toolchain/MODULE (on Pulumi's sdk/v3) into the shared toolchain cache as
# BINARY, reporting VERSION as its plugin version (the language host, like Pulumi's own
# builds, through the SDK's version.Version; the command provider through main.version).
# Prints its directory. Idempotent: the cache key includes a hash of the sources, so an
# edit rebuilds and nothing else does.
#   language-host     pulumi-language-nodejs   (the Node.js language host)
#   command-provider  pulumi-resource-command  (command:local:Command of @pulumi/command, on
#                                              the same provider framework as the published one)
set -euo pipefail
. "$(dirname "$0")/lib/log.sh"
. "$(dirname "$0")/lib/paths.sh"
. "$(dirname "$0")/lib/go-build.sh"

usage="usage: pulumi-build-own.sh MODULE BINARY VERSION"
module=${1:?$usage} binary=${2:?$usage} version=${3:?$usage}
src="$REPO_ROOT/scripts/toolchain/$module"
[ -f "$src/go.mod" ] || die "no Go module at $src" "MODULE is a folder of scripts/toolchain"
out="$TOOLCHAIN_CACHE/$module-v$version-$(source_hash "$src")"
if [ -x "$out/$binary" ]; then
  printf '%s\n' "$out"
  exit 0
fi

require_go
say "building $binary (first run only, ~1 min; log: $LOG_DIR/build-$module.log)..."
work="$TOOLCHAIN_CACHE/src/$module"
fresh_copy "$src" "$work"
mkdir -p "$out.partial"
(
  cd "$work"
  run_logged "$LOG_DIR/build-$module.log" "read the log, fix the cause, re-run npm run setup" \
    go build -tags grpcnotrace -o "$out.partial/$binary" \
      -ldflags "-X main.version=$version -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version" .
)
rm -rf "$out"
mv "$out.partial" "$out"
printf '%s\n' "$out"
