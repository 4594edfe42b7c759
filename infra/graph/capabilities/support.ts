/**
 * The vocabulary of the capability table: what a target does with a compose key that is
 * set. `converted` means the key reaches the target's resource; a warning names why the
 * key is ignored (logged through Pulumi and `compose-pulumi graph`); an error stops the
 * deployment before any resource is created.
 */

import { TARGET_NAMES, type Target } from "../targets/target.ts";

/** The table's target columns. */
export const TARGETS = TARGET_NAMES;
export type { Target };

/** What runs a service: a long-running workload, or a one-shot job (run to completion). */
export type WorkloadKind = "service" | "job";

export type Support = "converted" | { warn: string } | { error: string };

/** One column per target (a new target fails to type-check until the table has its column). */
export type Capability = Record<Target, Support> & {
  /** One-shot jobs (services others wait for with `service_completed_successfully`); services.* keys only. */
  job?: Support | Record<Target, Support>;
  /** Values that mean "not set" for this key (beyond absent, null, false, empty), e.g. `restart: no`. */
  unset?: readonly unknown[];
  /** Conditions on a converted key, for the README (the rules themselves live in infra/graph/warnings.ts). */
  note?: string;
};

export const CONVERTED: Support = "converted";

export function warn(reason: string): Support {
  return { warn: reason };
}

export function error(reason: string): Support {
  return { error: reason };
}

/** The support of one column: the target's own, or its jobs'. */
export function supportFor(capability: Capability, target: Target, kind: WorkloadKind): Support | undefined {
  if (kind === "service") return capability[target];
  const job = capability.job;
  if (job === undefined) return undefined;
  return typeof job === "string" || "warn" in job || "error" in job ? (job as Support) : (job as Record<Target, Support>)[target];
}

/** Whether the column ignores or rejects the key, so that nothing below it is read. */
export function stopsHere(support: Support | undefined): boolean {
  return support !== undefined && support !== "converted";
}
