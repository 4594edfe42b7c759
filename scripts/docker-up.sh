#!/usr/bin/env bash
# Starts this checkout's Docker daemon and local registry (or reuses the running ones)
# and writes their addresses to .state/docker/env.
#
# The daemon runs on its own bridge and address pool with iptables management off, so
# several checkouts (and test-host daemons in network namespaces) can run side by side
# without rewriting each other's firewall rules. Published ports use docker-proxy.
set -euo pipefail
. "$(dirname "$0")/lib/log.sh"
. "$(dirname "$0")/lib/paths.sh"
. "$(dirname "$0")/lib/docker-daemon.sh"
. "$(dirname "$0")/lib/apt.sh"

[ "$(id -u)" = 0 ] || die "starting dockerd needs root" "run as root (sudo npm run docker:up)"

install_engine_packages() {
  # Debian's dockerd and registry (unless ones from elsewhere are on PATH), and the static
  # busybox the test image (FROM scratch) is made of.
  apt_install_missing "$LOG_DIR/apt.log" docker.io:dockerd docker-registry:docker-registry busybox-static
  # The package's own daemon would claim /var/run/docker.sock and docker0.
  if command -v systemctl >/dev/null && systemctl is-active --quiet docker 2>/dev/null; then
    warn "the system docker service is running; the project keeps its own daemon apart"
  fi
}

start_dockerd() {
  if pid_alive "$DOCKERD_PIDFILE" && daemon_answers; then
    note "dockerd already running (pid $(cat "$DOCKERD_PIDFILE"))"
    return 0
  fi
  claim_subnet
  ensure_bridge
  mkdir -p "$DOCKER_STATE/data" "$RUNTIME_DIR/exec"
  ln -sfn "$RUNTIME_DIR" "$DOCKER_STATE/run"
  say "starting dockerd (data $DOCKER_STATE/data, socket $DOCKER_SOCKET)..."
  # setsid: the daemon outlives the shell that started it.
  setsid dockerd \
    --data-root "$DOCKER_STATE/data" \
    --exec-root "$RUNTIME_DIR/exec" \
    --host "unix://$DOCKER_SOCKET" \
    --pidfile "$DOCKERD_PIDFILE" \
    --bridge "$DOCKER_BRIDGE" \
    --default-address-pool "base=10.$DOCKER_SUBNET_OCTET.0.0/17,size=24" \
    --iptables=false --ip6tables=false \
    --insecure-registry "$REGISTRY_ADDR" \
    --log-level warn \
    </dev/null >>"$LOG_DIR/dockerd.log" 2>&1 &
  local i
  for i in $(seq 1 120); do
    daemon_answers && return 0
    sleep 0.5
  done
  die "dockerd did not answer on $DOCKER_SOCKET within 60 s (log: $LOG_DIR/dockerd.log)" \
    "read the log; stop a half-started daemon with: npm run docker:down"
}

pick_registry_addr() {
  local envfile="$REGISTRY_STATE/registry.env" port
  if [ -s "$envfile" ]; then
    . "$envfile"
    return 0
  fi
  mkdir -p "$REGISTRY_STATE"
  for port in $(seq 5000 5050); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      REGISTRY_ADDR="127.0.0.1:$port"
      printf 'REGISTRY_ADDR=%s\n' "$REGISTRY_ADDR" >"$envfile"
      return 0
    fi
  done
  die "no free port in 127.0.0.1:5000-5050 for the local registry" "free one of those ports"
}

start_registry() {
  if pid_alive "$REGISTRY_PIDFILE" && registry_answers "$REGISTRY_ADDR"; then
    note "registry already running on $REGISTRY_ADDR"
    return 0
  fi
  if registry_answers "$REGISTRY_ADDR"; then
    die "$REGISTRY_ADDR answers but is not this checkout's registry" \
      "stop that process or delete $REGISTRY_STATE/registry.env to pick another port"
  fi
  mkdir -p "$REGISTRY_STATE/data"
  cat >"$REGISTRY_STATE/config.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $REGISTRY_STATE/data
  delete:
    enabled: true
http:
  addr: $REGISTRY_ADDR
YAML
  say "starting registry on $REGISTRY_ADDR..."
  setsid docker-registry serve "$REGISTRY_STATE/config.yml" \
    </dev/null >>"$LOG_DIR/registry.log" 2>&1 &
  echo $! >"$REGISTRY_PIDFILE"
  local i
  for i in $(seq 1 40); do
    registry_answers "$REGISTRY_ADDR" && return 0
    sleep 0.25
  done
  die "the registry did not answer on $REGISTRY_ADDR (log: $LOG_DIR/registry.log)" \
    "read the log, then: npm run docker:down && npm run docker:up"
}

write_env() {
  cat >"$DOCKER_STATE/env" <<ENV
export DOCKER_HOST=unix://$DOCKER_SOCKET
export COMPOSE_PULUMI_REGISTRY=$REGISTRY_ADDR
export COMPOSE_PULUMI_DOCKER_BRIDGE=$DOCKER_BRIDGE
ENV
}

mkdir -p "$LOG_DIR" "$DOCKER_STATE" "$RUNTIME_DIR"
install_engine_packages
pick_registry_addr
start_dockerd
start_registry
write_env
say "docker ready: DOCKER_HOST=unix://$DOCKER_SOCKET, registry $REGISTRY_ADDR"
