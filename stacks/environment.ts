/**
 * What kind of environment this stack is, recorded as a resource so that the policy pack
 * (policy/) can apply the rules of that environment to everything else in the stack:
 * pinned images outside dev, resource limits in prod, an odd number of swarm managers.
 * Holds no secret.
 */
import * as pulumi from "@pulumi/pulumi";
import type { EnvironmentTier } from "./config.ts";

export const ENVIRONMENT_TYPE = "compose:stack:Environment";

export interface EnvironmentFacts {
  /** dev, staging or prod. */
  environment: EnvironmentTier;
  stack: string;
  target: "engine" | "swarm";
  /** The compose project name. */
  project: string;
  /** Swarm managers and workers this stack provisions or bootstraps (a cluster stack only). */
  managers?: number;
  workers?: number;
  allowEvenManagers?: boolean;
}

export class Environment extends pulumi.ComponentResource {
  readonly facts: EnvironmentFacts;

  constructor(name: string, facts: EnvironmentFacts, opts?: pulumi.ComponentResourceOptions) {
    super(ENVIRONMENT_TYPE, name, { ...facts }, opts);
    this.facts = facts;
    // As outputs too: the policy pack reads them whether or not component inputs are recorded.
    this.registerOutputs({ ...facts });
  }
}
