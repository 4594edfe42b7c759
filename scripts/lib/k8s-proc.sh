# Starting and stopping the test cluster's processes inside a test host's namespaces.
# Sourced, not run; needs log.sh and K8S_STATE set.
#
# A process is recorded as "pid start-time" in $K8S_STATE/pids/NAME; the start time
# (clock ticks since boot) tells a live process from a later one that reuses its pid, so
# a stop never signals a stranger.

# A zombie counts as gone: it has exited and only waits for whoever reaps orphans here.
proc_start_time() { awk '$3 != "Z" { print $22 }' "/proc/$1/stat" 2>/dev/null; }

# start_in_host HOSTPID NAME LOG CMD...: runs CMD in the network, mount and UTS
# namespaces of the test host whose first process is HOSTPID, detached (setsid), output
# appended to LOG. nsenter without -p does not fork, so $! is CMD's own pid.
start_in_host() {
  local host_pid=$1 name=$2 log=$3 pid
  shift 3
  mkdir -p "$K8S_STATE/pids" "$(dirname "$log")"
  nsenter -t "$host_pid" -n -m -u -- setsid "$@" >>"$log" 2>&1 </dev/null &
  pid=$!
  printf '%s %s\n' "$pid" "$(proc_start_time "$pid")" >"$K8S_STATE/pids/$name"
}

# recorded_alive NAME: the process recorded as NAME still runs.
recorded_alive() {
  local pid start
  [ -s "$K8S_STATE/pids/$1" ] || return 1
  read -r pid start <"$K8S_STATE/pids/$1"
  [ -n "$pid" ] && [ "$(proc_start_time "$pid")" = "$start" ]
}

# stop_recorded NAME [SECONDS]: SIGTERM, up to SECONDS (default 15) to exit, then SIGKILL.
stop_recorded() {
  local name=$1 wait_s=${2:-15} pid start i
  [ -s "$K8S_STATE/pids/$name" ] || return 0
  read -r pid start <"$K8S_STATE/pids/$name"
  if [ -n "$pid" ] && [ "$(proc_start_time "$pid")" = "$start" ]; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < wait_s * 10; i++)); do
      [ "$(proc_start_time "$pid")" = "$start" ] || break
      sleep 0.1
    done
    if [ "$(proc_start_time "$pid")" = "$start" ]; then
      warn "$name (pid $pid) ignored SIGTERM for ${wait_s}s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$K8S_STATE/pids/$name"
}

# wait_for SECONDS CMD...: retries CMD every half second until it succeeds.
wait_for() {
  local seconds=$1 i
  shift
  for ((i = 0; i < seconds * 2; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  return 1
}
