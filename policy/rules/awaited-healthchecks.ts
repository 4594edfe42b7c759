/**
 * Healthchecks on services that others wait for: `depends_on: {x: {condition:
 * service_healthy}}` holds the dependents back until x reports healthy, which a service
 * without a healthcheck never does: the deployment would wait for its timeout and fail.
 * Read from the compose facts, known at preview.
 */
import { composeProjects } from "../compose-facts.ts";
import { servicePath, Violations, type StackResource, type Violation } from "../resources.ts";

export function awaitedHealthchecks(resources: readonly StackResource[]): Violation[] {
  const { projects, unchecked } = composeProjects(resources);
  const violations = new Violations(unchecked);
  for (const { facts, urnOf } of projects) {
    /** Service -> the services waiting for it to be healthy. */
    const waiters = new Map<string, string[]>();
    for (const [service, { dependsOn }] of Object.entries(facts.services)) {
      for (const [dependency, condition] of Object.entries(dependsOn)) {
        if (condition === "service_healthy") waiters.set(dependency, [...(waiters.get(dependency) ?? []), service]);
      }
    }
    for (const [service, who] of waiters) {
      if (facts.services[service]?.healthcheck !== false) continue;
      const names = [...who].sort();
      const subject = `${names.map((name) => `"${name}"`).join(", ")} wait${names.length === 1 ? "s" : ""}`;
      violations.add(
        `${servicePath(service, "healthcheck")}: ${subject} for "${service}" to be healthy (depends_on condition: service_healthy), ` +
          `but "${service}" has no healthcheck; add one, or wait with condition: service_started`,
        urnOf(service),
      );
    }
  }
  return violations.list;
}
