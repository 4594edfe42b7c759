/**
 * Makes a stack whose last `pulumi up` was killed (crash, OOM, CI timeout) safe to run
 * again, as a mature tool would before its next apply:
 *
 * 1. A file:// backend keeps the dead run's lock: it is removed only when every lock was
 *    taken on this host by a process that no longer exists.
 * 2. Creates the engine had started are recorded as pending: the object may exist on the
 *    engine without being in the state, and the next create would fail on its name. Each
 *    docker object a pending create names is removed from the engine if it carries the
 *    project label the create was declaring (so nothing else is ever touched), then the
 *    pending creates are cleared, so the next `up` creates them afresh.
 *
 * From the command line (scripts/up.sh runs it before `pulumi up`):
 *   node stacks/recover.ts <stack>     (PULUMI_BACKEND_URL as for pulumi itself)
 */
import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation/index.js";

const exec = promisify(execFile);

export interface Recovery {
  /** Lock files of dead local processes that were removed. */
  staleLocks: number;
  /** Physical names removed from the engine, as `<kind> <name>`. */
  removed: string[];
  /** Pending creates cleared from the state. */
  clearedPendingCreates: number;
}

interface PendingOperation {
  type: string;
  resource: { urn: string; type: string; inputs?: Record<string, unknown>; provider?: string };
}

const PROJECT_LABELS = ["com.docker.compose.project", "com.docker.stack.namespace"];

const DOCKER_KINDS: Record<string, string> = {
  "docker:index/container:Container": "container",
  "docker:index/network:Network": "network",
  "docker:index/volume:Volume": "volume",
  "docker:index/service:Service": "service",
  "docker:index/secret:Secret": "secret",
  "docker:index/config:Config": "config",
};

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function removeStaleLocks(stack: Stack, backendUrl: string | undefined): Promise<number> {
  if (!backendUrl?.startsWith("file://")) return 0;
  const root = fileURLToPath(backendUrl.split("?")[0]);
  const project = (await stack.workspace.projectSettings()).name;
  const dir = join(root, ".pulumi", "locks", "organization", project, stack.name);
  // The blob store keeps a `.attrs` file beside each lock.
  const files = (await readdir(dir).catch(() => [] as string[])).filter((file) => file.endsWith(".json"));
  if (files.length === 0) return 0;
  for (const file of files) {
    const lock = JSON.parse(await readFile(join(dir, file), "utf8")) as { pid?: number; hostname?: string };
    if (lock.hostname !== hostname() || lock.pid === undefined || alive(lock.pid)) return 0;
  }
  await stack.cancel();
  return files.length;
}

/** The docker host of the provider a resource was being created with, from the state. */
function providerHost(resources: { urn: string; id?: string; inputs?: Record<string, unknown> }[], ref: string | undefined): string | undefined {
  if (!ref) return undefined;
  const urn = ref.slice(0, ref.lastIndexOf("::"));
  const host = resources.find((r) => r.urn === urn)?.inputs?.host;
  return typeof host === "string" ? host : undefined;
}

async function labelsOf(kind: string, name: string, host: string | undefined): Promise<Record<string, string> | undefined> {
  const args = [...(host ? ["-H", host] : []), kind, "inspect", "--format", kind === "container" ? "{{json .Config.Labels}}" : kind === "service" ? "{{json .Spec.Labels}}" : "{{json .Labels}}", name];
  try {
    const { stdout } = await exec("docker", args);
    return (JSON.parse(stdout.trim() || "null") as Record<string, string> | null) ?? {};
  } catch {
    return undefined;
  }
}

/** The project label a pending create declared: `labels` is the provider's list of {label, value}. */
function declaredProject(inputs: Record<string, unknown> | undefined): { label: string; value: string } | undefined {
  const labels = Array.isArray(inputs?.labels) ? (inputs!.labels as { label?: string; value?: string }[]) : [];
  const found = labels.find((l) => l.label !== undefined && PROJECT_LABELS.includes(l.label));
  return found?.label !== undefined && found.value !== undefined ? { label: found.label, value: found.value } : undefined;
}

export async function recoverInterruptedRun(stack: Stack, options: { backendUrl?: string } = {}): Promise<Recovery> {
  const staleLocks = await removeStaleLocks(stack, options.backendUrl);
  const deployment = (await stack.exportStack()).deployment as {
    resources?: { urn: string; id?: string; inputs?: Record<string, unknown> }[];
    pending_operations?: PendingOperation[];
  };
  const pendingCreates = (deployment.pending_operations ?? []).filter((op) => op.type === "creating");
  const removed: string[] = [];
  for (const op of pendingCreates) {
    const kind = DOCKER_KINDS[op.resource.type];
    const name = op.resource.inputs?.name;
    const project = declaredProject(op.resource.inputs);
    if (kind === undefined || typeof name !== "string" || project === undefined) continue;
    const host = providerHost(deployment.resources ?? [], op.resource.provider);
    const labels = await labelsOf(kind, name, host);
    if (labels?.[project.label] !== project.value) continue;
    const rm = kind === "container" ? ["rm", "-f", name] : [kind, "rm", name];
    await exec("docker", [...(host ? ["-H", host] : []), ...rm]);
    removed.push(`${kind} ${name}`);
  }
  if (pendingCreates.length > 0) await stack.refresh({ clearPendingCreates: true });
  return { staleLocks, removed, clearedPendingCreates: pendingCreates.length };
}

async function main(stackName: string | undefined): Promise<void> {
  if (!stackName) throw new Error("usage: node stacks/recover.ts <stack>");
  const stack = await LocalWorkspace.selectStack({ stackName, workDir: dirname(import.meta.dirname) });
  const recovery = await recoverInterruptedRun(stack, { backendUrl: process.env.PULUMI_BACKEND_URL });
  if (recovery.staleLocks > 0) console.log(`removed ${recovery.staleLocks} lock(s) of a pulumi run that no longer exists`);
  for (const object of recovery.removed) console.log(`removed ${object}, left half-created by an interrupted run`);
  if (recovery.clearedPendingCreates > 0) console.log(`cleared ${recovery.clearedPendingCreates} pending create(s) from the state`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv[2]).catch((error: unknown) => {
    console.error(`recovering stack ${process.argv[2] ?? ""}: ${(error as Error)?.message ?? error}`);
    process.exit(1);
  });
}
