# swarm-leave: makes this host leave its swarm; nothing to do when it is in none.
# A manager must be demoted first (swarm-drain does that): a manager leaving with
# --force shrinks the Raft group and can cost the swarm its quorum.
# Inputs: SWARM_LEAVE_FORCE (1 to leave even as a manager).
# Result: {"changed":bool}.

require_docker
state=$(swarm_state)
case $state in
  inactive)
    result changed b false
    exit 0
    ;;
  active)
    # A demotion made a moment ago reaches this node within a few seconds.
    i=0
    while swarm_is_manager && [ "$i" -lt 15 ]; do
      sleep 1
      i=$((i + 1))
    done
    if swarm_is_manager; then
      [ "${SWARM_LEAVE_FORCE:-0}" = 1 ] ||
        fail "this node is still a swarm manager; demote it first (swarm-drain does), or set SWARM_LEAVE_FORCE=1 knowing it reduces the managers' quorum"
      $DOCKER swarm leave --force >&2 || fail "docker swarm leave --force failed"
    else
      $DOCKER swarm leave >&2 || fail "docker swarm leave failed"
    fi
    ;;
  *)
    # pending, error or locked: the node cannot reach a working swarm; only --force leaves.
    log "swarm state is '$state'; leaving with --force"
    $DOCKER swarm leave --force >&2 || fail "docker swarm leave --force failed"
    ;;
esac
result changed b true
