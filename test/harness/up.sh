#!/usr/bin/env bash
# Creates N test hosts on this machine: network namespaces on a project bridge, each
# with its own address, hostname, sshd (root login with the harness key, pinned host
# key) and dockerd, plus a registry on the bridge address that every host trusts.
#
#   up.sh [--hosts N] [--slot K|auto] [--owner PID] [--registry-htpasswd FILE]
#
# --owner: a process whose death marks the hosts as abandoned, so the next up.sh may
# reclaim the slot (tests pass their own pid); without it the hosts stay until down.sh.
# Prints one JSON line describing the hosts on stdout (also written to
# .state/harness/slot-K/hosts.json); progress and timings go to stderr.
set -euo pipefail
harness=$(cd "$(dirname "$0")" && pwd)
. "$harness/lib.sh"

count=3 slot=auto owner=manual
while [ $# -gt 0 ]; do
  case $1 in
    --hosts) count=$2; shift 2 ;;
    --slot) slot=$2; shift 2 ;;
    --owner) owner=$2; shift 2 ;;
    --registry-htpasswd) htpasswd=$2; shift 2 ;;
    *) harness_die "unknown argument: $1 (usage: up.sh [--hosts N] [--slot K|auto] [--owner PID] [--registry-htpasswd FILE])" ;;
  esac
done
[[ $count =~ ^[0-9]+$ ]] && [ "$count" -ge 1 ] && [ "$count" -le 200 ] || harness_die "--hosts must be 1..200, got '$count'"
[[ $slot = auto || $slot =~ ^[0-7]$ ]] || harness_die "--slot must be auto or 0..7, got '$slot'"
if [ "$owner" != manual ]; then
  [[ $owner =~ ^[0-9]+$ ]] && [ -d "/proc/$owner" ] || harness_die "--owner $owner is not a running process"
fi

bash "$harness/install-deps.sh" || harness_die "missing tools could not be installed (see above)"

started=$(date +%s.%N)
repo=$(harness_repo_root)

# Someone else's interface or route in our range means the slot is not ours to use.
slot_network_free() {
  ! ip link show "$(slot_bridge "$1")" >/dev/null 2>&1 &&
    ! ip -4 route show | grep -q "^$(slot_prefix "$1")\."
}

claim_slot() {
  local k=$1 dir
  dir=$(slot_claim_dir "$k")
  mkdir -p "$HARNESS_CLAIMS"
  if [ -d "$dir" ] && claim_is_stale "$dir"; then
    harness_log "slot $k was abandoned by its owner; tearing it down"
    bash "$harness/down.sh" --slot "$k" >&2 || return 1
  fi
  slot_network_free "$k" || return 1
  # The claim appears complete or not at all (rename is atomic and fails onto a
  # non-empty directory), so no one ever sees a claim without its owner.
  local tmp=$HARNESS_CLAIMS/.claim-$$-$k
  rm -rf "$tmp" && mkdir "$tmp"
  if [ "$owner" = manual ]; then echo manual >"$tmp/owner"; else echo "$owner $(pid_start_time "$owner")" >"$tmp/owner"; fi
  slot_bridge "$k" >"$tmp/bridge-name"
  mv -T "$tmp" "$dir" 2>/dev/null || { rm -rf "$tmp"; return 1; }
}

if [ "$slot" = auto ]; then
  chosen=
  for ((k = 0; k < HARNESS_MAX_SLOTS; k++)); do
    if claim_slot "$k"; then chosen=$k; break; fi
  done
  [ -n "$chosen" ] || harness_die "all $HARNESS_MAX_SLOTS harness slots are in use (see $HARNESS_CLAIMS)"
  slot=$chosen
else
  claim_slot "$slot" || harness_die "slot $slot is in use (see $(slot_claim_dir "$slot")) or its network range is taken"
fi

claim=$(slot_claim_dir "$slot")
record() { echo "$*" >>"$claim/added"; }
on_failure() {
  local rc=$?
  [ $rc -eq 0 ] && return
  harness_log "creation failed; tearing down slot $slot"
  bash "$harness/down.sh" --slot "$slot" >&2 || true
  exit $rc
}
trap on_failure EXIT

state=$repo/.state/harness/slot-$slot
rm -rf "$state"
mkdir -p "$state"
chmod 700 "$repo/.state/harness" "$state"
echo "$state" >"$claim/statedir"

# One client key pair per work tree, reused across runs.
keydir=$repo/.state/harness/ssh
key=$keydir/id_ed25519
if [ ! -f "$key" ]; then
  mkdir -p "$keydir" && chmod 700 "$keydir"
  ssh-keygen -q -t ed25519 -N '' -C harness-client -f "$key"
fi

bridge=$(slot_bridge "$slot")
bridge_addr=$(slot_bridge_addr "$slot")
registry=$(slot_registry "$slot")

ip link add "$bridge" type bridge
record bridge "$bridge"
ip addr add "$bridge_addr/24" dev "$bridge"
ip link set "$bridge" up
# Bridged frames traverse FORWARD when br_netfilter is loaded; a DROP policy set by a
# dockerd in the root namespace would otherwise cut the hosts off from each other.
iptables -I FORWARD -i "$bridge" -o "$bridge" -j ACCEPT
record iptables-forward "$bridge"

mkdir -p "$state/registry/data"
cat >"$state/registry/config.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $state/registry/data
  delete:
    enabled: true
http:
  addr: $registry
EOF
# A private registry: every request needs a user of this htpasswd file (bcrypt entries).
if [ -n "${htpasswd:-}" ]; then
  [ -r "$htpasswd" ] || harness_die "--registry-htpasswd $htpasswd is not readable"
  cp "$htpasswd" "$state/registry/htpasswd"
  printf 'auth:\n  htpasswd:\n    realm: harness-registry\n    path: %s\n' "$state/registry/htpasswd" >>"$state/registry/config.yml"
fi
setsid docker-registry serve "$state/registry/config.yml" >"$state/registry/registry.log" 2>&1 </dev/null &
record registry "$!" "$(pid_start_time $!)"

hosts_file=$state/etc-hosts
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$hosts_file"
for ((i = 1; i <= count; i++)); do
  printf '%s\t%s\n' "$(host_addr "$slot" "$i")" "$(host_name "$slot" "$i")" >>"$hosts_file"
done

known_hosts=$state/known_hosts
ssh_config=$state/ssh_config
: >"$known_hosts"
cat >"$ssh_config" <<EOF
Host $(slot_prefix "$slot").*
  User root
  IdentityFile $key
  IdentitiesOnly yes
  UserKnownHostsFile $known_hosts
  StrictHostKeyChecking yes
  BatchMode yes
  ConnectTimeout 5
  LogLevel ERROR
EOF

for ((i = 1; i <= count; i++)); do
  name=$(host_name "$slot" "$i")
  ns=$(host_netns "$slot" "$i")
  veth=$(host_veth "$slot" "$i")
  addr=$(host_addr "$slot" "$i")
  dir=$state/$name
  mkdir -p "$dir"

  ip netns add "$ns"
  record netns "$ns"
  ip link add "$veth" type veth peer name "$veth-p"
  record veth "$veth"
  ip link set "$veth" master "$bridge" up
  ip link set "$veth-p" netns "$ns"
  ip -n "$ns" link set "$veth-p" name eth0
  ip -n "$ns" addr add "$addr/24" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$ns" link set lo up
  # No default route: a host can reach its peers and the registry, nothing else.

  ssh-keygen -q -t ed25519 -N '' -C "$name" -f "$dir/ssh_host_ed25519_key"
  printf '%s %s\n' "$addr" "$(cut -d' ' -f1,2 "$dir/ssh_host_ed25519_key.pub")" >>"$known_hosts"
  cp "$key.pub" "$dir/authorized_keys"
  cp "$hosts_file" "$dir/hosts"
  printf 'HOST_NAME=%s\nHOST_ADDR=%s\n' "$name" "$addr" >"$dir/host.env"
  cat >"$dir/sshd_config" <<EOF
ListenAddress $addr:22
HostKey $dir/ssh_host_ed25519_key
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
AuthorizedKeysFile /run/harness/authorized_keys
UsePAM no
PidFile /run/sshd.pid
PrintMotd no
MaxStartups 100:30:200
MaxSessions 50
Subsystem sftp /usr/lib/openssh/sftp-server
EOF
  cat >"$dir/daemon.json" <<EOF
{
  "data-root": "$dir/docker",
  "exec-root": "/run/docker",
  "pidfile": "$dir/dockerd.pid",
  "hosts": ["unix:///run/docker.sock"],
  "bip": "$(host_bip "$slot" "$i")",
  "insecure-registries": ["$registry"],
  "shutdown-timeout": 5,
  "log-level": "warn"
}
EOF
done

for ((i = 1; i <= count; i++)); do
  dir=$state/$(host_name "$slot" "$i")
  setsid nsenter --net="/var/run/netns/$(host_netns "$slot" "$i")" \
    unshare --uts --mount --propagation private sh "$harness/boot-host.sh" "$dir" \
    >"$dir/boot.log" 2>&1 </dev/null &
  echo "$!" >"$dir/boot.pid"
  record host "$i" "$!" "$(pid_start_time $!)" "$dir"
done

# Ready means: the registry answers, and each host accepts the harness key over SSH with
# its pinned host key (boot-host.sh starts sshd only once its dockerd answers).
deadline=$((SECONDS + 90))
# (A private registry answers 401 until a client logs in: that is an answer too.)
until [[ $(curl -sS -o /dev/null -w '%{http_code}' "http://$registry/v2/" 2>/dev/null) =~ ^(200|401)$ ]]; do
  [ $SECONDS -lt $deadline ] || { cat "$state/registry/registry.log" >&2; harness_die "registry on $registry did not start"; }
  sleep 0.2
done
for ((i = 1; i <= count; i++)); do
  dir=$state/$(host_name "$slot" "$i")
  addr=$(host_addr "$slot" "$i")
  pid=$(cat "$dir/boot.pid")
  until ssh -F "$ssh_config" "$addr" true 2>/dev/null; do
    if ! [ -d "/proc/$pid" ] || [ $SECONDS -ge $deadline ]; then
      tail -n 30 "$dir/boot.log" >&2
      harness_die "host $(host_name "$slot" "$i") ($addr) did not become reachable over SSH"
    fi
    sleep 0.2
  done
done

seconds=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
harness_log "created $count hosts in slot $slot in ${seconds}s"

{
  printf '{"slot":%s,"stateDir":"%s","bridge":"%s","subnet":"%s.0/24","bridgeAddress":"%s",' \
    "$slot" "$state" "$bridge" "$(slot_prefix "$slot")" "$bridge_addr"
  printf '"registry":"%s","privateKeyPath":"%s","knownHostsPath":"%s","sshConfigPath":"%s","createSeconds":%s,"hosts":[' \
    "$registry" "$key" "$known_hosts" "$ssh_config" "$seconds"
  for ((i = 1; i <= count; i++)); do
    name=$(host_name "$slot" "$i")
    dir=$state/$name
    pid=$(cat "$dir/boot.pid")
    [ "$i" -gt 1 ] && printf ','
    printf '{"name":"%s","address":"%s","port":22,"user":"root","netns":"%s","hostPublicKey":"%s",' \
      "$name" "$(host_addr "$slot" "$i")" "$(host_netns "$slot" "$i")" "$(cut -d' ' -f1,2 "$dir/ssh_host_ed25519_key.pub")"
    printf '"pid":%s,"stateDir":"%s","dockerHost":"unix:///proc/%s/root/run/docker.sock"}' "$pid" "$dir" "$pid"
  done
  printf ']}\n'
} >"$state/hosts.json"
trap - EXIT
cat "$state/hosts.json"
