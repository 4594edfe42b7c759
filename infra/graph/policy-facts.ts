/**
 * What the policy pack checks, taken from the compose model rather than from the docker
 * resources it becomes. The model is static: every fact here is known at `pulumi preview`,
 * even on a new stack whose containers and services still have unknown inputs (an image
 * digest, a network id), so a rule never has to skip. ComposeProject registers these facts
 * as its outputs (what the engine hands a stack policy); policy/ reads them back
 * (policy/compose-facts.ts).
 */
import { jobServices } from "./depends-on.ts";
import type { Project, ServiceConfig } from "./model.ts";
import type { Target } from "./targets/target.ts";

/** Bumped when the shape changes, so that the pack can tell facts it does not know. */
export const COMPOSE_FACTS_VERSION = 1;

export interface ServiceFacts {
  /** The image as written in the compose file (after interpolation); absent when only built. */
  image?: string;
  /** The service builds its image. */
  build: boolean;
  /** A one-shot job (runs to completion) rather than a long-running workload. */
  job: boolean;
  /** A healthcheck with a test, not disabled. */
  healthcheck: boolean;
  /** depends_on: the service waited for -> its condition. */
  dependsOn: Record<string, string>;
  /** Whether a memory and a CPU limit apply on the target. */
  limits: { memory: boolean; cpus: boolean };
  /**
   * The container's environment as the model holds it (null: taken from the process
   * environment at run time). ComposeProject registers it as a Pulumi secret, so the state
   * keeps it encrypted while the pack reads it.
   */
  environment: Record<string, string | null>;
}

export interface ComposeFacts {
  version: number;
  project: string;
  target: Target;
  services: Record<string, ServiceFacts>;
}

export function composeFacts(project: Project, target: Target): ComposeFacts {
  const jobs = jobServices(project);
  const services: Record<string, ServiceFacts> = {};
  for (const [name, service] of Object.entries(project.services)) {
    services[name] = {
      ...(service.image !== undefined ? { image: service.image } : {}),
      build: service.build !== undefined,
      job: jobs.has(name),
      healthcheck: hasHealthcheck(service),
      dependsOn: Object.fromEntries(Object.entries(service.depends_on ?? {}).map(([dependency, config]) => [dependency, config.condition ?? "service_started"])),
      limits: limitsOf(service, target),
      environment: { ...(service.environment ?? {}) },
    };
  }
  return { version: COMPOSE_FACTS_VERSION, project: project.name, target, services };
}

function hasHealthcheck(service: ServiceConfig): boolean {
  const check = service.healthcheck;
  if (check === undefined || check.disable === true) return false;
  const test = check.test;
  return Array.isArray(test) ? test.length > 0 && test[0] !== "NONE" : typeof test === "string" && test !== "";
}

/** The swarm target only takes deploy.resources.limits; the engine and Kubernetes also mem_limit and cpus. */
function limitsOf(service: ServiceConfig, target: Target): { memory: boolean; cpus: boolean } {
  const limits = service.deploy?.resources?.limits;
  const memory = positive(limits?.memory) || (target !== "swarm" && positive(service.mem_limit));
  const cpus = positive(limits?.cpus) || (target !== "swarm" && positive(service.cpus));
  return { memory, cpus };
}

function positive(value: unknown): boolean {
  const number = typeof value === "string" ? Number(value) : value;
  return typeof number === "number" && Number.isFinite(number) && number > 0;
}
