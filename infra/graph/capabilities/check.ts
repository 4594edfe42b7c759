/**
 * Reads a service (or a top-level object) against the capability table: every key that
 * is set and that the target, or a job on it, ignores becomes a warning naming the key;
 * every key it cannot accept becomes an error. Keys the target converts are followed into
 * their own keys, so nothing below a converted key is dropped unnoticed either.
 */
import { CAPABILITIES } from "./table.ts";
import { stopsHere, supportFor, type Target, type WorkloadKind } from "./support.ts";

export type IssuePath = (string | number)[];

export interface CapabilitySink {
  warn(path: IssuePath, message: string): void;
  error(path: IssuePath, message: string): void;
}

export function isSet(value: unknown, unset: readonly unknown[] = []): boolean {
  if (value === undefined || value === null || value === false) return false;
  if (unset.includes(value)) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "object") return Object.keys(value).length > 0;
  return true;
}

/** How a template's children are named: list items, free names, or fixed keys. */
function childShape(template: string): "list" | "names" | "keys" | "leaf" {
  let shape: "list" | "names" | "keys" | "leaf" = "leaf";
  for (const path of CAPABILITIES.keys()) {
    if (path.startsWith(`${template}[]`)) return "list";
    if (path.startsWith(`${template}.*`)) shape = "names";
    else if (shape === "leaf" && path.startsWith(`${template}.`)) shape = "keys";
  }
  return shape;
}

const shapes = new Map<string, ReturnType<typeof childShape>>();
function shapeOf(template: string): ReturnType<typeof childShape> {
  let shape = shapes.get(template);
  if (shape === undefined) shapes.set(template, (shape = childShape(template)));
  return shape;
}

/**
 * Checks `value`, found at `path` (whose table path is `template`), and what is below it.
 * A key with no entry for the column is reported as an error: the coverage test keeps
 * that from happening, and an unknown key must never pass silently.
 */
export function checkCapabilities(value: unknown, path: IssuePath, template: string, target: Target, kind: WorkloadKind, out: CapabilitySink): void {
  const capability = CAPABILITIES.get(template);
  if (!isSet(value, capability?.unset)) return;
  const support = capability === undefined ? undefined : supportFor(capability, target, kind);
  if (support === undefined) {
    out.error(path, `has no entry for the ${target} target in the capability table`);
    return;
  }
  if (stopsHere(support)) {
    if (typeof support === "object" && "warn" in support) out.warn(path, support.warn);
    else if (typeof support === "object" && "error" in support) out.error(path, support.error);
    return;
  }
  const shape = shapeOf(template);
  if (shape === "list" && Array.isArray(value)) {
    value.forEach((item, index) => checkKeys(item, [...path, index], `${template}[]`, target, kind, out));
  } else if (shape === "names" && typeof value === "object" && value !== null) {
    for (const [name, item] of Object.entries(value)) checkKeys(item, [...path, name], `${template}.*`, target, kind, out);
  } else if (shape === "keys") {
    checkKeys(value, path, template, target, kind, out);
  }
}

export function checkKeys(value: unknown, path: IssuePath, template: string, target: Target, kind: WorkloadKind, out: CapabilitySink): void {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return;
  for (const [key, child] of Object.entries(value)) {
    if (key.startsWith("x-")) continue;
    checkCapabilities(child, [...path, key], `${template}.${key}`, target, kind, out);
  }
}
