#!/usr/bin/env bash
# npm run preview -- <stack> [pulumi preview options]
#
# `pulumi preview --diff` of one stack (dev, staging, prod) with the policy pack in
# policy/ enforced: the same command the pull-request workflow runs. The caller's own
# `pulumi` wins over the one setup built, and PULUMI_BACKEND_URL and the passphrase
# are the caller's when set; otherwise the local file:// backend, and for dev only, the
# dev stack's public passphrase (scripts/lib/stack-env.sh).
# Exit status: pulumi's (non-zero when the preview fails or a policy is violated); a
# failure ends with what to do next.
set -euo pipefail
. "$(dirname "$0")/lib/log.sh"
. "$(dirname "$0")/lib/paths.sh"
. "$(dirname "$0")/lib/stack-env.sh"

usage="usage: npm run preview -- <stack> [pulumi preview options], stack one of: $(cd "$REPO_ROOT/stacks" && ls Pulumi.*.yaml 2>/dev/null | sed -e 's/^Pulumi\.//' -e 's/\.yaml$//' | tr '\n' ' ')"
stack=${1:-}
[ -n "$stack" ] && [ "${stack#-}" = "$stack" ] || die "which stack?" "$usage"
shift
stack_file="$REPO_ROOT/stacks/Pulumi.$stack.yaml"
[ -f "$stack_file" ] || [ -n "${PULUMI_ALLOW_UNKNOWN_STACK:-}" ] ||
  die "no stack configuration stacks/Pulumi.$stack.yaml" "$usage"

# The caller's settings win over the ones setup wrote, a pulumi already on PATH included.
if [ -f "$STATE_DIR/env" ]; then
  saved_backend=${PULUMI_BACKEND_URL-}
  saved_path=$PATH
  caller_has_pulumi=false
  command -v pulumi >/dev/null && caller_has_pulumi=true
  . "$STATE_DIR/env"
  [ -n "$saved_backend" ] && export PULUMI_BACKEND_URL=$saved_backend
  $caller_has_pulumi && export PATH="$saved_path:$PATH"
fi
command -v pulumi >/dev/null || die "no pulumi CLI on PATH" "run \`npm run setup\` (it builds one offline), or install pulumi"
use_project_backend
use_stack_secrets "$stack" "$stack_file"

cd "$REPO_ROOT"
ensure_stack "$stack"
say "pulumi preview --diff of stack $stack, policy pack policy/"
status=0
pulumi preview --diff --stack "$stack" --policy-pack "$REPO_ROOT/policy" "$@" || status=$?
if [ "$status" -ne 0 ]; then
  printf 'error: the preview of stack %s failed (exit status %s)\n' "$stack" "$status" >&2
  printf '  next: %s\n' "fix what the messages above name (FILE:LINE:COL of a compose or stack file, a compose-pulumi:<key>, or services.<name>.<key> for a policy), then run \`npm run preview -- $stack\` again; README.md, Troubleshooting, lists the usual causes" >&2
fi
exit "$status"
