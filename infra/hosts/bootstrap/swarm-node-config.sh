# swarm-node-config: converges a node's labels, availability and role; run on a manager.
# Inputs: SWARM_NODE (required; node id, hostname or id prefix),
#   SWARM_NODE_LABELS (newline-separated key=value lines; empty means no labels),
#   SWARM_NODE_LABELS_MODE (exact: labels not listed are removed [default];
#     merge: labels not listed are kept),
#   SWARM_NODE_AVAILABILITY (active|pause|drain; unchanged when empty),
#   SWARM_NODE_ROLE (manager|worker; unchanged when empty).
# Result: {"changed":bool,"nodeId","hostname","role","availability","labels":{...}}.

require SWARM_NODE
mode=${SWARM_NODE_LABELS_MODE:-exact}
case $mode in exact | merge) ;; *) fail "SWARM_NODE_LABELS_MODE must be exact or merge, got '$mode'" ;; esac
case ${SWARM_NODE_AVAILABILITY:-} in '' | active | pause | drain) ;; *) fail "SWARM_NODE_AVAILABILITY must be active, pause or drain, got '$SWARM_NODE_AVAILABILITY'" ;; esac
case ${SWARM_NODE_ROLE:-} in '' | manager | worker) ;; *) fail "SWARM_NODE_ROLE must be manager or worker, got '$SWARM_NODE_ROLE'" ;; esac

labels_of() { $DOCKER node inspect --format '{{range $k, $v := .Spec.Labels}}{{$k}}={{$v}}{{"\n"}}{{end}}' "$NODE_ID"; }

desired=$(printf '%s\n' "${SWARM_NODE_LABELS:-}" | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' | grep -v '^$' || true)
keys=
while IFS= read -r line; do
  [ -n "$line" ] || continue
  case $line in *=*) ;; *) fail "label '$line' is not key=value" ;; esac
  key=${line%%=*}
  [ -n "$key" ] || fail "label '$line' has an empty key"
  case $key in *[!A-Za-z0-9._/-]*) fail "label key '$key' may only hold letters, digits, '.', '_', '/' and '-'" ;; esac
  case " $keys " in *" $key "*) fail "label key '$key' is given twice" ;; esac
  keys="$keys $key"
done <<LABELS
$desired
LABELS

# Inputs are all checked before the first change, so a bad one changes nothing.
require_manager
resolve_node "$SWARM_NODE"
[ -n "$NODE_ID" ] || fail "this swarm has no node '$SWARM_NODE'"

current=$(labels_of)
set --
while IFS= read -r line; do
  [ -n "$line" ] || continue
  printf '%s\n' "$current" | grep -q -x -F -- "$line" || set -- "$@" --label-add "$line"
done <<LABELS
$desired
LABELS
if [ "$mode" = exact ]; then
  while IFS= read -r line; do
    [ -n "$line" ] || continue
    key=${line%%=*}
    case " $keys " in *" $key "*) ;; *) set -- "$@" --label-rm "$key" ;; esac
  done <<LABELS
$current
LABELS
fi
if [ -n "${SWARM_NODE_AVAILABILITY:-}" ] &&
  [ "$($DOCKER node inspect --format '{{.Spec.Availability}}' "$NODE_ID")" != "$SWARM_NODE_AVAILABILITY" ]; then
  set -- "$@" --availability "$SWARM_NODE_AVAILABILITY"
fi

changed=false
if [ $# -gt 0 ]; then
  log "updating node $NODE_ID:$(printf ' %s' "$@")"
  $DOCKER node update "$@" "$NODE_ID" >&2 || fail "docker node update failed for node $NODE_ID"
  changed=true
fi

role=$($DOCKER node inspect --format '{{.Spec.Role}}' "$NODE_ID")
if [ -n "${SWARM_NODE_ROLE:-}" ] && [ "$role" != "$SWARM_NODE_ROLE" ]; then
  if [ "$SWARM_NODE_ROLE" = manager ]; then
    $DOCKER node promote "$NODE_ID" >&2 || fail "could not promote node $NODE_ID"
  else
    $DOCKER node demote "$NODE_ID" >&2 || fail "could not demote node $NODE_ID"
  fi
  changed=true
fi

labels_json=
while IFS= read -r line; do
  [ -n "$line" ] || continue
  labels_json="$labels_json${labels_json:+,}\"$(json_string "${line%%=*}")\":\"$(json_string "${line#*=}")\""
done <<LABELS
$(labels_of)
LABELS
# shellcheck disable=SC2046 # hostname, role and availability contain no spaces
set -- $($DOCKER node inspect --format '{{.Description.Hostname}} {{.Spec.Role}} {{.Spec.Availability}}' "$NODE_ID")
result changed b "$changed" nodeId s "$NODE_ID" hostname s "$1" role s "$2" availability s "$3" labels j "{$labels_json}"
