#!/usr/bin/env bash
# npm run destroy -- [stack] [pulumi destroy options]: removes everything a stack deployed
# (default: dev, what `npm start` created). The stack's history stays in the backend.
set -euo pipefail
. "$(dirname "$0")/lib/log.sh"
. "$(dirname "$0")/lib/paths.sh"
stack=dev
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
  stack=$1
  shift
fi
[ -f "$STATE_DIR/env" ] && . "$STATE_DIR/env"
command -v pulumi >/dev/null || die "no pulumi CLI on PATH" "run \`npm run setup\`"
cd "$REPO_ROOT"
pulumi stack select "$stack" >/dev/null 2>&1 || die "no stack $stack in ${PULUMI_BACKEND_URL:-the current backend}" "nothing to destroy"
say "pulumi destroy of stack $stack"
exec pulumi destroy --yes --stack "$stack" "$@"
