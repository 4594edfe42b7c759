/**
 * Resource limits in prod: a service without a memory and a CPU limit can starve its
 * neighbours on the node (and the swarm managers' Raft with them) when it misbehaves.
 */
import { servicePath, stackTier, Violations, workloads, type StackResource, type Violation } from "../resources.ts";

function positive(value: unknown): boolean {
  const number = typeof value === "string" ? Number(value) : value;
  return typeof number === "number" && Number.isFinite(number) && number > 0;
}

function missingLimits(resource: StackResource, kind: "container" | "service"): string[] {
  const missing: string[] = [];
  if (kind === "service") {
    const limits = resource.props.taskSpec?.resources?.limits ?? {};
    if (!positive(limits.memoryBytes)) missing.push("memory");
    if (!positive(limits.nanoCpus)) missing.push("cpus");
  } else {
    if (!positive(resource.props.memory)) missing.push("memory");
    if (!positive(resource.props.cpus)) missing.push("cpus");
  }
  return missing;
}

export function resourceLimits(resources: readonly StackResource[]): Violation[] {
  if (stackTier(resources) !== "prod") return [];
  const violations = new Violations();
  for (const { resource, service, kind } of workloads(resources)) {
    const missing = missingLimits(resource, kind);
    if (missing.length === 0) continue;
    violations.add(
      `${servicePath(service, "deploy", "resources", "limits")}: no ${missing.join(" and no ")} limit in prod; ` +
        `set ${missing.join(" and ")} under deploy.resources.limits in the compose file, or compose-pulumi:services.${service}.resources.limits in the stack`,
      resource.urn,
    );
  }
  return violations.list;
}
