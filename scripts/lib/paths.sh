# Where the project keeps its state and caches. Sourced, not run.
# Per checkout: .state/ (git-ignored) and a short runtime dir under /run for sockets.
# Shared by all checkouts on the machine: the toolchain cache, so a fresh clone reuses it.

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
STATE_DIR="$REPO_ROOT/.state"
CACHE_ROOT="${COMPOSE_PULUMI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/compose-pulumi}"
TOOLCHAIN_CACHE="$CACHE_ROOT/toolchain"
LOG_DIR="$STATE_DIR/logs"

# A short id per checkout keeps socket paths under the 108-byte unix socket limit
# wherever the checkout lives, and keeps two checkouts' daemons apart.
CHECKOUT_ID=$(printf '%s' "$REPO_ROOT" | sha256sum | cut -c1-8)
RUNTIME_DIR="/run/compose-pulumi/$CHECKOUT_ID"
