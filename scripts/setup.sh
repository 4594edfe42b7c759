#!/usr/bin/env bash
# npm run setup [-- --private-engine] [--tests]: everything the project needs on this machine.
#   1. Node.js 22.18 or newer (scripts/node-runtime.sh: the machine's, else one from npm)
#   2. Node dependencies (npm ci when node_modules is missing or stale)
#   3. the Docker engine: yours when one answers, else this checkout's own dockerd and
#      registry (scripts/engine-up.sh; --private-engine, and --tests, always use our own)
#   4. with --tests: the busybox test image, pushed to that registry, actionlint
#      (scripts/actionlint.sh), which the suite runs on .github/workflows, and the
#      Kubernetes test cluster's binaries (scripts/k8s-build.sh, k8s-build-coredns.sh,
#      k8s-build-local-path.sh)
#   5. the Pulumi CLI, language host and provider plugins (scripts/pulumi-toolchain.sh)
# Then writes .state/env, which `. .state/env` loads into a shell. Safe to re-run: a
# second run reuses the running engine and the cached toolchain and rebuilds nothing.
set -euo pipefail
. "$(dirname "$0")/lib/log.sh"
. "$(dirname "$0")/lib/paths.sh"
cd "$REPO_ROOT"
started=$(date +%s)
mkdir -p "$LOG_DIR"

engine_flag="" tests=false
for arg in "$@"; do
  case "$arg" in
    --private-engine) engine_flag=--private ;;
    --tests) tests=true engine_flag=--private ;;
    *) die "unknown option $arg" "usage: npm run setup [-- --private-engine] [--tests]" ;;
  esac
done

node_dir=$(bash scripts/node-runtime.sh)
export PATH="$node_dir:$PATH"

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing node dependencies (npm ci)..."
  run_logged "$LOG_DIR/npm-ci.log" "read the log; is the npm registry reachable?" npm ci --no-audit --no-fund
fi

bash scripts/engine-up.sh $engine_flag
test_image=""
if $tests; then
  test_image=$(bash scripts/docker-test-image.sh)
  bash scripts/actionlint.sh >/dev/null
  # Cached after the first build (the README's "Kubernetes test cluster" has its times).
  # Without Go they cannot be built, and the cluster's test then says so and skips.
  if command -v go >/dev/null || [ -x /usr/local/go/bin/go ]; then
    bash scripts/k8s-build.sh >/dev/null
    bash scripts/k8s-build-coredns.sh >/dev/null
    bash scripts/k8s-build-local-path.sh >/dev/null
  fi
fi
bash scripts/pulumi-toolchain.sh

{
  printf 'export PATH="%s:$PATH"\n' "$node_dir"
  cat "$STATE_DIR/docker/env" "$STATE_DIR/pulumi.env"
  [ -z "$test_image" ] || printf 'export COMPOSE_PULUMI_TEST_IMAGE=%s\n' "$test_image"
} >"$STATE_DIR/env.partial"
mv "$STATE_DIR/env.partial" "$STATE_DIR/env"

say "setup done in $(($(date +%s) - started)) s. Load the environment with: . .state/env"
