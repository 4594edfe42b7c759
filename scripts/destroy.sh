#!/usr/bin/env bash
# npm run destroy -- [stack] [pulumi destroy options]: removes everything a stack deployed
# (default: dev, what `npm start` created). The stack's history stays in the backend.
set -euo pipefail
. "$(dirname "$0")/lib/log.sh"
. "$(dirname "$0")/lib/paths.sh"
. "$(dirname "$0")/lib/stack-env.sh"
stack=dev
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
  stack=$1
  shift
fi
[ -f "$STATE_DIR/env" ] && . "$STATE_DIR/env"
command -v pulumi >/dev/null || die "no pulumi CLI on PATH" "run \`npm run setup\`"
use_project_backend
use_stack_secrets "$stack" "$REPO_ROOT/stacks/Pulumi.$stack.yaml"
cd "$REPO_ROOT"
stack_exists "$stack" || die "no stack $stack in $PULUMI_BACKEND_URL" "nothing to destroy"
say "pulumi destroy of stack $stack"
exec pulumi destroy --yes --stack "$stack" "$@"
