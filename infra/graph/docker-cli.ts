/**
 * Running the docker CLI against the provider's daemon, for the steps the docker provider
 * cannot express (one-shot jobs, looking up external objects, following a rollout).
 *
 * A cluster's provider reaches its manager as `ssh://user@host:port` with ssh flags
 * (pinned known_hosts, key file) that the docker provider passes to ssh itself. The docker
 * CLI has no such setting: it runs `ssh` from PATH. So with ssh flags, `ssh` on the
 * CLI's PATH is a two-line wrapper that adds them; the wrapper's folder is named by a
 * hash of the flags and holds no secret (flags name a key file, never a key).
 */
import { createHash } from "node:crypto";
import { access, mkdir, rename, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { shellJoin } from "./shell.ts";

/** The variable that carries the ssh flags, shell-quoted, to the scripts. */
export const SSH_OPTIONS_VARIABLE = "COMPOSE_PULUMI_SSH_OPTIONS";

/** Environment for a docker CLI process: DOCKER_HOST when the provider names a host, and its ssh flags. */
export function dockerCliEnvironment(dockerHost: string | undefined, sshOptions: readonly string[] = []): Record<string, string> {
  if (dockerHost === undefined || dockerHost === "") return {};
  const env: Record<string, string> = { DOCKER_HOST: dockerHost };
  if (dockerHost.startsWith("ssh://") && sshOptions.length > 0) env[SSH_OPTIONS_VARIABLE] = shellJoin(sshOptions);
  return env;
}

/**
 * Shell lines that put the ssh wrapper first on PATH when the flags variable is set; a
 * script that runs the docker CLI starts with them. Nothing happens without the variable.
 */
export const SSH_WRAPPER_PRELUDE = [
  `if [ -n "\${${SSH_OPTIONS_VARIABLE}-}" ]; then`,
  `  cp_ssh_dir="\${TMPDIR:-/tmp}/compose-pulumi-ssh-$(id -u)/$(printf '%s' "$${SSH_OPTIONS_VARIABLE}" | cksum | cut -d' ' -f1)"`,
  `  if [ ! -x "$cp_ssh_dir/ssh" ]; then`,
  `    cp_real_ssh=$(command -v ssh)`,
  `    mkdir -p "$cp_ssh_dir" && chmod 700 "$cp_ssh_dir"`,
  `    printf '#!/bin/sh\\nexec %s %s "$@"\\n' "$cp_real_ssh" "$${SSH_OPTIONS_VARIABLE}" > "$cp_ssh_dir/ssh.$$"`,
  `    chmod 700 "$cp_ssh_dir/ssh.$$" && mv "$cp_ssh_dir/ssh.$$" "$cp_ssh_dir/ssh"`,
  `  fi`,
  `  PATH="$cp_ssh_dir:$PATH"; export PATH`,
  `fi`,
].join("\n");

/** `script` preceded by the wrapper prelude when the CLI will need ssh flags. */
export function withSshWrapper(script: string, sshOptions: readonly string[] | undefined): string {
  return sshOptions !== undefined && sshOptions.length > 0 ? `${SSH_WRAPPER_PRELUDE}\n${script}` : script;
}

/** The same for a docker CLI process started from this program: its environment with the wrapper on PATH. */
export async function dockerCliProcessEnvironment(
  base: NodeJS.ProcessEnv,
  dockerHost: string | undefined,
  sshOptions: readonly string[] = [],
): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = { ...base, ...dockerCliEnvironment(dockerHost, sshOptions) };
  const flags = env[SSH_OPTIONS_VARIABLE];
  if (flags === undefined) return env;
  const dir = join(tmpdir(), `compose-pulumi-ssh-${process.getuid?.() ?? 0}`, createHash("sha256").update(flags).digest("hex").slice(0, 16));
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const partial = join(dir, `ssh.${process.pid}`);
  await writeFile(partial, `#!/bin/sh\nexec ${await realSsh(base)} ${flags} "$@"\n`, { mode: 0o700 });
  await rename(partial, join(dir, "ssh"));
  return { ...env, PATH: `${dir}:${base.PATH ?? ""}` };
}

/** The ssh binary the wrapper calls: the first on the caller's PATH. */
async function realSsh(base: NodeJS.ProcessEnv): Promise<string> {
  for (const dir of (base.PATH ?? "/usr/bin:/bin").split(":")) {
    if (dir === "" || dir.includes("compose-pulumi-ssh-")) continue;
    const candidate = join(dir, "ssh");
    if (await access(candidate).then(() => true, () => false)) return candidate;
  }
  return "ssh";
}

/**
 * What to do next when a docker CLI step could not reach an ssh host: without the
 * provider's ssh flags the CLI uses the user's own ssh set-up, which does not know a
 * cluster's pinned host keys or key file. Empty when the flags were given or the host is not ssh.
 */
export function missingSshOptionsHint(dockerHost: string | undefined, sshOptions: readonly string[] | undefined, message: string): string {
  if (!dockerHost?.startsWith("ssh://") || (sshOptions?.length ?? 0) > 0) return "";
  if (!/Host key verification failed|Permission denied \(publickey/.test(message)) return "";
  return ` (the docker CLI reached ${dockerHost} without the provider's ssh flags: give ComposeProject dockerSshOptions, e.g. SwarmCluster.dockerSshOptions)`;
}
