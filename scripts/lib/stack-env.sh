# The backend and passphrase of the pulumi processes the project's scripts start. Sourced,
# not run; needs log.sh and paths.sh. Nothing here logs in or writes the user's Pulumi
# settings: both are passed as environment variables to the processes started.

# The public passphrase of the dev stack, which holds only development values.
DEV_PASSPHRASE=compose-pulumi-dev

# use_project_backend: PULUMI_BACKEND_URL as the caller set it, else this checkout's
# file:// backend in .state/pulumi-backend.
use_project_backend() {
  export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$STATE_DIR/pulumi-backend}"
  # This checkout's own backend is a folder the project makes (.state/env names it too).
  [ "$PULUMI_BACKEND_URL" != "file://$STATE_DIR/pulumi-backend" ] || mkdir -p "$STATE_DIR/pulumi-backend"
  export PULUMI_SKIP_UPDATE_CHECK=true
}

# use_stack_secrets STACK STACK-FILE: the dev stack gets the public passphrase when the
# caller set none. Any other stack needs its own passphrase, or a secrets provider that
# needs none (a cloud KMS named in the stack file, or the Pulumi Cloud service), and
# never the public one.
use_stack_secrets() {
  local stack=$1 file=$2 provider
  provider=$(sed -n 's/^secretsprovider:[[:space:]]*//p' "$file" 2>/dev/null | head -n 1)
  if [ -n "${PULUMI_CONFIG_PASSPHRASE:-}" ] || [ -n "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]; then
    if [ "$stack" != dev ] && [ "${PULUMI_CONFIG_PASSPHRASE:-}" = "$DEV_PASSPHRASE" ]; then
      die "stack $stack: PULUMI_CONFIG_PASSPHRASE is the public passphrase of the dev stack" \
        "set stack $stack's own passphrase in PULUMI_CONFIG_PASSPHRASE (or a file in PULUMI_CONFIG_PASSPHRASE_FILE)"
    fi
    return 0
  fi
  if [ "$stack" = dev ]; then
    export PULUMI_CONFIG_PASSPHRASE=$DEV_PASSPHRASE
    return 0
  fi
  case "$provider" in
    ""|passphrase) ;;
    *) return 0 ;;
  esac
  case "$PULUMI_BACKEND_URL" in
    https://*) [ -z "$provider" ] && return 0 ;;
  esac
  die "stack $stack has no passphrase: its secrets are encrypted with one, and only the dev stack has a public one" \
    "export PULUMI_CONFIG_PASSPHRASE=<stack $stack's passphrase> (or PULUMI_CONFIG_PASSPHRASE_FILE=<file holding it>), or give the stack a key service: pulumi stack change-secrets-provider -s $stack 'awskms://...'"
}

# stack_exists STACK: the backend holds the stack (the caller runs in the project directory).
stack_exists() {
  pulumi stack ls --json 2>/dev/null | node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      const names = JSON.parse(s || "[]").map((stack) => stack.name.split("/").pop());
      process.exit(names.includes(process.argv[1]) ? 0 : 1);
    });' "$1"
}

# ensure_stack STACK: creates the stack when the backend does not hold it yet, without
# making it the workspace's selected stack (the user's selection stays theirs).
ensure_stack() {
  stack_exists "$1" && return 0
  say "creating stack $1 in $PULUMI_BACKEND_URL"
  run_logged "$LOG_DIR/stack-init-$1.log" "check PULUMI_BACKEND_URL and PULUMI_CONFIG_PASSPHRASE" \
    pulumi stack init "$1" --no-select --non-interactive
}
