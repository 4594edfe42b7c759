# swarm-node-rm: removes a node that has left from the swarm's node list; run on a
# manager that stays. A node already removed is fine.
# Inputs: SWARM_NODE (required; node id, hostname or id prefix),
#   SWARM_NODE_RM_FORCE (1 to remove a node that never reported down, e.g. a host that
#   was destroyed), BOOTSTRAP_WAIT_SECONDS.
# Result: {"changed":bool,"nodeId"}.

require SWARM_NODE
require_manager

resolve_node "$SWARM_NODE"
if [ -z "$NODE_ID" ]; then
  result changed b false nodeId s ""
  exit 0
fi
[ "$NODE_ID" != "$(swarm_node_id)" ] || fail "node $NODE_ID is the manager this runs on; run swarm-node-rm on another manager"

node_state() { $DOCKER node inspect --format '{{.Status.State}}' "$NODE_ID"; }
i=0
while [ "$(node_state)" != down ] && [ "$i" -lt "$BOOTSTRAP_WAIT_SECONDS" ]; do
  sleep 1
  i=$((i + 1))
done

set --
if [ "$(node_state)" != down ]; then
  [ "${SWARM_NODE_RM_FORCE:-0}" = 1 ] ||
    fail "node $NODE_ID is still $(node_state) after ${BOOTSTRAP_WAIT_SECONDS}s: it has not left the swarm (run swarm-leave on it), or set SWARM_NODE_RM_FORCE=1 for a host that is gone"
  set -- --force
fi
if [ "$($DOCKER node inspect --format '{{.Spec.Role}}' "$NODE_ID")" = manager ]; then
  $DOCKER node demote "$NODE_ID" >&2 || fail "could not demote node $NODE_ID before removing it"
fi
$DOCKER node rm "$@" "$NODE_ID" >&2 || fail "docker node rm failed for node $NODE_ID"
result changed b true nodeId s "$NODE_ID"
