# swarm-drain: first step of removing a node; run on a manager that stays. Drains the
# node, waits (bounded) until its tasks stopped, then demotes it if it is a manager so
# it can leave without costing the swarm its Raft quorum. A node already gone is fine.
# Inputs: SWARM_NODE (required; node id, hostname or id prefix), BOOTSTRAP_WAIT_SECONDS.
# Result: {"changed":bool,"present":bool,"nodeId","tasksRunning":n}.

require SWARM_NODE
require_manager

resolve_node "$SWARM_NODE"
if [ -z "$NODE_ID" ]; then
  result changed b false present b false nodeId s "" tasksRunning n 0
  exit 0
fi

changed=false
if [ "$($DOCKER node inspect --format '{{.Spec.Availability}}' "$NODE_ID")" != drain ]; then
  log "draining node $NODE_ID"
  $DOCKER node update --availability drain "$NODE_ID" >&2 || fail "could not drain node $NODE_ID"
  changed=true
fi

running_tasks() {
  $DOCKER node ps --format '{{.CurrentState}}' "$NODE_ID" 2>/dev/null |
    grep -c -E '^(Running|Starting|Preparing|Assigned|Accepted)' || true
}
node_down() { [ "$($DOCKER node inspect --format '{{.Status.State}}' "$NODE_ID")" = down ]; }
running=$(running_tasks)
i=0
# A node that is down cannot report its tasks stopping; the swarm reschedules them anyway.
while [ "$running" -gt 0 ] && [ "$i" -lt "$BOOTSTRAP_WAIT_SECONDS" ] && ! node_down; do
  sleep 1
  i=$((i + 1))
  running=$(running_tasks)
done
[ "$running" -eq 0 ] || log "warning: $running task(s) still running on node $NODE_ID after ${i}s"

# Demoting last: when this runs on the node being removed it stops being a manager here.
if [ "$($DOCKER node inspect --format '{{.Spec.Role}}' "$NODE_ID")" = manager ]; then
  log "demoting manager $NODE_ID before it leaves"
  $DOCKER node demote "$NODE_ID" >&2 || fail "could not demote node $NODE_ID (is it the last manager?)"
  changed=true
fi
result changed b "$changed" present b true nodeId s "$NODE_ID" tasksRunning n "$running"
