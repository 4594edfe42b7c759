/**
 * The key paths of the canonical model's zod schema, as the capability table names them:
 * `deploy.resources.limits.cpus`, `ports[].host_ip`, `networks.*.aliases`. A path ends
 * where the schema stops being a mapping with named keys (a scalar, a list of scalars, a
 * map of free-form values), so every key a user can write has exactly one path.
 */
import type * as z from "zod";

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  options?: z.ZodType[];
  element?: z.ZodType;
  valueType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  getter?: () => z.ZodType;
  left?: z.ZodType;
  right?: z.ZodType;
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** The named-key children of a schema, with the path suffix (`.key`, `[].key`, `.*.key`) each needs. */
function children(schema: z.ZodType, prefix: string, seen: Set<z.ZodType>): Map<string, z.ZodType> {
  const out = new Map<string, z.ZodType>();
  if (seen.has(schema)) return out;
  seen.add(schema);
  const def = defOf(schema);
  const merge = (more: Map<string, z.ZodType>) => {
    for (const [path, child] of more) if (!out.has(path)) out.set(path, child);
  };
  switch (def.type) {
    case "object":
      for (const [key, child] of Object.entries(def.shape ?? {})) out.set(`${prefix}${prefix === "" ? "" : "."}${key}`, child);
      break;
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "catch":
    case "readonly":
    case "nonoptional":
      merge(children(def.innerType!, prefix, seen));
      break;
    case "lazy":
      merge(children(def.getter!(), prefix, seen));
      break;
    case "pipe":
      merge(children(def.in!, prefix, seen));
      merge(children(def.out!, prefix, seen));
      break;
    case "union":
      for (const option of def.options ?? []) merge(children(option, prefix, seen));
      break;
    case "intersection":
      merge(children(def.left!, prefix, seen));
      merge(children(def.right!, prefix, seen));
      break;
    case "array":
      merge(children(def.element!, `${prefix}[]`, seen));
      break;
    case "record":
      merge(children(def.valueType!, `${prefix}${prefix === "" ? "" : "."}*`, seen));
      break;
  }
  return out;
}

/** Every key path below `schema`, parents before their children, in schema order. */
export function schemaPaths(schema: z.ZodType, prefix = ""): string[] {
  const out: string[] = [];
  for (const [path, child] of children(schema, prefix, new Set())) {
    out.push(path);
    out.push(...schemaPaths(child, path));
  }
  return out;
}
