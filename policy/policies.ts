/**
 * The rules of the pack. Each one reads the whole stack (the environment it declares and
 * the compose service behind each docker resource) and names, in every message, the
 * compose service and key to change.
 */
import type { PolicyResource, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import type { Rule, StackResource } from "./resources.ts";
import { awaitedHealthchecks } from "./rules/awaited-healthchecks.ts";
import { managerCount } from "./rules/manager-count.ts";
import { pinnedImages } from "./rules/pinned-images.ts";
import { plaintextSecrets } from "./rules/plaintext-secrets.ts";
import { resourceLimits } from "./rules/resource-limits.ts";

/** The plain view of a policy resource, with its parents. */
export function toStackResource(resource: PolicyResource, seen = new Map<string, StackResource>()): StackResource {
  const known = seen.get(resource.urn);
  if (known !== undefined) return known;
  const converted: StackResource = { type: resource.type, name: resource.name, urn: resource.urn, props: resource.props ?? {} };
  seen.set(resource.urn, converted);
  if (resource.parent !== undefined) converted.parent = toStackResource(resource.parent, seen);
  return converted;
}

function stackPolicy(name: string, description: string, rule: (resources: readonly StackResource[], args: StackValidationArgs) => ReturnType<Rule>, configSchema?: StackValidationPolicy["configSchema"]): StackValidationPolicy {
  return {
    name,
    description,
    enforcementLevel: "mandatory",
    configSchema,
    validateStack: (args, reportViolation) => {
      const seen = new Map<string, StackResource>();
      const resources = args.resources.map((resource) => toStackResource(resource, seen));
      for (const violation of rule(resources, args)) reportViolation(violation.message, violation.urn);
    },
  };
}

export const policies: StackValidationPolicy[] = [
  stackPolicy(
    "no-plaintext-secrets",
    "Variables named like secrets (PASSWORD, SECRET, TOKEN, credential keys) hold no literal value: use compose secrets set with `pulumi config set --secret`.",
    (resources, args) => plaintextSecrets(resources, { allow: args.getConfig<{ allow?: string[] }>().allow }),
    { properties: { allow: { type: "array", items: { type: "string" } } } },
  ),
  stackPolicy(
    "pinned-images",
    "Outside dev, every image is pinned to a version tag or a digest (no `latest`, no missing tag).",
    (resources) => pinnedImages(resources),
  ),
  stackPolicy(
    "resource-limits-in-prod",
    "In prod, every service has a memory and a CPU limit (deploy.resources.limits).",
    (resources) => resourceLimits(resources),
  ),
  stackPolicy(
    "odd-manager-count",
    "A swarm has an odd number of managers (1, 3, 5, 7), as Raft's majority needs.",
    (resources) => managerCount(resources),
  ),
  stackPolicy(
    "healthchecks-on-awaited-services",
    "A service others wait for with condition: service_healthy has a healthcheck.",
    (resources) => awaitedHealthchecks(resources),
  ),
];
