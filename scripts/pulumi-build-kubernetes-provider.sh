#!/usr/bin/env bash
# pulumi-build-kubernetes-provider.sh VERSION: builds pulumi-resource-kubernetes for the
# @pulumi/kubernetes SDK at VERSION from pulumi-kubernetes' own provider module, the way
# its release workflow builds the published plugin. Prints the binary's directory.
# Idempotent: the cache key includes a hash of this script, so an edit rebuilds.
#
# The release (.goreleaser.yml at the tag, run by .github/workflows/release.yml) builds
# in provider/ as the main module, after `make k8sprovider` has run `go generate` with
# VERSION=<version> (writing schema-embed.json and terraform-mapping-embed.json, which
# the module zip leaves out), with CGO_ENABLED=0, GO111MODULE=on,
# -ldflags "-s -w -X .../pkg/version.Version={{.Tag}}" (the tag: v<version>), and the
# Go named by go.mod's toolchain line (the release installs it with mise, which reads
# that line). Each of those is repeated here; the differences left are that the binary
# carries no VCS stamp (a module zip has no .git) and the sdk replacement below.
set -euo pipefail
. "$(dirname "$0")/lib/log.sh"
. "$(dirname "$0")/lib/paths.sh"
. "$(dirname "$0")/lib/go-build.sh"

version=${1:?usage: pulumi-build-kubernetes-provider.sh VERSION}
provider_module=github.com/pulumi/pulumi-kubernetes/provider/v4
sdk_module=github.com/pulumi/pulumi-kubernetes/sdk/v4

# The provider module has no release tags of its own (its tags are v4.x.y at the
# repository root, which Go does not take for provider/v4), so the proxy serves it
# only by the pseudo-version of the release commit.
case "$version" in
  4.25.0) provider_revision=v4.0.0-20260115033456-f47bc2d6f199 ;; # tag v4.25.0
  *) die "no known commit of $provider_module for pulumi-kubernetes $version" \
    "add the pseudo-version of tag v$version to scripts/pulumi-build-kubernetes-provider.sh, or use @pulumi/kubernetes 4.25.0" ;;
esac

out="$TOOLCHAIN_CACHE/kubernetes-provider-v$version-$(sha256sum "$0" | cut -c1-12)"
if [ -x "$out/pulumi-resource-kubernetes" ]; then
  printf '%s\n' "$out"
  exit 0
fi

require_go
say "building pulumi-resource-kubernetes v$version (first run only, ~11 min on 2 cores; log: $LOG_DIR/build-kubernetes-provider.log)..."
work="$TOOLCHAIN_CACHE/src/kubernetes-provider"
fresh_copy "$(module_dir "$provider_module@$provider_revision")" "$work"

# The Go the release builds with; `go` fetches it from the module proxy
# (golang.org/toolchain) once. The toolchain decides the standard library compiled in
# (net/http, crypto/tls, ...), so the build's own Go would not give the published binary.
toolchain=$(sed -n 's/^toolchain[[:space:]]\{1,\}\(go[0-9.]*\)[[:space:]]*$/\1/p' "$work/go.mod")
[ -n "$toolchain" ] || die "no toolchain line in $provider_module's go.mod" "read $work/go.mod"
export GOTOOLCHAIN=$toolchain CGO_ENABLED=0 GO111MODULE=on

build() {
  # go.mod replaces the sdk with ../sdk, the repository's sdk/ folder at the release
  # commit, which a module zip does not contain. The sdk module of the same release
  # (sdk/v4.25.0 for v4.25.0) has that folder's go.mod and Go sources but for the
  # version string its generator writes into utilities (the folder says
  # 4.0.0-alpha.0+dev). The version go.mod requires (v4.24.0) differs there too and
  # also has an older go.mod, whose requirements would take part in choosing the
  # dependency versions; so it is the same release's module that is used here.
  # (run_logged calls this inside an `if`, where `set -e` does not apply: hence the &&s.)
  go mod edit -replace "$sdk_module=$sdk_module@v$version" &&
  (cd cmd/pulumi-resource-kubernetes && VERSION=$version go generate ./main.go) &&
  go build -o "$out.partial/pulumi-resource-kubernetes" \
    -ldflags "-s -w -X $provider_module/pkg/version.Version=v$version" \
    ./cmd/pulumi-resource-kubernetes/
}

rm -rf "$out.partial"
mkdir -p "$out.partial"
(
  cd "$work"
  run_logged "$LOG_DIR/build-kubernetes-provider.log" "read the log, fix the cause, re-run npm run setup" build
)
rm -rf "$out"
mv "$out.partial" "$out"
printf '%s\n' "$out"
