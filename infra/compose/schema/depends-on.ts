/**
 * services.*.depends_on: a list of service names (started, required), or name ->
 * {condition, restart, required}. Missing fields of the long form are left to normalize.
 */
import * as z from "zod";
import { bool, composeObject, oneOf } from "./primitives.ts";

export const DEPENDENCY_CONDITIONS = ["service_started", "service_healthy", "service_completed_successfully"] as const;

export const dependencyShape = {
  condition: oneOf("condition", DEPENDENCY_CONDITIONS).optional(),
  restart: bool.optional(),
  required: bool.optional(),
};

const DependencySchema = composeObject(dependencyShape);
export type Dependency = z.output<typeof DependencySchema>;

export const dependsOnSchema = z.union(
  [
    z.array(z.string({ error: "expected a service name" })).transform((names) => {
      const dependencies: Record<string, Dependency> = {};
      for (const name of names) dependencies[name] = { condition: "service_started", required: true };
      return dependencies;
    }),
    z.record(z.string(), DependencySchema),
  ],
  { error: "expected a list of service names or a mapping of service name to condition" },
);

export const CanonicalDependencySchema = composeObject({
  ...dependencyShape,
  condition: oneOf("condition", DEPENDENCY_CONDITIONS),
  required: bool,
});
