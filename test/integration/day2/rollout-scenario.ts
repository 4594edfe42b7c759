/**
 * The zero-downtime scenarios, shared by the integration tests (which assert) and the
 * benchmark (which prints): a rolling image update under client load, a rollout whose
 * healthcheck never passes and is rolled back, and a secret rotation under client load.
 * Each returns what it measured; none asserts.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Stack, UpResult } from "@pulumi/pulumi/automation/index.js";
import { contentHash, hashedObjectName } from "../../../infra/graph/naming.ts";
import { destroyTestHosts } from "../../harness/hosts.ts";
import { clientCounts, removeClientLoop, startClientLoop, waitForAnswers, type ClientCounts, type ClientLoop } from "./rollout-client.ts";
import { startRolloutCluster, type RolloutCluster } from "./rollout-cluster.ts";
import { webCompose, WEB_PORT } from "./rollout-compose.ts";
import {
  dockerJsonLines, dockerText, inspectService, removeDir, removeStackDir, rolloutStack, runningTasks, swarmUpdateSeconds, tempDir, timed, writeProjectFile,
} from "./rollout-stack.ts";

export const VERSIONS = ["v1", "v2", "v3"];

export interface RolloutRig {
  env: NodeJS.ProcessEnv;
  cluster: RolloutCluster;
  projectName: string;
  serviceName: string;
  dir: string;
  backendDir: string;
  stack: Stack;
  loop?: ClientLoop;
  /** Seconds of the first `pulumi up`. */
  firstUpSeconds: number;
}

/** Cluster, project directory, stack, first deploy of `firstCompose` and a client loop reaching `firstBody`. */
export async function startRig(env: NodeJS.ProcessEnv, projectName: string, firstCompose: (cluster: RolloutCluster) => string, files: Record<string, string> = {}): Promise<RolloutRig> {
  const cluster = await startRolloutCluster(VERSIONS);
  let dir: string | undefined;
  let backendDir: string | undefined;
  try {
    dir = await tempDir("cp-day2-rollout-");
    backendDir = await tempDir("cp-day2-rollout-backend-");
    for (const [name, text] of Object.entries(files)) await writeProjectFile(dir, name, text);
    await writeProjectFile(dir, "compose.yaml", firstCompose(cluster));
    const stack = await rolloutStack({
      env, backendDir, dir, stackName: projectName, projectName, dockerHost: cluster.manager.dockerHost, registry: cluster.hosts.registry,
    });
    const first = await timed(() => stack.up());
    if (first.result.summary.result !== "succeeded") throw new Error(`first up: ${first.result.summary.result}`);
    return { env, cluster, projectName, serviceName: `${projectName}_web`, dir, backendDir, stack, firstUpSeconds: first.seconds };
  } catch (error) {
    await removeDir(dir);
    await removeDir(backendDir);
    await destroyTestHosts(cluster.hosts).catch(() => undefined);
    throw error;
  }
}

export async function stopRig(rig: RolloutRig | undefined): Promise<void> {
  if (!rig) return;
  await removeClientLoop(rig.loop).catch(() => undefined);
  await rig.stack.destroy().catch(() => undefined);
  await rig.stack.workspace.removeStack(rig.stack.name).catch(() => undefined);
  await removeStackDir(rig.stack);
  await destroyTestHosts(rig.cluster.hosts).catch(() => undefined);
  await removeDir(rig.dir);
  await removeDir(rig.backendDir);
}

/** Starts the client loop (once per rig) and returns the log line to count from once `body` answers steadily. */
async function clientFrom(rig: RolloutRig, body: string): Promise<number> {
  rig.loop ??= await startClientLoop(rig.cluster.manager.dockerHost, {
    name: `${rig.projectName}-client`,
    network: `${rig.projectName}_default`,
    image: rig.cluster.busybox,
    service: "web",
    port: WEB_PORT,
    path: "/",
  });
  return waitForAnswers(rig.loop, body);
}

export interface ChangeUnderLoad {
  upSeconds: number;
  /** Swarm's own start-to-end of the service update, when it reports one. */
  swarmSeconds?: number;
  counts: ClientCounts;
  up?: UpResult;
  /** The `pulumi up` failure, when it failed. */
  error?: Error;
  service: any;
  tasks: any[];
}

/** Writes `compose` and runs `pulumi up` while the client loop requests the service. */
async function changeUnderLoad(rig: RolloutRig, answering: string, compose: string): Promise<ChangeUnderLoad> {
  const from = await clientFrom(rig, answering);
  await writeProjectFile(rig.dir, "compose.yaml", compose);
  const started = performance.now();
  let up: UpResult | undefined;
  let error: Error | undefined;
  try {
    up = await rig.stack.up();
  } catch (caught) {
    error = caught as Error;
  }
  const upSeconds = (performance.now() - started) / 1000;
  // A moment of traffic after the change, so a late failure would be counted too.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const counts = await clientCounts(rig.loop!, from);
  const service = await inspectService(rig.cluster.manager.dockerHost, rig.serviceName);
  const tasks = await runningTasks(rig.cluster.manager.dockerHost, rig.serviceName);
  return { upSeconds, swarmSeconds: swarmUpdateSeconds(service), counts, up, error, service, tasks };
}

export function rollingUpdate(rig: RolloutRig): Promise<ChangeUnderLoad> {
  return changeUnderLoad(rig, "v1", webCompose({ image: rig.cluster.web.v2, replicas: 4 }));
}

/** v3 whose healthcheck asks for a path the image does not serve: it never becomes healthy. */
export function failedRollout(rig: RolloutRig): Promise<ChangeUnderLoad> {
  return changeUnderLoad(rig, "v2", webCompose({ image: rig.cluster.web.v3, replicas: 4, healthPath: "/healthz" }));
}

/** The same v3 with its healthcheck fixed. */
export function fixedRollout(rig: RolloutRig): Promise<ChangeUnderLoad> {
  return changeUnderLoad(rig, "v2", webCompose({ image: rig.cluster.web.v3, replicas: 4 }));
}

/** The image a task or service spec runs, without the digest swarm pins. */
export function specImage(containerSpec: { Image?: string } | undefined): string {
  return (containerSpec?.Image ?? "").split("@")[0];
}

/** Writes `files` and `compose` and deploys them (no measurement, no client check). */
export async function deploy(rig: RolloutRig, compose: string, files: Record<string, string> = {}): Promise<void> {
  for (const [name, text] of Object.entries(files)) await writeProjectFile(rig.dir, name, text);
  await writeProjectFile(rig.dir, "compose.yaml", compose);
  await rig.stack.up();
}

export const SECRET = "api_key";

/** A fresh secret value; only its hash is ever shown. */
export function newSecretValue(): string {
  return randomBytes(24).toString("hex");
}

export function secretRotationCompose(cluster: RolloutCluster): string {
  return webCompose({ image: cluster.web.v1, replicas: 3, secret: SECRET });
}

export interface SecretRotation extends ChangeUnderLoad {
  oldName: string;
  newName: string;
  /** Secrets of this project on the swarm after the change. */
  secretNames: string[];
  /** Per running container: does /run/secrets/<SECRET> hold the new content (compared by hash)? */
  containersWithNewContent: number;
  containersChecked: number;
}

/** Names the project's secret gets for `value`, as the product names it. */
export function secretName(projectName: string, value: string): string {
  return hashedObjectName(`${projectName}_${SECRET}`, contentHash(Buffer.from(value)));
}

/** Rewrites the secret file with `newValue` and runs `pulumi up` under client load. */
export async function rotateSecret(rig: RolloutRig, oldValue: string, newValue: string): Promise<SecretRotation> {
  await writeProjectFile(rig.dir, `${SECRET}.txt`, newValue);
  const change = await changeUnderLoad(rig, "v1", secretRotationCompose(rig.cluster));
  const manager = rig.cluster.manager.dockerHost;
  const secretNames = (await dockerJsonLines(manager, ["secret", "ls"]))
    .map((secret) => secret.Name as string)
    .filter((name) => name.startsWith(`${rig.projectName}_`))
    .sort();
  const wanted = createHash("sha256").update(newValue).digest("hex");
  let checked = 0;
  let matching = 0;
  for (const host of rig.cluster.hosts.hosts) {
    const ids = (await dockerText(host.dockerHost, ["ps", "-q", "--filter", `label=com.docker.swarm.service.name=${rig.serviceName}`])).split("\n").filter(Boolean);
    for (const id of ids) {
      checked++;
      const sum = await dockerText(host.dockerHost, ["exec", id, "sha256sum", `/run/secrets/${SECRET}`]).catch(() => "");
      if (sum.split(/\s+/)[0] === wanted) matching++;
    }
  }
  return {
    ...change,
    oldName: secretName(rig.projectName, oldValue),
    newName: secretName(rig.projectName, newValue),
    secretNames,
    containersWithNewContent: matching,
    containersChecked: checked,
  };
}

/** `failed/total` as printed. */
export function failedOfTotal(counts: ClientCounts): string {
  return `${counts.failed}/${counts.total}`;
}
