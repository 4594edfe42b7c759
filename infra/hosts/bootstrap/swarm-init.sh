# swarm-init: makes this host the first manager of a new swarm, unless it already is a
# manager (then nothing changes).
# Inputs: SWARM_ADVERTISE_ADDR (required), SWARM_LISTEN_ADDR, SWARM_DATA_PATH_ADDR,
#   SWARM_DEFAULT_ADDR_POOL (comma-separated CIDRs), SWARM_DEFAULT_ADDR_POOL_MASK_LEN.
# Result: {"changed":bool,"nodeId","clusterId","managerAddr"}.

require SWARM_ADVERTISE_ADDR
require_docker

wait_not_pending
state=$(swarm_state)
case $state in
  active)
    swarm_is_manager || fail "this host is a worker of an existing swarm (node $(swarm_node_id), managers: $(swarm_remote_managers)); it cannot start a new one. Run 'docker swarm leave' on it first, or bootstrap from one of those managers"
    changed=false
    ;;
  inactive)
    set -- --advertise-addr "$SWARM_ADVERTISE_ADDR"
    [ -z "${SWARM_LISTEN_ADDR:-}" ] || set -- "$@" --listen-addr "$SWARM_LISTEN_ADDR"
    [ -z "${SWARM_DATA_PATH_ADDR:-}" ] || set -- "$@" --data-path-addr "$SWARM_DATA_PATH_ADDR"
    if [ -n "${SWARM_DEFAULT_ADDR_POOL:-}" ]; then
      for pool in $(printf '%s' "$SWARM_DEFAULT_ADDR_POOL" | tr ',' ' '); do
        set -- "$@" --default-addr-pool "$pool"
      done
    fi
    [ -z "${SWARM_DEFAULT_ADDR_POOL_MASK_LEN:-}" ] || set -- "$@" --default-addr-pool-mask-length "$SWARM_DEFAULT_ADDR_POOL_MASK_LEN"
    log "initialising a new swarm advertised on $SWARM_ADVERTISE_ADDR"
    # Its stdout spells out the worker join command, token included: not for any log.
    $DOCKER swarm init "$@" >/dev/null || fail "docker swarm init failed"
    changed=true
    ;;
  locked) fail "the swarm on this host is locked (autolock); unlock it with 'docker swarm unlock'" ;;
  pending) fail "this host is still trying to reach its swarm's managers after ${BOOTSTRAP_WAIT_SECONDS}s" ;;
  *) fail "swarm state is '$state': $(swarm_info '{{.Swarm.Error}}')" ;;
esac

manager_addr=$($DOCKER node inspect self --format '{{.ManagerStatus.Addr}}')
case $SWARM_ADVERTISE_ADDR in
  *.* | *:*)
    case $manager_addr in
      "$SWARM_ADVERTISE_ADDR" | "$SWARM_ADVERTISE_ADDR":*) ;;
      *) log "warning: this manager advertises $manager_addr, not the requested $SWARM_ADVERTISE_ADDR" ;;
    esac ;;
esac
result changed b "$changed" nodeId s "$(swarm_node_id)" clusterId s "$(swarm_cluster_id)" managerAddr s "$manager_addr"
