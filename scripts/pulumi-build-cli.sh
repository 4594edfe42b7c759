#!/usr/bin/env bash
# pulumi-build-cli.sh VERSION: builds the Pulumi CLI at VERSION (e.g. 3.259.0) from the
# Go modules pkg/v3 and sdk/v3 into the shared toolchain cache, with the Node.js helper
# scripts that @pulumi/pulumi's sdk ships (dynamic providers need them on the PATH).
# Prints the directory holding `pulumi`. Does nothing when it is already built.
set -euo pipefail
. "$(dirname "$0")/lib/log.sh"
. "$(dirname "$0")/lib/paths.sh"
. "$(dirname "$0")/lib/go-build.sh"

version=${1:?usage: pulumi-build-cli.sh VERSION}
out="$TOOLCHAIN_CACHE/pulumi-cli-v$version"
if [ -x "$out/pulumi" ]; then
  printf '%s\n' "$out"
  exit 0
fi

require_go
say "building pulumi CLI v$version (first run only, ~8 min on 2 cores; log: $LOG_DIR/build-pulumi-cli.log)..."
pkg_dir=$(module_dir "github.com/pulumi/pulumi/pkg/v3@v$version")
sdk_dir=$(module_dir "github.com/pulumi/pulumi/sdk/v3@v$version")

# pkg/go.mod says `replace github.com/pulumi/pulumi/sdk/v3 => ../sdk`: rebuild the
# repository layout the release was cut from.
work="$TOOLCHAIN_CACHE/src/pulumi-v$version"
fresh_copy "$pkg_dir" "$work/pkg"
fresh_copy "$sdk_dir" "$work/sdk"

staging="$out.partial"
rm -rf "$staging"
mkdir -p "$staging"
(
  cd "$work/pkg"
  run_logged "$LOG_DIR/build-pulumi-cli.log" \
    "read the log; a partial download is retried by running npm run setup again" \
    go build -o "$staging/pulumi" \
    -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version" ./cmd/pulumi
)
for helper in "$work/sdk/nodejs/dist"/*; do
  case "$helper" in *.cmd) continue ;; esac
  install -m 0755 "$helper" "$staging/"
done
rm -rf "$out"
mv "$staging" "$out"
rm -rf "$work"
printf '%s\n' "$out"
