# Progress and failure messages shared by the set-up scripts. Sourced, not run.

say() { printf '==> %s\n' "$*" >&2; }
note() { printf '    %s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }

# die MESSAGE [WHAT-TO-DO]: stop with the cause and the next step for the reader.
die() {
  printf 'error: %s\n' "$1" >&2
  [ -n "${2:-}" ] && printf '  next: %s\n' "$2" >&2
  exit 1
}

# run_logged LOGFILE HINT CMD...: run CMD with its output in LOGFILE; on failure show the
# log's tail and HINT.
run_logged() {
  local logfile=$1 hint=$2
  shift 2
  mkdir -p "$(dirname "$logfile")"
  if ! "$@" >"$logfile" 2>&1; then
    printf 'error: command failed: %s\n' "$*" >&2
    printf '  last lines of %s:\n' "$logfile" >&2
    tail -n 25 "$logfile" | sed 's/^/    /' >&2
    printf '  next: %s\n' "$hint" >&2
    exit 1
  fi
}
