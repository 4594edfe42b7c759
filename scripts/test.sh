#!/usr/bin/env bash
# The README's test command: set up everything the suite needs, then run every test
# with node's built-in runner. `--unit-only` skips set-up and the real-engine tests.
set -euo pipefail
cd "$(dirname "$0")/.."

unit_only=false
[ "${1:-}" = "--unit-only" ] && unit_only=true

if ! $unit_only; then
  # The suite runs on this checkout's own engine and registry (root: it also creates
  # network-namespace test hosts), whatever engine the machine has.
  bash scripts/setup.sh --tests
  # setup.sh writes the environment the real-engine tests use (DOCKER_HOST, PATH, PULUMI_HOME).
  [ -f .state/env ] && . .state/env
  # Integration tests deploy the example apps, whose images derive from this base
  # (cached: a re-import of a cached rootfs, or a few minutes of Debian packages the first time).
  bash scripts/images/base.sh
fi

if $unit_only; then
  mapfile -t files < <(find test/unit -name '*.test.ts' | sort)
else
  mapfile -t files < <(find test -name '*.test.ts' -not -path '*/node_modules/*' | sort)
fi

status=0
# Node runs the TypeScript sources as they are (type stripping, Node >= 22.18).
$unit_only && export PATH="$(bash scripts/node-runtime.sh):$PATH"
node --test --test-concurrency=1 "${files[@]}" || status=$?

# A run that was killed mid-test can leave netns test hosts behind; the next run sweeps them.
if ! $unit_only && [ -x test/harness/down.sh ]; then
  bash test/harness/down.sh --stale >/dev/null 2>&1 || true
fi
exit "$status"
