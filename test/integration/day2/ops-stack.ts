/**
 * What the drift, interrupted-run and bad-input tests share: a compose text written to a
 * temporary project directory and deployed with ComposeProject through an inline stack on
 * a file:// backend, the docker CLI as JSON lines, and the stack's state as a comparable
 * list of resources.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import * as docker from "@pulumi/docker";
import type { EngineEvent, Stack } from "@pulumi/pulumi/automation/index.js";
import { loadProject } from "../../../infra/compose/load.ts";
import { ComposeProject } from "../../../components/compose-project.ts";
import type { Target } from "../../../infra/graph/targets/target.ts";
import { inlineStack } from "../pulumi-toolchain.ts";

const exec = promisify(execFile);

/** `docker -H host <args> --format '{{json .}}'`, one object per line. */
export async function dockerJson(env: NodeJS.ProcessEnv, host: string, args: string[]): Promise<any[]> {
  const { stdout } = await exec("docker", ["-H", host, ...args, "--format", "{{json .}}"], { env, maxBuffer: 16 * 1024 * 1024 });
  return stdout.split("\n").filter((line) => line.trim() !== "").map((line) => JSON.parse(line));
}

export async function dockerCli(env: NodeJS.ProcessEnv, host: string, args: string[]): Promise<string> {
  const { stdout } = await exec("docker", ["-H", host, ...args], { env, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

/** Names of everything a project put on an engine, by kind, as the docker CLI lists them. */
export interface EngineObjects {
  containers: string[];
  services: string[];
  networks: string[];
  secrets: string[];
  volumes: string[];
}

/**
 * Every container, service, network, secret and volume whose name starts with the project
 * name or that carries one of the project labels, so that an object created without its
 * labels (or with the wrong ones) still counts.
 */
export async function engineObjects(env: NodeJS.ProcessEnv, host: string, project: string): Promise<EngineObjects> {
  const swarm = (await dockerCli(env, host, ["info", "--format", "{{.Swarm.LocalNodeState}}"])).trim() === "active";
  const mine = (name: string, labels: string) =>
    name.startsWith(`${project}_`) || name.startsWith(`${project}-`) ||
    labels.includes(`com.docker.stack.namespace=${project}`) || labels.includes(`com.docker.compose.project=${project}`);
  const list = async (args: string[], nameKey: string) =>
    (await dockerJson(env, host, args)).filter((o) => mine(String(o[nameKey]), String(o.Labels ?? ""))).map((o) => String(o[nameKey])).sort();
  return {
    containers: await list(["ps", "-a"], "Names"),
    services: swarm ? await list(["service", "ls"], "Name") : [],
    networks: await list(["network", "ls"], "Name"),
    secrets: swarm ? await list(["secret", "ls"], "Name") : [],
    volumes: await list(["volume", "ls"], "Name"),
  };
}

/** A temporary directory holding compose.yaml and whatever other files a case needs. */
export async function projectDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "cp-day2-ops-"));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

export async function rewrite(dir: string, name: string, text: string): Promise<void> {
  await writeFile(join(dir, name), text);
}

export interface ComposeStackOptions {
  env: NodeJS.ProcessEnv;
  backendDir: string;
  stackName: string;
  projectName: string;
  /** The directory holding compose.yaml; read again on every run, so tests can edit it. */
  dir: string;
  target: Target;
  dockerHost: string;
  insecureRegistries?: string[];
  environment?: Record<string, string>;
}

/** An inline stack whose program loads `<dir>/compose.yaml` afresh on each run and deploys it. */
export function composeStack(options: ComposeStackOptions): Promise<Stack> {
  return inlineStack(options.env, options.backendDir, "compose-pulumi-day2-ops", options.stackName, async () => {
    const project = loadProject({
      files: [join(options.dir, "compose.yaml")],
      projectName: options.projectName,
      environment: options.environment ?? {},
    });
    const provider = new docker.Provider("target", { host: options.dockerHost });
    const app = new ComposeProject(options.projectName, {
      project,
      target: options.target,
      provider,
      insecureRegistries: options.insecureRegistries,
      environment: options.environment ?? {},
    });
    await app.ready;
  });
}

/** The resources of the stack's last checkpoint, without the fields every run rewrites. */
export async function stateResources(stack: Stack): Promise<{ resources: unknown[]; pending: unknown[] }> {
  const deployment = (await stack.exportStack()).deployment as { resources?: Record<string, unknown>[]; pending_operations?: unknown[] };
  const resources = (deployment.resources ?? []).map(({ created: _c, modified: _m, ...rest }) => rest);
  return { resources, pending: deployment.pending_operations ?? [] };
}

export interface StepRecord {
  op: string;
  urn: string;
  type: string;
  diffs: string[];
  detailedDiff: Record<string, { diffKind: string; inputDiff?: boolean }>;
}

/** Records the engine's planned or applied steps (resourcePreEvent) of one operation. */
export function stepRecorder(): { onEvent: (event: EngineEvent) => void; steps: StepRecord[] } {
  const steps: StepRecord[] = [];
  return {
    steps,
    onEvent: (event) => {
      const metadata = event.resourcePreEvent?.metadata;
      if (metadata === undefined) return;
      steps.push({
        op: metadata.op,
        urn: metadata.urn,
        type: metadata.type,
        diffs: metadata.diffs ?? [],
        detailedDiff: (metadata.detailedDiff ?? {}) as unknown as StepRecord["detailedDiff"],
      });
    },
  };
}

export async function removeDir(dir: string | undefined): Promise<void> {
  if (dir) await rm(dir, { recursive: true, force: true });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
