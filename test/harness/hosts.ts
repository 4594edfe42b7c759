// Test hosts as network namespaces on this machine (see up.sh / down.sh): each has its
// own address, hostname, sshd and dockerd; one registry on the bridge serves them all.
import { fileURLToPath } from "node:url";
import { run, runChecked } from "./process.ts";

export interface TestHost {
  name: string;
  address: string;
  port: number;
  user: string;
  netns: string;
  /** "ssh-ed25519 AAAA..." as pinned in the harness known_hosts file. */
  hostPublicKey: string;
  /** The host's first process (its sshd); its namespaces are the host's. */
  pid: number;
  stateDir: string;
  /** The host's daemon, reachable from this machine without SSH. */
  dockerHost: string;
}

export interface TestHosts {
  slot: number;
  stateDir: string;
  bridge: string;
  subnet: string;
  bridgeAddress: string;
  /** host:port of the registry every host's daemon trusts (--insecure-registry). */
  registry: string;
  privateKeyPath: string;
  knownHostsPath: string;
  sshConfigPath: string;
  createSeconds: number;
  hosts: TestHost[];
}

const harnessDir = fileURLToPath(new URL("./", import.meta.url));

export function harnessScript(name: string): string {
  return `${harnessDir}${name}`;
}

/**
 * Why the harness cannot run here, or undefined when it can. Installs missing tools
 * (sshd, dockerd, ...) through apt first, so the first call may take a while.
 */
export async function harnessUnavailableReason(): Promise<string | undefined> {
  if (process.platform !== "linux") return `network-namespace test hosts need Linux, not ${process.platform}`;
  if (process.getuid?.() !== 0) return "network-namespace test hosts need root";
  const deps = await run("bash", [harnessScript("install-deps.sh")], { timeoutMs: 900_000 });
  if (deps.code !== 0) {
    return `the test hosts' tools (sshd, dockerd, iptables, registry) could not be installed: ${deps.stderr.trim().split("\n").slice(-3).join(" / ")}`;
  }
  return undefined;
}

export interface CreateOptions {
  /** 0..7; by default the first free slot. */
  slot?: number;
  timeoutMs?: number;
  /** An htpasswd file (bcrypt entries): the slot's registry then needs a login, as a private registry does. */
  registryHtpasswd?: string;
}

/** Creates n hosts owned by this process: if it dies, the next creation reclaims them. */
export async function createTestHosts(n: number, options: CreateOptions = {}): Promise<TestHosts> {
  const args = [harnessScript("up.sh"), "--hosts", String(n), "--owner", String(process.pid)];
  if (options.slot !== undefined) args.push("--slot", String(options.slot));
  if (options.registryHtpasswd !== undefined) args.push("--registry-htpasswd", options.registryHtpasswd);
  const { stdout } = await runChecked("bash", args, { timeoutMs: options.timeoutMs ?? 300_000 });
  return JSON.parse(stdout.trim().split("\n").pop() ?? "") as TestHosts;
}

/** Stops the hosts' processes and removes everything the harness added. Idempotent. */
export async function destroyTestHosts(hosts: TestHosts | number): Promise<void> {
  const slot = typeof hosts === "number" ? hosts : hosts.slot;
  await runChecked("bash", [harnessScript("down.sh"), "--slot", String(slot)], { timeoutMs: 180_000 });
}
