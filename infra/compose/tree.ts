/**
 * Plain-data helpers shared by the structural stages (merge, extends, include, normalize).
 *
 * Those stages apply compose-spec rules that are defined by position in the document
 * ("services.*.ports", "networks.*.labels"), not by field type, so they walk the model
 * as JSON-like data. The model's field types still come only from the zod schemas.
 */

/** A JSON-like mapping as produced by the parser and the schema. */
export type Tree = Record<string, unknown>;

export function isTree(value: unknown): value is Tree {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A mapping value, treating an absent or null entry as empty (compose allows `web:` with no body). */
export function treeOrEmpty(value: unknown): Tree {
  return isTree(value) ? value : {};
}

export function deepClone<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => deepClone(item)) as T;
  if (isTree(value)) {
    const copy: Tree = {};
    for (const [key, item] of Object.entries(value)) copy[key] = deepClone(item);
    return copy as T;
  }
  return value;
}

/** Structural equality; key order of mappings does not matter, item order of sequences does. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => deepEqual(item, b[index]));
  }
  if (isTree(a) && isTree(b)) {
    const keysA = Object.keys(a).filter((key) => a[key] !== undefined);
    const keysB = Object.keys(b).filter((key) => b[key] !== undefined);
    if (keysA.length !== keysB.length) return false;
    return keysA.every((key) => Object.prototype.hasOwnProperty.call(b, key) && deepEqual(a[key], b[key]));
  }
  return false;
}

/** Removes the entry at `path` if it exists (sequence indexes are followed, not removed). */
export function deleteAt(tree: Tree, path: readonly (string | number)[]): void {
  let node: unknown = tree;
  for (const segment of path.slice(0, -1)) {
    if (Array.isArray(node) && typeof segment === "number") node = node[segment];
    else if (isTree(node) && typeof segment === "string") node = node[segment];
    else return;
  }
  const last = path[path.length - 1];
  if (isTree(node) && typeof last === "string") delete node[last];
}

/** Keys in the byte order Go's encoding/json and sort.Strings use. */
export function sortedKeys(tree: Tree): string[] {
  return Object.keys(tree).sort(compareStrings);
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The top-level sections whose entries are user-named resources. */
export const RESOURCE_SECTIONS = ["services", "networks", "volumes", "secrets", "configs"] as const;
export type ResourceSection = (typeof RESOURCE_SECTIONS)[number];
