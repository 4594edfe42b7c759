/**
 * `external` on top-level networks, volumes, secrets and configs: true/false, or the
 * legacy `external: {name: x}`, which means `name: x` plus `external: true`. An external
 * resource is only referred to, so settings for creating it conflict with it.
 */
import * as z from "zod";
import { booleanWord, closedObject, guarded, isMapping, str } from "./primitives.ts";

const legacyExternal = closedObject({ name: str.optional() });

export const externalField = z.union([z.boolean(), z.string().transform(guarded(booleanWord)), legacyExternal], {
  error: "expected true, false or a mapping with name",
});

type WithLegacyExternal = { name?: string; external?: boolean | { name?: string } };
type Folded<T extends WithLegacyExternal> = Omit<T, "external"> & { external?: boolean };

/** Turns the legacy form into `name` + `external: true` and reports settings that conflict with `external`. */
export function foldExternal<T extends WithLegacyExternal>(resource: T, ctx: z.core.$RefinementCtx<unknown>): Folded<T> {
  const { external } = resource;
  if (external === undefined || typeof external === "boolean") return resource as Folded<T>;
  const folded = { ...resource, external: true } as Folded<T>;
  if (external.name !== undefined) {
    if (resource.name !== undefined && resource.name !== external.name) {
      ctx.addIssue({ code: "custom", path: ["external", "name"], message: `"name" and "external.name" disagree; set only "name"` });
    }
    folded.name = external.name;
  }
  return folded;
}

/** Any setting besides name (and extensions) next to `external: true` (or the legacy mapping). */
export function checkExternalConflicts(resource: { external?: unknown }, ctx: z.core.$RefinementCtx<unknown>): void {
  const { external } = resource;
  if (!(external === true || isMapping(external))) return;
  for (const key of Object.keys(resource)) {
    if (key === "name" || key === "external" || key.startsWith("x-")) continue;
    ctx.addIssue({ code: "custom", path: [key], message: `"external" and "${key}" cannot be used together: an external resource already exists` });
  }
}
