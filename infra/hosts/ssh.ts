/**
 * SSH with pinned host keys, as shell text for `command.local.Command` and as flags for
 * the docker provider's `ssh://` transport.
 *
 * @pulumi/command's own remote.Command connects with Go's ssh.InsecureIgnoreHostKey and
 * has no setting for a known key, so it would trust any machine answering on the
 * address. OpenSSH is used instead, with the keys from the inventory supplied inline
 * (KnownHostsCommand printing them under a HostKeyAlias) and every other source of
 * known hosts switched off: a host that presents another key is refused, and nothing
 * is ever written to the user's known_hosts.
 */
import { shellQuote } from "./bootstrap/index.ts";

export type SshTargetAuth =
  | { kind: "keyFile"; path: string }
  /** The key's text is in this environment variable of the local command (a secret). */
  | { kind: "key"; envVar: string }
  | { kind: "agent" };

export interface SshTarget {
  /** Names the host in messages and in the pinned known_hosts entries. */
  name: string;
  address: string;
  port: number;
  user: string;
  auth: SshTargetAuth;
  /** Accepted public keys, `type base64` (a trailing comment is ignored). */
  hostKeys: readonly string[];
  /** How long to keep retrying the first connection, in seconds. */
  connectTimeoutSeconds: number;
}

/** Absolute path: OpenSSH runs a KnownHostsCommand without a shell and without PATH. */
const PRINTF = "/usr/bin/printf";

/** The pinned keys as known_hosts lines for the host's alias. */
export function knownHostsLines(target: Pick<SshTarget, "name" | "hostKeys">): string[] {
  return target.hostKeys.map((key) => {
    const [type, blob] = key.trim().split(/\s+/);
    if (!type || !blob || !/^[A-Za-z0-9@.-]+$/.test(type) || !/^[A-Za-z0-9+/]+={0,2}$/.test(blob)) {
      throw new Error(`host ${target.name}: "${key.slice(0, 40)}" is not a public key of the form "type base64"`);
    }
    return `${target.name} ${type} ${blob}`;
  });
}

/**
 * OpenSSH options that accept exactly the pinned keys. In KnownHostsCommand `%%` is a
 * literal `%` (ssh expands % tokens) and the lines are quoted for ssh's own word splitting.
 */
export function pinnedHostKeyOptions(target: Pick<SshTarget, "name" | "hostKeys">): string[] {
  const lines = knownHostsLines(target);
  if (lines.length === 0) throw new Error(`host ${target.name}: no host key to pin`);
  return [
    "-o", "StrictHostKeyChecking=yes",
    "-o", "UserKnownHostsFile=/dev/null",
    "-o", "GlobalKnownHostsFile=/dev/null",
    "-o", "CheckHostIP=no",
    "-o", `HostKeyAlias=${target.name}`,
    "-o", `KnownHostsCommand=${PRINTF} %%s\\n ${lines.map((line) => `'${line}'`).join(" ")}`,
  ];
}

function authOptions(auth: SshTargetAuth, keyFile: string | undefined): string[] {
  switch (auth.kind) {
    case "keyFile":
      return ["-o", "IdentitiesOnly=yes", "-i", auth.path];
    case "key":
      if (keyFile === undefined) throw new Error("a key given as text needs a file to be written to first");
      return ["-o", "IdentitiesOnly=yes", "-i", keyFile];
    case "agent":
      return [];
  }
}

/** Every ssh flag before the destination. */
export function sshOptions(target: SshTarget, keyFile?: string): string[] {
  return [
    "-o", "BatchMode=yes",
    ...pinnedHostKeyOptions(target),
    "-o", "ConnectTimeout=10",
    "-o", "ServerAliveInterval=15",
    "-o", "ServerAliveCountMax=4",
    "-o", "LogLevel=ERROR",
    ...authOptions(target.auth, keyFile),
    "-p", String(target.port),
    "-l", target.user,
  ];
}

/** `ssh://user@host:port` for the docker provider (IPv6 addresses in brackets). */
export function dockerSshHost(target: Pick<SshTarget, "address" | "port" | "user">): string {
  const host = target.address.includes(":") && !target.address.startsWith("[") ? `[${target.address}]` : target.address;
  return `ssh://${target.user}@${host}:${target.port}`;
}

/** Flags the docker provider passes to ssh (`sshOpts`); it needs a key file or an agent. */
export function dockerSshOptions(target: SshTarget): string[] {
  if (target.auth.kind === "key") {
    throw new Error(
      `host ${target.name}: the docker provider reaches a manager through the ssh command, which reads keys from files: ` +
        "give this host privateKeyPath or agent: true instead of privateKey",
    );
  }
  return [
    "-o", "BatchMode=yes",
    ...pinnedHostKeyOptions(target),
    "-o", "ConnectTimeout=30",
    "-o", "ServerAliveInterval=15",
    "-o", "LogLevel=ERROR",
    ...authOptions(target.auth, undefined),
  ];
}

/**
 * Shell prelude defining `ssh_<i>` (runs ssh on target i with the arguments given) and
 * `wait_ssh_<i>` (retries logging in until the target's connect timeout, stopping at once
 * on a refused host key or credentials). Keys given as text are written to a private
 * temporary directory removed on exit.
 */
export function sshPrelude(targets: readonly SshTarget[]): string {
  const lines = ["set -eu", "log() { printf 'swarm: %s\\n' \"$*\" >&2; }"];
  const needsKeyDir = targets.some((target) => target.auth.kind === "key");
  if (needsKeyDir) {
    lines.push(
      "umask 077",
      'ssh_keys=$(mktemp -d)',
      "trap 'rm -rf \"$ssh_keys\"' EXIT",
      "trap 'exit 129' HUP",
      "trap 'exit 130' INT",
      "trap 'exit 143' TERM",
    );
  }
  lines.push(
    "wait_ssh() {",
    '  _fn=$1 _name=$2 _deadline=$(( $(date +%s) + $3 ))',
    "  while :; do",
    '    if _err=$("$_fn" true </dev/null 2>&1 >/dev/null); then return 0; fi',
    '    case $_err in',
    '      *"Host key verification failed"* | *"IDENTIFICATION HAS CHANGED"* | *"Permission denied"*)',
    '        printf \'%s\\n\' "$_err" >&2',
    '        log "refusing $_name: its host key or our credentials were not accepted"',
    "        return 1 ;;",
    "    esac",
    '    if [ "$(date +%s)" -ge "$_deadline" ]; then',
    '      printf \'%s\\n\' "$_err" >&2',
    '      log "cannot reach $_name over SSH after $3 s"',
    "      return 1",
    "    fi",
    "    sleep 3",
    "  done",
    "}",
  );
  targets.forEach((target, index) => {
    let keyFile: string | undefined;
    if (target.auth.kind === "key") {
      keyFile = `$ssh_keys/${index}`;
      lines.push(`printf '%s\\n' "\${${target.auth.envVar}}" >"$ssh_keys/${index}"`);
    }
    const args = sshOptions(target, keyFile).map((arg) => (arg === keyFile ? `"${keyFile}"` : shellQuote(arg)));
    lines.push(`ssh_${index}() { ssh ${args.join(" ")} -- ${shellQuote(target.address)} "$@"; }`);
    lines.push(`wait_ssh_${index}() { wait_ssh ssh_${index} ${shellQuote(target.name)} ${target.connectTimeoutSeconds}; }`);
  });
  return lines.join("\n");
}

/**
 * Runs the script arriving on stdin on target 0 (`sh -s`), after an optional readiness
 * command; the script's stdout (its one-line JSON result) is the command's stdout.
 */
export function remoteStdinScriptCommand(targets: readonly SshTarget[], readyCommand?: string): string {
  const body = ["wait_ssh_0"];
  if (readyCommand !== undefined) body.push(`ssh_0 ${shellQuote(readyCommand)} </dev/null >&2`);
  body.push("ssh_0 'sh -s'");
  return `${sshPrelude(targets)}\n${body.join("\n")}\n`;
}
