#!/usr/bin/env bash
# npm run setup: everything the project and its real-engine tests need on this machine.
#   1. Node dependencies (npm ci when node_modules is missing or stale)
#   2. this checkout's Docker daemon and local registry (scripts/docker-up.sh)
#   3. the busybox test image, pushed to that registry (scripts/docker-test-image.sh)
#   4. the Pulumi CLI, language host and provider plugins (scripts/pulumi-toolchain.sh)
# Then writes .state/env, which `. .state/env` loads into a shell. Safe to re-run: a
# second run reuses the running daemon and the cached toolchain and rebuilds nothing.
set -euo pipefail
. "$(dirname "$0")/lib/log.sh"
. "$(dirname "$0")/lib/paths.sh"
cd "$REPO_ROOT"
started=$(date +%s)
mkdir -p "$LOG_DIR"

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing node dependencies (npm ci)..."
  run_logged "$LOG_DIR/npm-ci.log" "read the log; is the npm registry reachable?" npm ci --no-audit --no-fund
fi

bash scripts/docker-up.sh
test_image=$(bash scripts/docker-test-image.sh)
bash scripts/pulumi-toolchain.sh

{
  cat "$STATE_DIR/docker/env" "$STATE_DIR/pulumi.env"
  printf 'export COMPOSE_PULUMI_TEST_IMAGE=%s\n' "$test_image"
} >"$STATE_DIR/env.partial"
mv "$STATE_DIR/env.partial" "$STATE_DIR/env"

say "setup done in $(($(date +%s) - started)) s. Load the environment with: . .state/env"
