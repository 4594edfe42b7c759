#!/usr/bin/env bash
# prod-ssh.sh: the runner's SSH set-up for a preview that reaches the prod managers.
# The project runs OpenSSH's `ssh` with its own flags (pinned host keys, the inventory's
# key file) and no -F, so ~/.ssh/config applies: a bastion is an ordinary ProxyJump.
#
# Read from the environment:
#   SSH_PRIVATE_KEY          the key prod's inventory names (privateKeyPath ~/.ssh/id_ed25519);
#                            written to that file, never printed
#   SSH_BASTION              optional: [user@]host[:port] of a jump host
#   SSH_BASTION_HOST_KEY     with SSH_BASTION: the bastion's known_hosts line(s),
#                            "host ssh-ed25519 AAAA...": the jump connection is checked
#                            against them (the managers' keys are pinned by the inventory)
set -euo pipefail
. "$(dirname "$0")/../lib/log.sh"

ssh_dir="$HOME/.ssh"
install -d -m 700 "$ssh_dir"
if [ -n "${SSH_PRIVATE_KEY:-}" ]; then
  (umask 077 && printf '%s\n' "$SSH_PRIVATE_KEY" >"$ssh_dir/id_ed25519")
  note "wrote the prod key to ~/.ssh/id_ed25519"
fi

[ -n "${SSH_BASTION:-}" ] || exit 0
[ -n "${SSH_BASTION_HOST_KEY:-}" ] ||
  die "PROD_SSH_BASTION is set without PROD_SSH_BASTION_HOST_KEY" \
    "set the variable PROD_SSH_BASTION_HOST_KEY to the bastion's known_hosts line (ssh-keyscan it from a trusted network, or read it on its console)"
bastion_host=${SSH_BASTION#*@}
bastion_host=${bastion_host%:*}
[[ $bastion_host =~ ^[A-Za-z0-9._-]+$ ]] || die "PROD_SSH_BASTION \"$SSH_BASTION\" is not [user@]host[:port]"
printf '%s\n' "$SSH_BASTION_HOST_KEY" >>"$ssh_dir/known_hosts"
# The jump connection is a separate ssh that does not get the project's -o flags: it is
# held to the same rules here (no prompt, known key only, the same key file).
{
  printf 'Host %s\n' "$bastion_host"
  printf '  BatchMode yes\n  StrictHostKeyChecking yes\n  IdentitiesOnly yes\n  IdentityFile ~/.ssh/id_ed25519\n'
  printf 'Host * !%s\n' "$bastion_host"
  printf '  ProxyJump %s\n' "$SSH_BASTION"
} >>"$ssh_dir/config"
chmod 600 "$ssh_dir/config" "$ssh_dir/known_hosts"
note "connections go through the bastion $SSH_BASTION (ProxyJump in ~/.ssh/config)"
