/**
 * Healthchecks on services that others wait for: `depends_on: {x: {condition:
 * service_healthy}}` holds the dependents back until x reports healthy, which a service
 * without a healthcheck never does: the deployment would wait for its timeout and fail.
 */
import { labelsOf, servicePath, Violations, workloads, type StackResource, type Violation } from "../resources.ts";

function hasHealthcheck(resource: StackResource, kind: "container" | "service"): boolean {
  const check = kind === "service" ? resource.props.taskSpec?.containerSpec?.healthcheck : resource.props.healthcheck;
  const tests: unknown = check?.tests;
  return Array.isArray(tests) && tests.length > 0 && tests[0] !== "NONE";
}

export function awaitedHealthchecks(resources: readonly StackResource[]): Violation[] {
  const all = workloads(resources);
  /** Service -> the services waiting for it to be healthy (from the engine's depends_on labels). */
  const waiters = new Map<string, Set<string>>();
  const awaited = new Set<string>();
  for (const { resource, service, kind } of all) {
    // Waited on: an engine container the provider waits healthy for, a swarm service created with a converge wait.
    if (kind === "container" ? resource.props.wait === true : resource.props.convergeConfig !== undefined) awaited.add(service);
    const entries = labelsOf(resource.props)["com.docker.compose.depends_on"];
    for (const entry of entries?.split(",") ?? []) {
      const [dependency, condition] = entry.split(":");
      if (condition !== "service_healthy" || dependency === undefined) continue;
      awaited.add(dependency);
      if (!waiters.has(dependency)) waiters.set(dependency, new Set());
      waiters.get(dependency)!.add(service);
    }
  }
  const violations = new Violations();
  for (const { resource, service, kind } of all) {
    if (!awaited.has(service) || hasHealthcheck(resource, kind)) continue;
    const who = [...(waiters.get(service) ?? [])].sort();
    const subject = who.length === 0 ? "a dependent waits" : `${who.map((name) => `"${name}"`).join(", ")} wait${who.length === 1 ? "s" : ""}`;
    violations.add(
      `${servicePath(service, "healthcheck")}: ${subject} for "${service}" to be healthy (depends_on condition: service_healthy), ` +
        `but "${service}" has no healthcheck; add one, or wait with condition: service_started`,
      resource.urn,
    );
  }
  return violations.list;
}
