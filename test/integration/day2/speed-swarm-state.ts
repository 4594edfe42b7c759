/**
 * What the speed comparison reads from the swarm with Debian's docker CLI: each stack's
 * services with their `Version.Index` and `UpdatedAt`, the tasks meant to run, and the
 * moment a stack has converged (every service at its replica count with running tasks
 * and no update in progress, the changed service only on tasks created after the change).
 */
import { runChecked } from "../../harness/process.ts";

/** Debian's docker.io client, the `docker stack deploy` people run on these hosts. */
export const DEBIAN_DOCKER = "/usr/bin/docker";

export interface ServiceVersion {
  id: string;
  index: number;
  updatedAt: string;
  replicas: number;
  updateState?: string;
}

export async function debianDocker(dockerHost: string, args: string[], timeoutMs = 120_000): Promise<string> {
  return (await runChecked(DEBIAN_DOCKER, ["-H", dockerHost, ...args], { timeoutMs })).stdout;
}

/** The stack's services by name (`<namespace>_<key>`). */
export async function serviceVersions(dockerHost: string, namespace: string): Promise<Record<string, ServiceVersion>> {
  const ids = (await debianDocker(dockerHost, ["service", "ls", "--quiet", "--filter", `label=com.docker.stack.namespace=${namespace}`]))
    .split("\n")
    .filter(Boolean);
  if (ids.length === 0) return {};
  const inspected = JSON.parse(await debianDocker(dockerHost, ["service", "inspect", ...ids])) as any[];
  const out: Record<string, ServiceVersion> = {};
  for (const service of inspected) {
    out[service.Spec.Name] = {
      id: service.ID,
      index: service.Version.Index,
      updatedAt: service.UpdatedAt,
      replicas: service.Spec.Mode?.Replicated?.Replicas ?? 0,
      updateState: service.UpdateStatus?.State,
    };
  }
  return out;
}

/** Names whose Version.Index differs between two readings (or that only one has). */
export function changedServices(before: Record<string, ServiceVersion>, after: Record<string, ServiceVersion>): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => before[name]?.index !== after[name]?.index).sort();
}

/** Running task IDs by service name, of the tasks the orchestrator wants running. */
export async function runningTasks(dockerHost: string, serviceNames: string[]): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = Object.fromEntries(serviceNames.map((name) => [name, []]));
  if (serviceNames.length === 0) return out;
  const rows = await debianDocker(dockerHost, [
    "service", "ps", "--no-trunc", "--filter", "desired-state=running", "--format", "{{.Name}} {{.ID}} {{.CurrentState}}", ...serviceNames,
  ]);
  for (const row of rows.split("\n").filter(Boolean)) {
    const [taskName, id, state] = row.split(" ");
    const service = taskName.replace(/\.[^.]+$/, "");
    if (state === "Running" && out[service]) out[service].push(id);
  }
  return out;
}

export interface ConvergeGoal {
  namespace: string;
  services: number;
  /** Service name to task IDs that must all have been replaced. */
  replaced?: Record<string, string[]>;
}

export interface Converged {
  /** Running task IDs by service name, once converged. */
  tasks: Record<string, string[]>;
  /** performance.now() when every service of `replaced` first ran only new tasks. */
  replacedAt?: number;
}

/** Polls until the stack has converged to `goal`. */
export async function waitConverged(dockerHost: string, goal: ConvergeGoal, timeoutMs = 300_000): Promise<Converged> {
  const deadline = Date.now() + timeoutMs;
  const replacedNames = Object.keys(goal.replaced ?? {});
  let replacedAt: number | undefined;
  let last = "nothing read yet";
  while (Date.now() < deadline) {
    const versions = await serviceVersions(dockerHost, goal.namespace);
    const names = Object.keys(versions);
    const tasks = await runningTasks(dockerHost, names);
    const pending = names.filter((name) => {
      const replaced = goal.replaced?.[name] ?? [];
      return tasks[name].length !== versions[name].replicas || tasks[name].some((id) => replaced.includes(id));
    });
    if (replacedAt === undefined && replacedNames.length > 0 && replacedNames.every((name) => versions[name] && !pending.includes(name))) {
      replacedAt = performance.now();
    }
    const updating = names.filter((name) => versions[name].updateState === "updating");
    if (names.length === goal.services && pending.length === 0 && updating.length === 0) return { tasks, replacedAt };
    last = `${names.length}/${goal.services} services; not at their replicas: ${pending.join(", ") || "none"}; updating: ${updating.join(", ") || "none"}`;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`stack ${goal.namespace} did not converge within ${timeoutMs / 1000}s (${last})`);
}
