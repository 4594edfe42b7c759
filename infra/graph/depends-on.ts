/**
 * depends_on as deployment order. Every dependency becomes a Pulumi `dependsOn` edge; the
 * condition decides what the dependency must do before its dependents are created:
 *
 * - service_started: exist (its containers or swarm service are created);
 * - service_healthy: be healthy (engine containers wait for their healthcheck; a swarm
 *   service waits until its tasks converge, which with a healthcheck means healthy);
 * - service_completed_successfully: have run to completion with exit code 0, so the
 *   dependency is deployed as a one-shot Job.
 *
 * A dependency that is not `required` and is not in the model (disabled by a profile) is
 * skipped, as compose does.
 */
import type { Project, ServiceConfig } from "./model.ts";

export type Condition = "service_started" | "service_healthy" | "service_completed_successfully";

export interface Dependency {
  service: string;
  condition: Condition;
  required: boolean;
  restart: boolean;
}

/** The dependencies of a service that exist in the model, sorted by name. */
export function dependenciesOf(project: Project, service: ServiceConfig): Dependency[] {
  const out: Dependency[] = [];
  for (const [name, dependency] of Object.entries(service.depends_on ?? {})) {
    const required = dependency.required !== false;
    if (project.services[name] === undefined && !required) continue;
    out.push({
      service: name,
      condition: (dependency.condition ?? "service_started") as Condition,
      required,
      restart: dependency.restart === true,
    });
  }
  return out.sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : 0));
}

/** Services that run once to completion: waited on as completed, or in a job deploy mode. */
export function jobServices(project: Project): Set<string> {
  const jobs = new Set<string>();
  for (const [name, service] of Object.entries(project.services)) {
    const mode = service.deploy?.mode;
    if (mode === "replicated-job" || mode === "global-job") jobs.add(name);
    for (const dependency of dependenciesOf(project, service)) {
      if (dependency.condition === "service_completed_successfully") jobs.add(dependency.service);
    }
  }
  return jobs;
}

/** Services some dependent waits on to be healthy. */
export function healthWaitedServices(project: Project): Set<string> {
  const waited = new Set<string>();
  for (const service of Object.values(project.services)) {
    for (const dependency of dependenciesOf(project, service)) {
      if (dependency.condition === "service_healthy") waited.add(dependency.service);
    }
  }
  return waited;
}

/**
 * Service names with every dependency before its dependents (ties by name). Throws on a
 * cycle naming it; the adapter rejects cycles first, so this guards hand-built models.
 */
export function deploymentOrder(project: Project): string[] {
  const order: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (name: string, path: string[]) => {
    if (state.get(name) === "done") return;
    if (state.get(name) === "visiting") {
      throw new Error(`depends_on cycle: ${[...path.slice(path.indexOf(name)), name].join(" -> ")}`);
    }
    state.set(name, "visiting");
    const service = project.services[name];
    if (service !== undefined) {
      for (const dependency of dependenciesOf(project, service)) visit(dependency.service, [...path, name]);
    }
    state.set(name, "done");
    order.push(name);
  };
  for (const name of Object.keys(project.services).sort()) visit(name, []);
  return order.filter((name) => project.services[name] !== undefined);
}

/** The `com.docker.compose.depends_on` label entries: `service:condition:restart`. */
export function composeDependsOnEntries(project: Project, service: ServiceConfig): string[] {
  return dependenciesOf(project, service).map((d) => `${d.service}:${d.condition}:${d.restart}`);
}
