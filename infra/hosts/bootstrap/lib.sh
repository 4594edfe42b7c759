# Prelude of every bootstrap script (POSIX sh; the scripts run over SSH through the
# login shell of whatever host they target).
#
# Contract: inputs arrive as environment variables; the only thing written to stdout is
# one JSON object on one line, the script's result ({"ok":true,...} or
# {"ok":false,"error":"..."}). Everything else, including the output of the docker
# commands run, goes to stderr, so join tokens printed in a result never reach a log.
set -eu
exec 3>&1 1>&2

BOOTSTRAP_WAIT_SECONDS=${BOOTSTRAP_WAIT_SECONDS:-60}

log() { printf 'bootstrap[%s]: %s\n' "$(hostname 2>/dev/null || echo host)" "$*" >&2; }

json_string() {
  printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/	/\\t/g' -e 's/\r/\\r/g' |
    awk 'BEGIN { ORS = "" } NR > 1 { print "\\n" } { print }'
}

# result KEY TYPE VALUE ...: TYPE is s (string), b (true/false), n (number) or j (raw JSON).
result() {
  out='{"ok":true'
  while [ $# -ge 3 ]; do
    case $2 in
      s) out="$out,\"$1\":\"$(json_string "$3")\"" ;;
      *) out="$out,\"$1\":$3" ;;
    esac
    shift 3
  done
  printf '%s}\n' "$out" >&3
}

fail() {
  printf 'bootstrap error on %s: %s\n' "$(hostname 2>/dev/null || echo host)" "$*" >&2
  printf '{"ok":false,"error":"%s"}\n' "$(json_string "$*")" >&3
  exit 1
}

require() {
  eval "_v=\${$1:-}"
  [ -n "$_v" ] || fail "$1 is required"
}

# Non-root SSH users with passwordless sudo are common on cloud images.
DOCKER=docker
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1 && ! docker info >/dev/null 2>&1; then
  DOCKER="sudo -n docker"
fi

docker_reachable() { $DOCKER version --format '{{.Server.Version}}' >/dev/null 2>&1; }

require_docker() {
  command -v docker >/dev/null 2>&1 || fail "docker is not installed (run install-docker first)"
  docker_reachable || fail "the docker daemon is not reachable: $($DOCKER version 2>&1 | tail -n 1)"
}

swarm_info() { $DOCKER info --format "$1"; }
swarm_state() { swarm_info '{{.Swarm.LocalNodeState}}'; }
swarm_node_id() { swarm_info '{{.Swarm.NodeID}}'; }
swarm_is_manager() { [ "$(swarm_info '{{.Swarm.ControlAvailable}}')" = true ]; }
swarm_cluster_id() { swarm_info '{{if .Swarm.Cluster}}{{.Swarm.Cluster.ID}}{{end}}'; }
swarm_remote_managers() { swarm_info '{{range .Swarm.RemoteManagers}}{{.Addr}} {{end}}'; }

# Waits while the local node is "pending" (joining, or reconnecting after a restart).
wait_not_pending() {
  _i=0
  while [ "$(swarm_state)" = pending ] && [ "$_i" -lt "$BOOTSTRAP_WAIT_SECONDS" ]; do
    sleep 1
    _i=$((_i + 1))
  done
}

# Adds the default swarm port to an address that has none (IPv6 must be bracketed).
with_swarm_port() {
  case $1 in
    \[*\]:*) printf '%s' "$1" ;;
    \[*\]) printf '%s:2377' "$1" ;;
    *:*:*) printf '[%s]:2377' "$1" ;;
    *:*) printf '%s' "$1" ;;
    *) printf '%s:2377' "$1" ;;
  esac
}

# Sets NODE_ID to the full id of a node given by id, hostname or id prefix; empty when
# the swarm has no such node. An ambiguous hostname is an error, never a guess.
resolve_node() {
  NODE_ID=
  if _out=$($DOCKER node inspect --format '{{.ID}}' "$1" 2>&1); then
    NODE_ID=$_out
    return 0
  fi
  case $_out in
    *"ambiguous"*) fail "node '$1' matches several nodes; pass its node id: $_out" ;;
    *"No such node"* | *"not found"*) return 0 ;;
    *) fail "cannot inspect node '$1': $_out" ;;
  esac
}

require_manager() {
  require_docker
  [ "$(swarm_state)" = active ] && swarm_is_manager ||
    fail "this host is not an active swarm manager (state: $(swarm_state)); run this on a manager"
}
