/**
 * What kind of environment a stack is, recorded as a resource so that the policy pack
 * (policy/) can apply the rules of that environment to everything else in the stack:
 * pinned images outside dev, resource limits in prod, an odd number of swarm managers.
 * A stack without one is held to the strictest (prod) rules. Holds no secret.
 *
 * ComposeApp declares one when given `environment`; declare it yourself when a stack
 * uses ComposeProject directly.
 *
 * @example
 * new Environment("environment", { environment: "staging", stack: pulumi.getStack(), target: "swarm", project: "shop" });
 */
import * as pulumi from "@pulumi/pulumi";
import type { EnvironmentTier } from "../infra/app/tiers.ts";
import type { Target } from "../infra/graph/targets/target.ts";

export type { EnvironmentTier };

export const ENVIRONMENT_TYPE = "compose:stack:Environment";

export interface EnvironmentFacts {
  /** `dev`, `staging` or `prod`: which policy rules apply. */
  environment: EnvironmentTier;
  /** The Pulumi stack name. */
  stack: string;
  /** Where the application runs: one Docker engine, or a swarm. */
  target: Target;
  /** The compose project name. */
  project: string;
  /** Swarm managers this stack provisions or bootstraps (a cluster stack only). */
  managers?: number;
  /** Swarm workers this stack provisions or bootstraps (a cluster stack only). */
  workers?: number;
  /** The cluster was allowed an even manager count. */
  allowEvenManagers?: boolean;
}

export class Environment extends pulumi.ComponentResource {
  /** The facts as given, also the component's outputs. */
  readonly facts: EnvironmentFacts;

  constructor(name: string, facts: EnvironmentFacts, opts?: pulumi.ComponentResourceOptions) {
    super(ENVIRONMENT_TYPE, name, { ...facts }, opts);
    this.facts = facts;
    // As outputs too: the policy pack reads them whether or not component inputs are recorded.
    this.registerOutputs({ ...facts });
  }
}
