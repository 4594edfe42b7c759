#!/usr/bin/env bash
# stack-secrets.sh STACK [CONFIG-PATH=ENV-VAR ...]: prepares STACK for the pull-request
# workflow's preview: the backend (PULUMI_BACKEND_URL, else this checkout's file://
# backend, exported to the later steps through $GITHUB_ENV), the passphrase check of
# scripts/lib/stack-env.sh, the stack itself (created when the backend lacks it), then
# each `pulumi config set --secret --path CONFIG-PATH` from the environment variable
# ENV-VAR, which the workflow fills from one repository secret per value.
#
# A value travels from the environment to pulumi's stdin: it is never part of a command
# line (visible in the process list) nor printed; only the names reach the log. An empty
# variable (the secret is not set) leaves the stack file's own value in place.
set -euo pipefail
. "$(dirname "$0")/../lib/log.sh"
. "$(dirname "$0")/../lib/paths.sh"
. "$(dirname "$0")/../lib/stack-env.sh"

stack=${1:?usage: stack-secrets.sh STACK [CONFIG-PATH=ENV-VAR ...]}
shift
stack_file="$REPO_ROOT/stacks/Pulumi.$stack.yaml"
[ -f "$stack_file" ] || die "no stack configuration stacks/Pulumi.$stack.yaml"
summary=${GITHUB_STEP_SUMMARY:-/dev/null}

[ -n "${PULUMI_BACKEND_URL:-}" ] || unset PULUMI_BACKEND_URL
backend_given=${PULUMI_BACKEND_URL:+yes}
use_project_backend
if [ -z "$backend_given" ]; then
  # Without the team's backend the preview compares with empty state: every resource is new.
  warn "vars.PULUMI_BACKEND_URL is not set: previewing against an empty $PULUMI_BACKEND_URL"
  printf '> [!WARNING]\n> `%s`: the variable `PULUMI_BACKEND_URL` is not set, so this preview compares with empty state and shows every resource as created.\n\n' "$stack" >>"$summary"
  [ -z "${GITHUB_ENV:-}" ] || printf 'PULUMI_BACKEND_URL=%s\n' "$PULUMI_BACKEND_URL" >>"$GITHUB_ENV"
fi
use_stack_secrets "$stack" "$stack_file"

cd "$REPO_ROOT"
ensure_stack "$stack"
for pair in "$@"; do
  path=${pair%%=*} var=${pair#*=}
  [ "$path" != "$pair" ] && [ -n "$path" ] && [[ $var =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] ||
    die "\"$pair\" is not CONFIG-PATH=ENV-VAR"
  if [ -z "${!var:-}" ]; then
    note "$path: not set from the environment ($var is empty); the stack file's value stays"
    continue
  fi
  printf '%s' "${!var}" |
    run_logged "$LOG_DIR/config-set-$stack.log" "check the stack's passphrase (PULUMI_CONFIG_PASSPHRASE)" \
      pulumi config set --stack "$stack" --secret --path "$path" --non-interactive
  note "$path: set as a secret from $var"
done
