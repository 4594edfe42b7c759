/**
 * The local shell commands behind each swarm bootstrap step: which host a bootstrap
 * script runs on, and, for the removal of a node, the order drain -> leave -> node rm
 * with the decisions a person would take (find a manager that answers; a host that is
 * gone is removed with --force; the last manager leaving ends the swarm; a manager is
 * never made to leave while other managers exist but none of them answers).
 *
 * Every command begins with sshPrelude: target 0 is the host named first, and so on.
 */
import { bootstrapScript, shellQuote } from "./bootstrap/index.ts";
import { remoteStdinScriptCommand, sshPrelude, type SshTarget } from "./ssh.ts";

/** Runs the script on stdin on targets[index] (after waiting for SSH to answer). */
export function scriptOnTargetCommand(targets: readonly SshTarget[], index: number, readyCommand?: string): string {
  if (index === 0) return remoteStdinScriptCommand(targets, readyCommand);
  const body = [`wait_ssh_${index}`];
  if (readyCommand !== undefined) body.push(`ssh_${index} ${shellQuote(readyCommand)} </dev/null >&2`);
  body.push(`ssh_${index} 'sh -s'`);
  return `${sshPrelude(targets)}\n${body.join("\n")}\n`;
}

/** State of the local swarm node as `<LocalNodeState> <ControlAvailable> <Managers>`. */
export const SWARM_PROBE_COMMAND =
  "if docker info >/dev/null 2>&1; then d=docker; else d='sudo -n docker'; fi; " +
  "$d info --format '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}} {{.Swarm.Managers}}'";

export interface RemovalOptions {
  nodeId: string;
  /** Upper bound for waits inside the scripts, in seconds. */
  waitSeconds?: string;
}

/**
 * Removes targets[0] from its swarm. Targets 1.. are the managers that may stay, tried
 * in order; the first that answers as an active manager drains the node (demoting a
 * manager), the node leaves, and that manager removes it from the node list.
 */
export function nodeRemovalCommand(targets: readonly SshTarget[], options: RemovalOptions): string {
  const node = targets[0];
  const wait = options.waitSeconds !== undefined ? { BOOTSTRAP_WAIT_SECONDS: options.waitSeconds } : {};
  const script = (text: string) => shellQuote(text);
  const peers = targets.slice(1).map((_, index) => `ssh_${index + 1}`);
  const name = shellQuote(node.name);
  const lines = [
    sshPrelude(targets),
    `node=${name}`,
    `probe=${shellQuote(SWARM_PROBE_COMMAND)}`,
    `drain=${script(bootstrapScript("swarm-drain", { ...wait, SWARM_NODE: options.nodeId }))}`,
    `leave=${script(bootstrapScript("swarm-leave", { ...wait }))}`,
    `leave_last=${script(bootstrapScript("swarm-leave", { ...wait, SWARM_LEAVE_FORCE: "1" }))}`,
    `node_rm=${script(bootstrapScript("swarm-node-rm", { ...wait, SWARM_NODE: options.nodeId }))}`,
    `node_rm_gone=${script(bootstrapScript("swarm-node-rm", { ...wait, SWARM_NODE: options.nodeId, SWARM_NODE_RM_FORCE: "1" }))}`,
    "peer=",
    ...(peers.length === 0
      ? []
      : [
        `for p in ${peers.join(" ")}; do`,
        '  state=$("$p" "$probe" </dev/null 2>/dev/null || true)',
        '  case $state in "active true "*) peer=$p; break ;; esac',
        "done",
      ]),
    'if [ -n "$peer" ]; then',
    '  log "removing $node from the swarm: drain, leave, node rm"',
    "  printf '%s\\n' \"$drain\" | \"$peer\" 'sh -s' >/dev/null",
    "  if printf '%s\\n' \"$leave\" | ssh_0 'sh -s' >/dev/null; then",
    "    rm_script=$node_rm",
    "  else",
    "    rc=$?",
    '    [ "$rc" -eq 255 ] || exit "$rc"',
    '    log "$node does not answer over SSH; removing it from the node list without it leaving"',
    "    rm_script=$node_rm_gone",
    "  fi",
    "  printf '%s\\n' \"$rm_script\" | \"$peer\" 'sh -s' >/dev/null",
    "  exit 0",
    "fi",
    'if ! state=$(ssh_0 "$probe" </dev/null); then',
    '  log "neither $node nor any other manager answers over SSH; cannot remove $node from its swarm"',
    "  exit 1",
    "fi",
    "case $state in",
    '  inactive*) log "$node is in no swarm; nothing to remove" ;;',
    '  "active true 1")',
    '    log "$node is the last manager: the swarm ends with it"',
    "    printf '%s\\n' \"$leave_last\" | ssh_0 'sh -s' >/dev/null ;;",
    "  *)",
    '    log "no other manager of the swarm of $node answers over SSH (its state: $state); it is not removed without being drained and demoted first"',
    "    exit 1 ;;",
    "esac",
  ];
  return `${lines.join("\n")}\n`;
}

/** Records a host's public keys on first contact (ssh-keyscan), retrying while it boots. */
export function recordHostKeysCommand(address: string, port: number, timeoutSeconds: number): string {
  return [
    "set -eu",
    `deadline=$(( $(date +%s) + ${timeoutSeconds} ))`,
    "while :; do",
    `  keys=$(ssh-keyscan -T 10 -p ${port} ${shellQuote(address)} 2>/dev/null | grep -v '^#' | awk '{ print $2 " " $3 }' || true)`,
    '  if [ -n "$keys" ]; then printf \'%s\\n\' "$keys"; exit 0; fi',
    `  [ "$(date +%s)" -lt "$deadline" ] || { echo "swarm: ${address.replace(/[^A-Za-z0-9.:_-]/g, "")} presented no SSH host key within ${timeoutSeconds} s" >&2; exit 1; }`,
    "  sleep 3",
    "done",
    "",
  ].join("\n");
}

/** The keys printed by recordHostKeysCommand. */
export function parseRecordedHostKeys(stdout: string): string[] {
  return stdout.split("\n").map((line) => line.trim()).filter((line) => /^\S+ \S+$/.test(line));
}
