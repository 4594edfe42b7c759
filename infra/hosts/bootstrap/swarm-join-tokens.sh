# swarm-join-tokens: reads the swarm's join tokens on a manager. The tokens appear only
# in the result on stdout; treat that output as a secret.
# Inputs: none.
# Result: {"clusterId","workerToken","managerToken","managerAddrs":["addr:port",...]}
#   managerAddrs lists the managers that are currently reachable.

require_manager

worker=$($DOCKER swarm join-token -q worker) || fail "cannot read the worker join token"
manager=$($DOCKER swarm join-token -q manager) || fail "cannot read the manager join token"

addrs=
for id in $($DOCKER node ls --filter role=manager --format '{{.ID}}'); do
  line=$($DOCKER node inspect --format '{{.ManagerStatus.Reachability}} {{.ManagerStatus.Addr}}' "$id")
  case $line in
    "reachable "*) addrs="$addrs${addrs:+,}\"$(json_string "${line#reachable }")\"" ;;
  esac
done

result clusterId s "$(swarm_cluster_id)" workerToken s "$worker" managerToken s "$manager" managerAddrs j "[$addrs]"
