/**
 * The resources of a stack as the rules read them: the compose projects (whose facts the
 * rules check, policy/compose-facts.ts), the workloads under them, traced back to their
 * compose service so that a violation is reported on the resource it is about, and the
 * environment the stack declares (components/environment.ts). Plain data, so that the
 * rules can be checked with synthetic resources as well as under `pulumi preview`.
 */
import { formatPath } from "../infra/compose/errors.ts";

export const TYPES = {
  project: "compose:project:ComposeProject",
  environment: "compose:stack:Environment",
  container: "docker:index/container:Container",
  service: "docker:index/service:Service",
  deployment: "kubernetes:apps/v1:Deployment",
  daemonSet: "kubernetes:apps/v1:DaemonSet",
} as const;

export const TIERS = ["dev", "staging", "prod"] as const;
export type Tier = (typeof TIERS)[number];

export interface StackResource {
  type: string;
  name: string;
  urn: string;
  /** Inputs (preview) or outputs (after an update); unknown values are undefined. */
  props: Record<string, any>;
  parent?: StackResource;
}

export interface Violation {
  message: string;
  /** The resource in violation; none for the stack as a whole. */
  urn?: string;
}

export type Rule = (resources: readonly StackResource[]) => Violation[];

/**
 * The environment the stack declares (dev, staging, prod). A stack that declares none is
 * held to the strictest rules.
 */
export function stackTier(resources: readonly StackResource[]): Tier {
  const declared = resources.find((resource) => resource.type === TYPES.environment)?.props.environment;
  return (TIERS as readonly string[]).includes(declared) ? (declared as Tier) : "prod";
}

/**
 * The compose service a resource belongs to: children of ComposeProject are named
 * `<project>-<service>` (containers, services, images, jobs), and their own children
 * inherit that. Undefined for resources outside a compose project.
 */
export function serviceOf(resource: StackResource): string | undefined {
  let current: StackResource | undefined = resource;
  while (current?.parent !== undefined) {
    if (current.parent.type === TYPES.project) {
      const prefix = `${current.parent.name}-`;
      return current.name.startsWith(prefix) ? current.name.slice(prefix.length) : current.name;
    }
    current = current.parent;
  }
  const label = labelsOf(resource.props)["com.docker.compose.service"];
  return typeof label === "string" ? label : undefined;
}

/** The docker provider's label list (`[{label, value}]`) as a mapping. */
export function labelsOf(props: Record<string, any>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of Array.isArray(props.labels) ? props.labels : []) {
    if (entry && typeof entry.label === "string" && typeof entry.value === "string") out[entry.label] = entry.value;
  }
  return out;
}

/** `services.web.environment.DB_PASSWORD`: where the user fixes it in the compose file. */
export function servicePath(service: string, ...rest: string[]): string {
  return formatPath(["services", service, ...rest]);
}

/** Reports each message once: several resources (replicas, image and push) share a cause. */
export class Violations {
  private readonly seen = new Set<string>();
  readonly list: Violation[] = [];

  constructor(initial: readonly Violation[] = []) {
    for (const violation of initial) this.add(violation.message, violation.urn);
  }

  add(message: string, urn?: string): void {
    if (this.seen.has(message)) return;
    this.seen.add(message);
    this.list.push({ message, urn });
  }
}

const WORKLOAD_KINDS: Record<string, "container" | "service"> = {
  [TYPES.container]: "container",
  [TYPES.service]: "service",
  [TYPES.deployment]: "service",
  [TYPES.daemonSet]: "service",
};

/** The workloads: engine containers, swarm services, Kubernetes Deployments and DaemonSets, with their compose service. */
export function workloads(resources: readonly StackResource[]): { resource: StackResource; service: string; kind: "container" | "service" }[] {
  const out: { resource: StackResource; service: string; kind: "container" | "service" }[] = [];
  for (const resource of resources) {
    const kind = WORKLOAD_KINDS[resource.type];
    if (kind === undefined) continue;
    out.push({ resource, service: serviceOf(resource) ?? resource.name, kind });
  }
  return out;
}
