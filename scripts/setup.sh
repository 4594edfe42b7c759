#!/usr/bin/env bash
# Placeholder until the toolchain set-up lands: installs node dependencies only.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci
