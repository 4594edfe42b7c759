/**
 * The compose facts each ComposeProject registers as its outputs (infra/graph/policy-facts.ts), read back
 * from the stack. They come from the compose model, so they are known at preview; if a
 * project's facts are unknown anyway (its arguments were outputs), or missing, the rules
 * fail closed: a violation says what could not be checked, instead of a skipped rule.
 */
import { UnknownValueError } from "@pulumi/policy";
import { COMPOSE_FACTS_VERSION, type ComposeFacts } from "../infra/graph/policy-facts.ts";
import { TYPES, workloads, type StackResource, type Violation } from "./resources.ts";

export interface ProjectFacts {
  resource: StackResource;
  facts: ComposeFacts;
  /** The resource a service's violation is reported on: its workload, else the project. */
  urnOf(service: string): string;
}

export function composeProjects(resources: readonly StackResource[]): { projects: ProjectFacts[]; unchecked: Violation[] } {
  const projects: ProjectFacts[] = [];
  const unchecked: Violation[] = [];
  const all = workloads(resources);
  for (const resource of resources.filter((r) => r.type === TYPES.project)) {
    const facts = readFacts(resource);
    if (typeof facts === "string") {
      unchecked.push({ message: `compose project "${resource.name}": ${facts}; nothing of it can be checked, so it is refused`, urn: resource.urn });
      continue;
    }
    const workloadUrns = new Map<string, string>();
    for (const { resource: workload, service } of all) {
      if (isWithin(workload, resource) && !workloadUrns.has(service)) workloadUrns.set(service, workload.urn);
    }
    projects.push({ resource, facts, urnOf: (service) => workloadUrns.get(service) ?? resource.urn });
  }
  return { projects, unchecked };
}

/** The facts, or why they cannot be read. */
function readFacts(resource: StackResource): ComposeFacts | string {
  try {
    const facts = resource.props.compose as ComposeFacts | undefined;
    if (facts === undefined || facts === null) return "its compose facts are missing (registered by another version of compose-pulumi)";
    if (facts.version !== COMPOSE_FACTS_VERSION) return `its compose facts have version ${String(facts.version)}, this pack reads version ${COMPOSE_FACTS_VERSION}`;
    // Reading every fact here surfaces an unknown value now, not halfway through a rule.
    return JSON.parse(JSON.stringify(facts)) as ComposeFacts;
  } catch (error) {
    if (error instanceof UnknownValueError) return `its compose facts are not known during preview (${(error as Error).message})`;
    throw error;
  }
}

function isWithin(resource: StackResource, ancestor: StackResource): boolean {
  for (let current = resource.parent; current !== undefined; current = current.parent) if (current.urn === ancestor.urn) return true;
  return false;
}
