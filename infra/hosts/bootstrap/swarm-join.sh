# swarm-join: joins this host to a swarm, unless it already belongs to that swarm (then
# nothing changes). A host that belongs to another swarm is an error: it is never
# made to leave silently.
# Inputs: SWARM_JOIN_TOKEN (required, secret), SWARM_MANAGER_ADDRS (required; managers
#   to try in order, comma or space separated, port 2377 when omitted),
#   SWARM_ADVERTISE_ADDR, SWARM_LISTEN_ADDR, SWARM_DATA_PATH_ADDR,
#   SWARM_CLUSTER_ID (optional; lets a manager prove membership by cluster id).
# Result: {"changed":bool,"nodeId","role":"manager"|"worker"}. The role comes from the
#   token used at join time; swarm-node-config promotes or demotes to the wanted role.

require SWARM_JOIN_TOKEN
require SWARM_MANAGER_ADDRS
require_docker

managers=
for a in $(printf '%s' "$SWARM_MANAGER_ADDRS" | tr ',' ' '); do
  managers="$managers $(with_swarm_port "$a")"
done

wait_not_pending
state=$(swarm_state)
case $state in
  active)
    same=false
    if [ -n "${SWARM_CLUSTER_ID:-}" ] && swarm_is_manager; then
      [ "$(swarm_cluster_id)" = "$SWARM_CLUSTER_ID" ] && same=true
    else
      for m in $(swarm_remote_managers); do
        for a in $managers; do [ "$m" = "$a" ] && same=true; done
      done
    fi
    $same || fail "this host already belongs to another swarm (its managers: $(swarm_remote_managers)); it is not made to leave automatically: run 'docker swarm leave' on it first"
    changed=false
    ;;
  inactive)
    set -- --token "$SWARM_JOIN_TOKEN"
    [ -z "${SWARM_ADVERTISE_ADDR:-}" ] || set -- "$@" --advertise-addr "$SWARM_ADVERTISE_ADDR"
    [ -z "${SWARM_LISTEN_ADDR:-}" ] || set -- "$@" --listen-addr "$SWARM_LISTEN_ADDR"
    [ -z "${SWARM_DATA_PATH_ADDR:-}" ] || set -- "$@" --data-path-addr "$SWARM_DATA_PATH_ADDR"
    joined=false
    for a in $managers; do
      log "joining the swarm through $a"
      if $DOCKER swarm join "$@" "$a" >&2; then
        joined=true
        break
      fi
      log "could not join through $a"
    done
    $joined || fail "could not join the swarm through any of:$managers"
    wait_not_pending
    [ "$(swarm_state)" = active ] || fail "joined, but the node is '$(swarm_state)' instead of active"
    changed=true
    ;;
  locked) fail "the swarm on this host is locked (autolock); unlock it with 'docker swarm unlock'" ;;
  pending) fail "this host is still trying to reach its swarm's managers after ${BOOTSTRAP_WAIT_SECONDS}s" ;;
  *) fail "swarm state is '$state': $(swarm_info '{{.Swarm.Error}}')" ;;
esac

role=worker
swarm_is_manager && role=manager
result changed b "$changed" nodeId s "$(swarm_node_id)" role s "$role"
