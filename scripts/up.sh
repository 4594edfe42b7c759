#!/usr/bin/env bash
# npm start [-- --private-engine]: from a fresh clone to the example application
# answering on its URL.
#   1. npm run setup: Node.js and node modules, the Docker engine (yours when one
#      answers, else this checkout's own), the Pulumi toolchain (built offline when
#      there is none)
#   2. the Debian base image the example's images build from (scripts/images/base.sh)
#   3. `pulumi up` of the dev stack (WordPress on that engine), state in the local
#      file:// backend unless PULUMI_BACKEND_URL names another
#   4. waits until the application's URL answers, and prints it
# Safe to re-run: every step reuses what is already there.
set -euo pipefail
. "$(dirname "$0")/lib/log.sh"
. "$(dirname "$0")/lib/paths.sh"
. "$(dirname "$0")/lib/stack-env.sh"
cd "$REPO_ROOT"
stack=${COMPOSE_PULUMI_STACK:-dev}
answer_timeout=${COMPOSE_PULUMI_URL_TIMEOUT:-180}
started=$(date +%s)
mkdir -p "$LOG_DIR"

setup_flags=()
for arg in "$@"; do
  case "$arg" in
    --private-engine) setup_flags+=(--private-engine) ;;
    *) die "unknown option $arg" "usage: npm start [-- --private-engine]" ;;
  esac
done
bash scripts/setup.sh "${setup_flags[@]}"
. "$STATE_DIR/env"
use_project_backend
use_stack_secrets "$stack" "$REPO_ROOT/stacks/Pulumi.$stack.yaml"

say "base image for the example applications (first run only: a few minutes of Debian packages)..."
# base.sh reports its own progress; it reuses a cached image and rootfs.
bash scripts/images/base.sh ||
  die "the base image could not be built" "is the Debian mirror reachable (DEBIAN_MIRROR)? run scripts/images/base.sh alone to retry"

ensure_stack "$stack"
# Docker resources and commands as they start and finish: image builds and health waits
# take minutes, and the reader sees which one is running.
show_progress() {
  awk '/^ [-+~]+ +(docker|command):[A-Za-z:]+ [^ ]+ [a-z ]+ \(/ { sub(/^ +/, ""); sub(/ +$/, ""); print "    " $0 > "/dev/stderr"; fflush("/dev/stderr") }'
}
up_log="$LOG_DIR/up-$stack.log"
# A run killed part-way (crash, CI timeout) leaves its lock and half-created objects
# behind; stacks/recover.ts clears exactly those so that this run converges.
node stacks/recover.ts "$stack" ||
  die "stack $stack could not be recovered from an interrupted run" "run \`node stacks/recover.ts $stack\` and read its message"
say "pulumi up of stack $stack (log: $up_log)..."
if ! pulumi up --yes --skip-preview --non-interactive --stack "$stack" 2>&1 | tee "$up_log" | show_progress; then
  # pulumi's own summary names the failing resource and the reason.
  sed -n '/^Diagnostics:/,$p' "$up_log" | head -n 60 >&2
  grep -q '^Diagnostics:' "$up_log" || tail -n 40 "$up_log" >&2
  taken_port=$(grep -o 'listen tcp[46]* [0-9.:]*:[0-9]*: bind: address already in use' "$up_log" | head -n 1 | sed 's/.*:\([0-9]*\): bind.*/\1/' || true)
  if [ -n "$taken_port" ]; then
    die "pulumi up of stack $stack failed: port $taken_port is already taken on this machine (full log: $up_log)" \
      "free it (another checkout's dev stack: \`npm run destroy -- dev\` there), or publish another port (the example app: pulumi config set -s $stack --path 'compose.variables.WORDPRESS_PORT' 8081); then \`npm start\` again"
  fi
  die "pulumi up of stack $stack failed (full log: $up_log)" \
    "fix the cause above and run \`npm start\` again; \`npm run preview -- $stack\` shows what is left to do"
fi

warnings=$(sed -n '/^Diagnostics:/,/^Outputs:/p' "$up_log" | grep -c '^ *warning:' || true)
[ "$warnings" -eq 0 ] ||
  note "$warnings warnings (compose keys this target ignores): sed -n '/^Diagnostics:/,/^Outputs:/p' $up_log"

url=$(pulumi stack output url --stack "$stack" 2>/dev/null || true)
[ -n "$url" ] || die "stack $stack has no url output (no service publishes a port)" "publish a port in the compose file"
say "waiting for $url to answer (up to ${answer_timeout}s)..."
deadline=$(($(date +%s) + answer_timeout))
status=000
while :; do
  status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$url" || true)
  # Any HTTP answer below 500 is the application itself (WordPress redirects to its installer).
  if [ "$status" != 000 ] && [ "$status" -lt 500 ]; then break; fi
  [ "$(date +%s)" -lt "$deadline" ] ||
    die "$url did not answer within ${answer_timeout}s (last HTTP status: $status)" \
      "look at the containers: docker ps -a --filter label=com.docker.compose.project; docker logs <container>"
  sleep 2
done

say "stack $stack is up in $(($(date +%s) - started)) s: $url answers (HTTP $status)"
printf '%s\n' "$url"
