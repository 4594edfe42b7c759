#!/usr/bin/env bash
# Stops this checkout's registry and Docker daemon (containers stop with it) and removes
# its bridge. Images, volumes and registry contents stay in .state/ for the next start.
set -euo pipefail
. "$(dirname "$0")/lib/log.sh"
. "$(dirname "$0")/lib/paths.sh"
. "$(dirname "$0")/lib/docker-daemon.sh"

# stop_pid NAME PIDFILE SECONDS: TERM, wait, then KILL the recorded process only.
stop_pid() {
  local name=$1 pidfile=$2 wait=$3 pid i
  if ! pid_alive "$pidfile"; then
    rm -f "$pidfile"
    return 0
  fi
  pid=$(cat "$pidfile")
  say "stopping $name (pid $pid)..."
  kill -TERM "$pid"
  for i in $(seq 1 $((wait * 4))); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$pidfile"; return 0; }
    sleep 0.25
  done
  warn "$name did not stop in ${wait}s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

stop_pid registry "$REGISTRY_PIDFILE" 10
stop_pid dockerd "$DOCKERD_PIDFILE" 30
if ip link show "$DOCKER_BRIDGE" >/dev/null 2>&1; then
  ip link delete "$DOCKER_BRIDGE" type bridge
fi
say "docker stopped for this checkout"
