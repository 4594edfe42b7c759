/**
 * Resource limits in prod: a service without a memory and a CPU limit can starve its
 * neighbours on the node (and the swarm managers' Raft with them) when it misbehaves.
 * One-shot jobs run to completion and are left out. Read from the compose facts (with
 * the stack's service overrides applied), known at preview.
 */
import { composeProjects } from "../compose-facts.ts";
import { servicePath, stackTier, Violations, type StackResource, type Violation } from "../resources.ts";

export function resourceLimits(resources: readonly StackResource[]): Violation[] {
  if (stackTier(resources) !== "prod") return [];
  const { projects, unchecked } = composeProjects(resources);
  const violations = new Violations(unchecked);
  for (const { facts, urnOf } of projects) {
    for (const [service, { job, limits }] of Object.entries(facts.services)) {
      const missing = [...(limits.memory ? [] : ["memory"]), ...(limits.cpus ? [] : ["cpus"])];
      if (job || missing.length === 0) continue;
      violations.add(
        `${servicePath(service, "deploy", "resources", "limits")}: no ${missing.join(" and no ")} limit in prod; ` +
          `set ${missing.join(" and ")} under deploy.resources.limits in the compose file, or compose-pulumi:services.${service}.resources.limits in the stack`,
        urnOf(service),
      );
    }
  }
  return violations.list;
}
