#!/usr/bin/env bash
# engine-up.sh [--private]: chooses the Docker engine the project deploys to and writes
# its address to .state/docker/env.
#
# - The user's own engine, when one answers: DOCKER_HOST as set, else the default socket.
#   Nothing is installed or started, and no root is needed.
# - Otherwise, or with --private (COMPOSE_PULUMI_ENGINE=private), this checkout's own
#   dockerd and local registry (scripts/docker-up.sh: Debian's docker.io, run as root).
set -euo pipefail
. "$(dirname "$0")/lib/log.sh"
. "$(dirname "$0")/lib/paths.sh"
. "$(dirname "$0")/lib/docker-daemon.sh"

private=false
[ "${1:-}" = "--private" ] && private=true
[ "${COMPOSE_PULUMI_ENGINE:-auto}" = private ] && private=true

# user_engine: the address of an engine that answers and is not this checkout's own.
user_engine() {
  local host=${DOCKER_HOST:-unix:///var/run/docker.sock}
  [ "$host" = "unix://$DOCKER_SOCKET" ] && return 1
  command -v docker >/dev/null || return 1
  DOCKER_HOST=$host docker version --format '{{.Server.Version}}' >/dev/null 2>&1 || return 1
  printf '%s\n' "$host"
}

mkdir -p "$DOCKER_STATE"
if ! $private && host=$(user_engine); then
  version=$(DOCKER_HOST=$host docker version --format '{{.Server.Version}}')
  printf 'export DOCKER_HOST=%s\n' "$host" >"$DOCKER_STATE/env"
  say "docker ready: your engine at $host (Docker $version); nothing started"
  exit 0
fi
exec bash "$(dirname "$0")/docker-up.sh"
