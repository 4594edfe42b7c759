# Starts a test host's dockerd inside that host's namespaces and waits until it answers.
# Used at boot and to restart a daemon that a test stopped.
set -eu
dir=$1
# setsid: a restarted daemon must outlive the short-lived process that asked for it.
setsid dockerd --config-file "$dir/daemon.json" >>"$dir/dockerd.log" 2>&1 </dev/null &
pid=$!
i=0
until docker -H unix:///run/docker.sock version >/dev/null 2>&1; do
  i=$((i + 1))
  if ! kill -0 "$pid" 2>/dev/null || [ "$i" -gt 600 ]; then
    echo "harness: dockerd on $(hostname) did not come up; last log lines:" >&2
    tail -n 20 "$dir/dockerd.log" >&2
    exit 1
  fi
  sleep 0.1
done
