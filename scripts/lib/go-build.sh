# Building Pulumi's Go programs from the Go module proxy. Sourced, not run. Needs log.sh
# and paths.sh.

# Module downloads go through the proxy only; replace directives in our own modules
# pin the exact versions, so a build is reproducible.
export GOFLAGS=-mod=mod
export GOTOOLCHAIN=local

require_go() {
  command -v go >/dev/null ||
    die "the Go toolchain is needed to build the Pulumi CLI and plugins offline" \
      "install Go 1.25 or newer (https://go.dev/dl) or install pulumi itself, then re-run npm run setup"
}

# module_dir MODULE@VERSION: download one module version and print its directory.
module_dir() {
  local out
  out=$(go mod download -json "$1" 2>&1) ||
    die "could not download Go module $1: $(printf '%s' "$out" | grep -m1 -E '"Error"|403|404' || printf '%s' "$out" | tail -n1)" \
      "check that the Go module proxy ($(go env GOPROXY)) serves this version"
  printf '%s' "$out" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p'
}

# source_hash DIR: a short hash of the files in DIR, so edits to our Go sources rebuild.
source_hash() {
  (cd "$1" && find . -type f \( -name '*.go' -o -name 'go.mod' -o -name 'go.sum' \) -print0 |
    sort -z | xargs -0 sha256sum | sha256sum | cut -c1-12)
}

# fresh_copy SRC DEST: DEST becomes a writable copy of SRC (module cache files are read-only).
fresh_copy() {
  rm -rf "$2"
  mkdir -p "$(dirname "$2")"
  cp -r "$1" "$2"
  chmod -R u+w "$2"
}
