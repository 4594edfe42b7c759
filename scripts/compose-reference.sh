#!/usr/bin/env bash
# compose-reference.sh: builds the real docker compose CLI (the reference the compose
# loader is compared with) from the Go module proxy, once, into the shared toolchain
# cache, and prints the binary's path. Opt-in: only the corpus recorder and the live
# conformance mode use it; CI's unit tests read the stored goldens instead.
#
# The version is pinned because the stored goldens under test/fixtures/compose-corpus were
# recorded with it: docker compose v2.40.3, whose go.mod pins compose-go v2.9.1.
set -euo pipefail
. "$(dirname "$0")/lib/log.sh"
. "$(dirname "$0")/lib/paths.sh"
. "$(dirname "$0")/lib/go-build.sh"

COMPOSE_VERSION=2.40.3
out="$TOOLCHAIN_CACHE/docker-compose-v$COMPOSE_VERSION"
binary="$out/docker-compose"
if [ -x "$binary" ]; then
  printf '%s\n' "$binary"
  exit 0
fi

[ -x /usr/local/go/bin/go ] && ! command -v go >/dev/null && PATH="/usr/local/go/bin:$PATH"
require_go
log="$LOG_DIR/build-docker-compose.log"
say "building docker compose v$COMPOSE_VERSION from the Go module proxy (first run only, a few minutes; log: $log)..."
# The module's own go.mod (with its replace directives) decides every dependency
# version, exactly as in the released binary: build inside the module's own directory.
src=$(module_dir "github.com/docker/compose/v2@v$COMPOSE_VERSION")
work="$TOOLCHAIN_CACHE/src/docker-compose-v$COMPOSE_VERSION"
fresh_copy "$src" "$work"
mkdir -p "$out.partial"
(
  cd "$work"
  run_logged "$log" "read the log, fix the cause, re-run scripts/compose-reference.sh" \
    go build -trimpath -o "$out.partial/docker-compose" \
      -ldflags "-X github.com/docker/compose/v2/internal.Version=v$COMPOSE_VERSION" ./cmd
)
rm -rf "$out"
mv "$out.partial" "$out"
note "built $binary"
printf '%s\n' "$binary"
