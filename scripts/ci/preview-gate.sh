#!/usr/bin/env bash
# preview-gate.sh STACK: whether the pull-request workflow previews STACK in this job.
# Writes `run=true` or `run=false` to $GITHUB_OUTPUT; a skip names its reason in the job
# summary ($GITHUB_STEP_SUMMARY) and as a notice on the check, so a skipped preview is
# never mistaken for a passed one. A stack that should run but lacks its passphrase
# fails the job: that is a repository setting to fix, not a reason to skip.
#
# Read from the environment (the workflow sets them; none holds a secret's value):
#   FORK           "true" for a pull request from a fork (no secrets, read-only token)
#   HAS_PASSPHRASE "true" when the stack's PULUMI_CONFIG_PASSPHRASE_<STACK> secret is set
#   HAS_SSH_KEY    "true" when SSH_PRIVATE_KEY_PROD is set
#   PROD_RUNNER    vars.PROD_PREVIEW_RUNNER, the label of a self-hosted runner, or empty
set -euo pipefail

stack=${1:?usage: preview-gate.sh STACK}
upper=$(printf '%s' "$stack" | tr '[:lower:]-' '[:upper:]_')
output=${GITHUB_OUTPUT:-/dev/stdout}
summary=${GITHUB_STEP_SUMMARY:-/dev/stderr}

skip() {
  printf '### `%s` preview skipped\n\n%s\n' "$stack" "$1" >>"$summary"
  # A workflow command: GitHub shows it as a notice on the run and the pull request's checks.
  printf '::notice title=%s preview skipped::%s\n' "$stack" "$1"
  printf 'run=false\n' >>"$output"
  exit 0
}

# The dev stack holds no secret (its passphrase is public): it runs for every pull request.
if [ "$stack" != dev ]; then
  if [ "${FORK:-false}" = true ]; then
    skip "Pull requests from forks get no repository secrets and a read-only token, so stack $stack's passphrase and secrets are not available here. The preview runs once the change is on a branch of this repository."
  fi
  if [ "${HAS_PASSPHRASE:-false}" != true ]; then
    printf '::error title=%s preview::the repository secret PULUMI_CONFIG_PASSPHRASE_%s is not set (README.md, "Pull-request previews and policies")\n' "$stack" "$upper"
    printf '### `%s` preview failed\n\nThe repository secret `PULUMI_CONFIG_PASSPHRASE_%s` is not set.\n' "$stack" "$upper" >>"$summary"
    exit 1
  fi
fi
if [ "$stack" = prod ] && [ -z "${PROD_RUNNER:-}" ] && [ "${HAS_SSH_KEY:-false}" != true ]; then
  skip "The prod preview reaches a swarm manager over SSH, and neither the variable PROD_PREVIEW_RUNNER (a self-hosted runner inside the network) nor the secret SSH_PRIVATE_KEY_PROD (with the variables PROD_SSH_BASTION and PROD_SSH_BASTION_HOST_KEY for a bastion) is set. README.md, \"Pull-request previews and policies\", says how."
fi
printf 'run=true\n' >>"$output"
