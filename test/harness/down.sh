#!/usr/bin/env bash
# Tears down one harness slot: stops exactly the processes the harness recorded (each
# host's dockerd and sshd, and whatever still runs inside the host's own network
# namespace, which only those processes can have started), then removes the netns,
# veths, bridge, FORWARD rule and state it added. Safe to run twice.
#
#   down.sh --slot K
#   down.sh --stale   every slot whose owner process is gone
#   down.sh --all     every slot claimed on this machine, whoever holds it
set -euo pipefail
harness=$(cd "$(dirname "$0")" && pwd)
. "$harness/lib.sh"

slots=()
case ${1:-} in
  --slot) [[ ${2:-} =~ ^[0-7]$ ]] || harness_die "--slot must be 0..7"; slots=("$2") ;;
  --all) for d in "$HARNESS_CLAIMS"/slot-*; do [ -d "$d" ] && slots+=("${d##*-}"); done ;;
  --stale) for d in "$HARNESS_CLAIMS"/slot-*; do [ -d "$d" ] && claim_is_stale "$d" && slots+=("${d##*-}"); done ;;
  *) harness_die "usage: down.sh --slot K | --stale | --all" ;;
esac
[ "$(id -u)" = 0 ] || harness_die "must run as root"

netns_inode() { stat -L -c %i "/var/run/netns/$1" 2>/dev/null; }
in_netns() { [ "$(readlink "/proc/$1/ns/net" 2>/dev/null)" = "net:[$2]" ]; }

stop_host() {
  local ns=$1 pid=$2 start=$3 dir=$4 inode p
  inode=$(netns_inode "$ns" || true)
  p=$(cat "$dir/dockerd.pid" 2>/dev/null || true)
  if [ -n "$inode" ] && [ -n "$p" ] && in_netns "$p" "$inode"; then
    stop_pid "$p" dockerd 30
  fi
  if [ "$(pid_start_time "$pid")" = "$start" ]; then
    kill -TERM "$pid" 2>/dev/null || true
  fi
  # Containers of a dockerd that died uncleanly outlive it in their own namespaces;
  # they are found by this host's container ids in the cgroup tree.
  local id f
  for id in $(ls "$dir/docker/containers" 2>/dev/null); do
    for f in /sys/fs/cgroup/*/docker/"$id"/cgroup.procs /sys/fs/cgroup/docker/"$id"/cgroup.procs; do
      [ -r "$f" ] || continue
      for p in $(cat "$f"); do kill -KILL "$p" 2>/dev/null || true; done
    done
  done
  for id in $(ls "$dir/docker/containers" 2>/dev/null); do
    for _ in $(seq 20); do
      rmdir /sys/fs/cgroup/*/docker/"$id" /sys/fs/cgroup/docker/"$id" 2>/dev/null || true
      ls -d /sys/fs/cgroup/*/docker/"$id" /sys/fs/cgroup/docker/"$id" >/dev/null 2>&1 || break
      sleep 0.1
    done
  done
  # Left-overs of this host (ssh sessions, a containerd whose dockerd was killed).
  [ -n "$inode" ] || return 0
  for sig in TERM KILL; do
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill -"$sig" "$p" 2>/dev/null || true; done
    for _ in $(seq 50); do [ -z "$(ip netns pids "$ns" 2>/dev/null)" ] && return 0; sleep 0.1; done
  done
}

teardown_slot() {
  local k=$1 claim added state kind a b c d
  claim=$(slot_claim_dir "$k")
  added=$claim/added
  [ -d "$claim" ] || { harness_log "slot $k: nothing to tear down"; return 0; }
  state=$(cat "$claim/statedir" 2>/dev/null || true)
  touch "$added"

  # Hosts stop in parallel: each dockerd may take its shutdown-timeout to stop containers.
  while read -r kind a b c d; do
    [ "$kind" = host ] || continue
    stop_host "$(host_netns "$k" "$a")" "$b" "$c" "$d" &
  done <"$added"
  wait

  while read -r kind a b c; do
    case $kind in
      netns) ip netns del "$a" 2>/dev/null || true ;;
      veth) ip link del "$a" 2>/dev/null || true ;;
      registry) if [ "$(pid_start_time "$a")" = "$b" ]; then stop_pid "$a" docker-registry 10; fi ;;
    esac
  done <"$added"
  while read -r kind a; do
    case $kind in
      iptables-forward) iptables -D FORWARD -i "$a" -o "$a" -j ACCEPT 2>/dev/null || true ;;
    esac
  done <"$added"
  while read -r kind a; do
    if [ "$kind" = bridge ]; then ip link del "$a" 2>/dev/null || true; fi
  done <"$added"

  # Only ever a harness state directory, whatever the record says.
  if [[ $state == */.state/harness/slot-$k ]] && [ -d "$state" ]; then
    rm -rf "$state"
  fi
  rm -rf "$claim"
  harness_log "slot $k torn down"
}

for k in "${slots[@]}"; do teardown_slot "$k"; done
