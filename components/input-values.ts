/**
 * The plain value behind a Pulumi Input, for the few arguments whose values decide which
 * resources exist and how they are named (a secret's content names the swarm secret by
 * its hash). Such a value from another resource's output is known only once that
 * resource exists: during a preview it can still be unknown, which is reported rather
 * than waited for (an unknown output never resolves in a preview).
 */
import * as pulumi from "@pulumi/pulumi";

export type Settled<T> = { known: true; value: T } | { known: false };

/**
 * An Output's resolution as the SDK tracks it. Not in its typings, but what `apply`
 * itself is built on in every 3.x release; read here because `apply` does not run its
 * callback for an unknown value, and a promise made from it would never settle.
 */
interface OutputState {
  isKnown: Promise<boolean>;
  promise(withUnknowns?: boolean): Promise<unknown>;
}

function isOutputState(value: unknown): value is OutputState {
  return typeof value === "object" && value !== null && (value as OutputState).isKnown instanceof Promise && typeof (value as OutputState).promise === "function";
}

/** Waits for an Input's value: known, or (in a preview) unknown. */
export async function settle<T>(input: pulumi.Input<T>): Promise<Settled<pulumi.Unwrap<T>>> {
  const output: unknown = pulumi.output(input);
  if (!isOutputState(output)) throw new Error("this @pulumi/pulumi version hides how an Output resolves; compose-pulumi needs @pulumi/pulumi 3.x");
  if (!(await output.isKnown)) return { known: false };
  return { known: true, value: (await output.promise()) as pulumi.Unwrap<T> };
}

/** True when the Input is a plain value, with no Output or Promise anywhere inside, so it can be read now. */
export function isPlain(input: unknown): boolean {
  if (pulumi.Output.isInstance(input) || input instanceof Promise) return false;
  if (Array.isArray(input)) return input.every(isPlain);
  if (typeof input === "object" && input !== null) return Object.values(input).every(isPlain);
  return true;
}
