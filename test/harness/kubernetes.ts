// The Kubernetes test cluster of scripts/k8s-up.sh (netns test hosts as nodes, control
// plane on node1) as tests use it: start, stop, kubectl, and the hosts it runs on.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { TestHosts } from "./hosts.ts";
import { run, runChecked, type RunResult } from "./process.ts";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

export interface TestCluster {
  kubeconfig: string;
  /** https://<node1 address>:6443 */
  apiServer: string;
  /** host:port of the registry every node pulls from. */
  registry: string;
  binDir: string;
  /** The netns test hosts the nodes run on (node1..nodeN). */
  hosts: TestHosts;
}

/** The k8s.io/kubernetes version the build pins (scripts/toolchain/kubernetes/go.mod). */
export async function pinnedKubernetesVersion(): Promise<string> {
  const goMod = await readFile(`${repoRoot}scripts/toolchain/kubernetes/go.mod`, "utf8");
  const match = /^require k8s\.io\/kubernetes (v\d+\.\d+\.\d+)$/m.exec(goMod);
  if (!match) throw new Error("no k8s.io/kubernetes requirement in scripts/toolchain/kubernetes/go.mod");
  return match[1];
}

/** Why the cluster cannot be built here, or undefined when it can (k8s-build.sh finds Go as below). */
export async function clusterUnavailableReason(): Promise<string | undefined> {
  const go = await run("bash", ["-c", "command -v go || test -x /usr/local/go/bin/go"]);
  if (go.code === 0) return undefined;
  const cache = "${COMPOSE_PULUMI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/compose-pulumi}/toolchain";
  const cached = await run("bash", ["-c", `ls "${cache}"/kubernetes-v*/kubectl "${cache}"/coredns-v*/coredns "${cache}"/local-path-provisioner-v*/local-path-provisioner`]);
  return cached.code === 0
    ? undefined
    : "the Kubernetes, CoreDNS and local-path-provisioner binaries are not cached and there is no Go toolchain to build them";
}

function parseEnv(text: string): Record<string, string> {
  return Object.fromEntries(text.split("\n").filter((l) => l.includes("=")).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
}

/**
 * Whether a cluster of scripts/k8s-up.sh is up already (its API server answers): a test
 * that finds one running may leave it running for whoever started it.
 */
export async function testClusterRunning(): Promise<boolean> {
  let vars: Record<string, string>;
  try {
    vars = parseEnv(await readFile(`${repoRoot}.state/kubernetes/cluster.env`, "utf8"));
  } catch {
    return false;
  }
  if (!vars.BIN_DIR || !vars.KUBECONFIG_PATH) return false;
  const ready = await run(`${vars.BIN_DIR}/kubectl`, ["--kubeconfig", vars.KUBECONFIG_PATH, "get", "--raw", "/readyz"], { timeoutMs: 20_000 })
    .catch(() => undefined);
  return ready?.code === 0;
}

/** Starts (or reuses) the cluster with scripts/k8s-up.sh. A cold build takes a long while. */
export async function startTestCluster(nodes = 2, timeoutMs = 3_600_000): Promise<TestCluster> {
  await runChecked("bash", [`${repoRoot}scripts/k8s-up.sh`, "--nodes", String(nodes)], { timeoutMs });
  const vars = parseEnv(await readFile(`${repoRoot}.state/kubernetes/cluster.env`, "utf8"));
  return {
    kubeconfig: vars.KUBECONFIG_PATH,
    apiServer: vars.API_SERVER,
    registry: vars.REGISTRY,
    binDir: vars.BIN_DIR,
    hosts: JSON.parse(await readFile(vars.HOSTS_JSON, "utf8")) as TestHosts,
  };
}

/** Stops the cluster and its test hosts (scripts/k8s-down.sh). Idempotent. */
export async function stopTestCluster(): Promise<void> {
  await runChecked("bash", [`${repoRoot}scripts/k8s-down.sh`], { timeoutMs: 300_000 });
}

export function kubectl(cluster: TestCluster, args: string[], input?: string, timeoutMs = 120_000): Promise<RunResult> {
  return runChecked(`${cluster.binDir}/kubectl`, ["--kubeconfig", cluster.kubeconfig, ...args], { input, timeoutMs });
}

/** `kubectl ... -o json`, parsed. */
export async function kubectlJson<T>(cluster: TestCluster, args: string[]): Promise<T> {
  return JSON.parse((await kubectl(cluster, [...args, "-o", "json"])).stdout) as T;
}
