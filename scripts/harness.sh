#!/usr/bin/env bash
# Test hosts by hand (see test/harness/README.md).
#   scripts/harness.sh up [N]            create N hosts (default 5) in the first free slot
#   scripts/harness.sh down SLOT|--stale|--all   tear down a slot, the abandoned ones, or all
#   scripts/harness.sh ssh SLOT HOST [COMMAND...]   e.g. ssh 0 node1 docker node ls
#   scripts/harness.sh status            list claimed slots and their hosts
set -euo pipefail
cd "$(dirname "$0")/.."
harness=test/harness

case ${1:-} in
  up) exec bash "$harness/up.sh" --hosts "${2:-5}" ;;
  down)
    case ${2:-} in --all | --stale) exec bash "$harness/down.sh" "$2" ;; esac
    exec bash "$harness/down.sh" --slot "${2:?usage: harness.sh down SLOT|--stale|--all}" ;;
  ssh)
    slot=${2:?usage: harness.sh ssh SLOT HOST [COMMAND...]}
    host=${3:?usage: harness.sh ssh SLOT HOST [COMMAND...]}
    shift 3
    state=$(cat "/run/cpharness/slot-$slot/statedir")
    addr=$(awk -v h="$host" '$2 == h { print $1 }' "$state/etc-hosts")
    [ -n "$addr" ] || { echo "harness: no host $host in slot $slot" >&2; exit 1; }
    exec ssh -F "$state/ssh_config" "$addr" "$@" ;;
  status)
    for claim in /run/cpharness/slot-*; do
      [ -d "$claim" ] || continue
      state=$(cat "$claim/statedir" 2>/dev/null || echo '?')
      echo "${claim##*/}: owner $(cat "$claim/owner" 2>/dev/null || echo '?'), state $state"
      [ -f "$state/etc-hosts" ] && awk '$2 ~ /^node/ { print "  " $2 " " $1 }' "$state/etc-hosts"
    done ;;
  *) sed -n '2,6p' "$0" >&2; exit 2 ;;
esac
