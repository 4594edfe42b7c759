# Locations and helpers for this checkout's Docker daemon and registry. Sourced, not run.
# Needs paths.sh.

DOCKER_STATE="$STATE_DIR/docker"
DOCKER_SOCKET="$RUNTIME_DIR/docker.sock"
DOCKERD_PIDFILE="$RUNTIME_DIR/dockerd.pid"
DOCKER_BRIDGE="cp-$CHECKOUT_ID"
REGISTRY_STATE="$STATE_DIR/registry"
REGISTRY_PIDFILE="$RUNTIME_DIR/registry.pid"
NET_CLAIMS_DIR="/run/compose-pulumi/net-claims"

# pid_alive PIDFILE: the pid recorded in PIDFILE belongs to a running process.
pid_alive() {
  local pid
  [ -s "$1" ] || return 1
  pid=$(cat "$1")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

daemon_answers() {
  docker -H "unix://$DOCKER_SOCKET" version --format '{{.Server.Version}}' >/dev/null 2>&1
}

registry_answers() {
  curl -fs -o /dev/null --max-time 2 "http://$1/v2/"
}

# claim_subnet: pick 10.N.0.0/16 (N in 200-229; the test harness uses 10.231) for this checkout's bridge and networks, once, avoiding
# host routes and other checkouts' claims; writes DOCKER_SUBNET_OCTET to net.env.
claim_subnet() {
  local envfile="$DOCKER_STATE/net.env" n claim
  mkdir -p "$NET_CLAIMS_DIR" "$DOCKER_STATE"
  if [ -s "$envfile" ]; then
    . "$envfile"
    # /run is emptied on reboot: renew the claim so no other checkout takes the subnet.
    printf '%s' "$REPO_ROOT" >"$NET_CLAIMS_DIR/10.$DOCKER_SUBNET_OCTET"
    return 0
  fi
  for n in $(seq 200 229); do
    claim="$NET_CLAIMS_DIR/10.$n"
    if ip -4 route | grep -qE "^10\.$n\." ; then continue; fi
    # A claim by a checkout that no longer exists is stale and free again.
    if [ -e "$claim" ] && [ "$(cat "$claim")" != "$REPO_ROOT" ] && [ -d "$(cat "$claim")" ]; then
      continue
    fi
    printf '%s' "$REPO_ROOT" >"$claim"
    printf 'DOCKER_SUBNET_OCTET=%s\n' "$n" >"$envfile"
    DOCKER_SUBNET_OCTET=$n
    return 0
  done
  die "no free 10.200-229.x.x subnet for the project's docker bridge" \
    "remove stale claims in $NET_CLAIMS_DIR for checkouts that no longer exist"
}

# ensure_bridge: this checkout's own bridge, so daemons never share docker0.
ensure_bridge() {
  if ! ip link show "$DOCKER_BRIDGE" >/dev/null 2>&1; then
    ip link add name "$DOCKER_BRIDGE" type bridge
    ip addr add "10.$DOCKER_SUBNET_OCTET.255.1/24" dev "$DOCKER_BRIDGE"
  fi
  ip link set "$DOCKER_BRIDGE" up
}
