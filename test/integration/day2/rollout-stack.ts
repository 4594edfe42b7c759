/**
 * The stack the rollout tests deploy: rollout-program.ts, run by the pulumi CLI, loads
 * `<dir>/compose.yaml` afresh on every run (so a test edits the file between runs, as a
 * user would) and deploys it with ComposeProject on the test swarm; plus the docker CLI
 * reads the tests check the swarm with.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation/index.js";
import { repoRoot } from "../pulumi-toolchain.ts";
import { runChecked } from "../../harness/process.ts";

export interface RolloutStackOptions {
  env: NodeJS.ProcessEnv;
  backendDir: string;
  stackName: string;
  projectName: string;
  /** Holds compose.yaml and its files; read afresh on every run. */
  dir: string;
  dockerHost: string;
  registry: string;
}

const programPath = join(import.meta.dirname, "rollout-program.ts");

/**
 * A stack running rollout-program.ts through the pulumi CLI in its own process. Its
 * project directory lies inside the checkout (under .state) so that the program finds
 * tsx and the packages in the checkout's node_modules.
 */
export async function rolloutStack(options: RolloutStackOptions): Promise<Stack> {
  const workDir = join(repoRoot, ".state", "day2-rollout", options.stackName);
  await mkdir(workDir, { recursive: true });
  await writeFile(
    join(workDir, "Pulumi.yaml"),
    [
      "name: compose-pulumi-day2-rollout",
      "runtime:",
      "  name: nodejs",
      "  options:",
      "    typescript: false",
      `main: ${relative(workDir, programPath)}`,
      "",
    ].join("\n"),
  );
  const envVars: Record<string, string> = {
    PULUMI_BACKEND_URL: `file://${options.backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: "rollout-integration-only",
    ROLLOUT_PROJECT: options.projectName,
    ROLLOUT_DIR: options.dir,
    ROLLOUT_DOCKER_HOST: options.dockerHost,
    ROLLOUT_REGISTRY: options.registry,
  };
  for (const key of ["PATH", "PULUMI_HOME", "PULUMI_SKIP_UPDATE_CHECK", "HOME"]) {
    if (options.env[key]) envVars[key] = options.env[key] as string;
  }
  return LocalWorkspace.createOrSelectStack({ stackName: options.stackName, workDir }, { envVars, secretsProvider: "passphrase" });
}

/** Removes the stack's project directory (rolloutStack's workDir). */
export async function removeStackDir(stack: Stack | undefined): Promise<void> {
  if (stack) await rm(stack.workspace.workDir, { recursive: true, force: true });
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function writeProjectFile(dir: string, name: string, text: string): Promise<void> {
  await writeFile(join(dir, name), text);
}

export async function removeDir(dir: string | undefined): Promise<void> {
  if (dir) await rm(dir, { recursive: true, force: true });
}

export async function dockerText(dockerHost: string, args: string[]): Promise<string> {
  return (await runChecked("docker", ["-H", dockerHost, ...args], { timeoutMs: 120_000 })).stdout.trim();
}

export async function dockerJsonLines(dockerHost: string, args: string[]): Promise<any[]> {
  const out = await dockerText(dockerHost, [...args, "--format", "{{json .}}"]);
  return out.split("\n").filter((line) => line.trim() !== "").map((line) => JSON.parse(line));
}

/** `docker service inspect` of one service. */
export async function inspectService(dockerHost: string, service: string): Promise<any> {
  return JSON.parse(await dockerText(dockerHost, ["service", "inspect", service]))[0];
}

/** The service's tasks that should be running, with their spec. */
export async function runningTasks(dockerHost: string, service: string): Promise<any[]> {
  const ids = (await dockerText(dockerHost, ["service", "ps", "-q", "--no-trunc", "--filter", "desired-state=running", service])).split("\n").filter(Boolean);
  if (ids.length === 0) return [];
  return JSON.parse(await dockerText(dockerHost, ["inspect", ...ids]));
}

/** Seconds swarm reports between the start and the end of the service's last update. */
export function swarmUpdateSeconds(service: any): number | undefined {
  const status = service.UpdateStatus;
  if (!status?.StartedAt || !status?.CompletedAt) return undefined;
  return (Date.parse(status.CompletedAt) - Date.parse(status.StartedAt)) / 1000;
}

/** Runs `fn` and returns its result with the seconds it took. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const started = performance.now();
  const result = await fn();
  return { result, seconds: (performance.now() - started) / 1000 };
}

export const round = (seconds: number) => Math.round(seconds * 10) / 10;
