#!/usr/bin/env bash
# actionlint.sh: builds rhysd/actionlint (the GitHub Actions workflow linter) from the Go
# module proxy, once, into the shared toolchain cache, and prints the binary's path.
# `bash scripts/actionlint.sh` alone builds it; the suite's set-up (`npm run setup --
# --tests`) runs it, and test/unit/workflows/ lints .github/workflows with it:
#   "$(bash scripts/actionlint.sh)" .github/workflows/*.yml
#
# The version is pinned so that every checkout lints with the same rules. actionlint
# checks the workflows' `run:` scripts with shellcheck, found on PATH: Debian's
# `shellcheck` is installed here when missing, so the shell steps are never skipped.
set -euo pipefail
. "$(dirname "$0")/lib/log.sh"
. "$(dirname "$0")/lib/paths.sh"
. "$(dirname "$0")/lib/go-build.sh"
. "$(dirname "$0")/lib/apt.sh"

apt_install_missing "$LOG_DIR/apt-shellcheck.log" shellcheck

ACTIONLINT_VERSION=1.7.12
out="$TOOLCHAIN_CACHE/actionlint-v$ACTIONLINT_VERSION"
binary="$out/actionlint"
if [ -x "$binary" ]; then
  printf '%s\n' "$binary"
  exit 0
fi

[ -x /usr/local/go/bin/go ] && ! command -v go >/dev/null && PATH="/usr/local/go/bin:$PATH"
require_go
log="$LOG_DIR/build-actionlint.log"
started=$(date +%s)
say "building actionlint v$ACTIONLINT_VERSION from the Go module proxy (first run only, about a minute; log: $log)..."
# `go install` builds the module with its own go.mod, as the released binary is built;
# the version is stamped in by the module system (`actionlint -version` prints it).
rm -rf "$out.partial"
mkdir -p "$out.partial"
run_logged "$log" "read the log, fix the cause, re-run scripts/actionlint.sh" \
  env GOBIN="$out.partial" go install "github.com/rhysd/actionlint/cmd/actionlint@v$ACTIONLINT_VERSION"
rm -rf "$out"
mv "$out.partial" "$out"
note "built $binary in $(($(date +%s) - started)) s"
printf '%s\n' "$binary"
