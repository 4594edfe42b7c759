# Shared naming and helpers for the netns test-host harness; sourced by up.sh and down.sh.
#
# One "slot" is one independent set of test hosts. Everything it creates is named after
# the slot number K so that several sets (two test files, two work trees) never collide:
#   bridge cpbrK, subnet 10.231.K.0/24, bridge (host-side) address 10.231.K.1,
#   registry 10.231.K.1:5000, host I at 10.231.K.(10+I) in netns cpK-nodeI,
#   host-side veth cpK-vI, hostname nodeI, docker bridge (--bip) 172.(24+K).I.1/24.
# The claim record (pids, what was added) lives in /run/cpharness/slot-K so that a later
# teardown finds it from any work tree; bulky state (data roots, keys, logs) lives in the
# work tree's .state/harness/slot-K.

HARNESS_MAX_SLOTS=8
HARNESS_CLAIMS=/run/cpharness

harness_repo_root() { (cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd); }

harness_log() { printf 'harness: %s\n' "$*" >&2; }
harness_die() { printf 'harness: error: %s\n' "$*" >&2; exit 1; }

slot_claim_dir() { printf '%s/slot-%s' "$HARNESS_CLAIMS" "$1"; }
slot_bridge() { printf 'cpbr%s' "$1"; }
slot_prefix() { printf '10.231.%s' "$1"; }
slot_bridge_addr() { printf '10.231.%s.1' "$1"; }
slot_registry() { printf '10.231.%s.1:5000' "$1"; }
host_name() { printf 'node%s' "$2"; }
host_netns() { printf 'cp%s-node%s' "$1" "$2"; }
host_veth() { printf 'cp%s-v%s' "$1" "$2"; }
host_addr() { printf '10.231.%s.%s' "$1" "$((10 + $2))"; }
host_bip() { printf '172.%s.%s.1/24' "$((24 + $1))" "$2"; }

# A pid only counts as ours if it is alive and still runs the expected program, so a
# recycled pid is never signalled.
pid_runs() {
  local pid=$1 comm=$2
  [ -n "$pid" ] && [ -r "/proc/$pid/comm" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$comm" ]
}

# Start time of a process in clock ticks since boot; pairs with a pid to identify a
# process across pid reuse.
pid_start_time() { awk '{ print $22 }' "/proc/$1/stat" 2>/dev/null; }

# Sends SIGTERM, waits up to $3 seconds, then SIGKILL.
stop_pid() {
  local pid=$1 comm=$2 wait_s=${3:-15} i
  pid_runs "$pid" "$comm" || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < wait_s * 10; i++)); do
    pid_runs "$pid" "$comm" || return 0
    sleep 0.1
  done
  harness_log "pid $pid ($comm) ignored SIGTERM for ${wait_s}s; killing"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do pid_runs "$pid" "$comm" || return 0; sleep 0.1; done
}

# A claim is stale when its owner died (pid gone or reused) or, for a manual claim, when
# its bridge no longer exists (the machine was restarted).
claim_is_stale() {
  local dir=$1 pid start
  [ -f "$dir/owner" ] || return 0
  read -r pid start <"$dir/owner" || true
  if [ "$pid" = manual ]; then
    ! ip link show "$(cat "$dir/bridge-name" 2>/dev/null || echo none)" >/dev/null 2>&1
  else
    [ "$(pid_start_time "$pid")" != "$start" ]
  fi
}
