/**
 * Merging compose models: several `-f` files in order, and a service with the service it
 * extends. Rules follow compose-go v2.9.1 (`override/merge.go` then
 * `override/uncity.go`), applied to the long-syntax model:
 *
 * - mappings merge key by key, recursively; scalars are replaced; a null override keeps
 *   the base value;
 * - sequences are appended, then entries that redefine the same thing are collapsed
 *   (the later one replaces the earlier one in the earlier one's place): ports by
 *   host_ip/published/target/protocol, volumes by target, secrets and configs by target,
 *   devices by target, env_file by path, expose/dns/cap_add/... by value;
 * - command, entrypoint, healthcheck.test and each ulimit are replaced as a whole;
 * - environment, labels, annotations, build args, sysctls... merge by key, and a null
 *   in the override replaces the base value;
 * - logging options merge only when both sides use the same driver (or one sets none);
 * - network IPAM pools merge by subnet;
 * - `!reset` removes a key, `!override` replaces it without merging.
 */
import type { PathSegment } from "./errors.ts";
import { deepClone, deepEqual, deleteAt, isTree, treeOrEmpty, type Tree } from "./tree.ts";

/** Keys tagged in an override file: `!reset` (remove) and `!override` (replace, no merge). */
export interface MergeDirectives {
  reset: readonly (readonly PathSegment[])[];
  override: readonly (readonly PathSegment[])[];
}

type Merger = (base: unknown, override: unknown, path: readonly string[]) => unknown;

const replace: Merger = (_base, override) => deepClone(override);

/** Maps of strings where an override entry always wins, null included. */
const mergeByKey: Merger = (base, override) => {
  if (!isTree(base) || !isTree(override)) return deepClone(override ?? base);
  return { ...deepClone(base), ...deepClone(override) };
};

const mergeLogging: Merger = (base, override, path) => {
  if (!isTree(base) || !isTree(override)) return deepClone(override ?? base);
  const sameDriver = base.driver === undefined || override.driver === undefined || base.driver === override.driver;
  return sameDriver ? mergeMappings(base, override, path) : deepClone(override);
};

const mergeIpamPools: Merger = (base, override) => {
  if (!Array.isArray(base) || !Array.isArray(override)) return deepClone(override ?? base);
  const pools = base.map((pool) => deepClone(pool));
  for (const pool of override) {
    const index = pools.findIndex((existing) => isTree(existing) && isTree(pool) && existing.subnet === pool.subnet);
    if (index >= 0) pools[index] = mergeMappings(treeOrEmpty(pools[index]), treeOrEmpty(pool), []);
    else pools.push(deepClone(pool));
  }
  return pools;
};

/** extra_hosts (host -> addresses): addresses of the same host are joined, each address once. */
const mergeHosts: Merger = (base, override) => {
  if (!isTree(base) || !isTree(override)) return deepClone(override ?? base);
  const merged: Tree = deepClone(base);
  for (const [host, addresses] of Object.entries(override)) {
    const existing = Array.isArray(merged[host]) ? (merged[host] as unknown[]) : [];
    const added = Array.isArray(addresses) ? addresses : [addresses];
    merged[host] = [...existing, ...added.filter((address) => !existing.includes(address))];
  }
  return merged;
};

const MERGE_RULES: ReadonlyArray<[string, Merger]> = [
  ["services.*.command", replace],
  ["services.*.entrypoint", replace],
  ["services.*.healthcheck.test", replace],
  ["services.*.ulimits.*", replace],
  ["services.*.build.ulimits.*", replace],
  ["services.*.logging", mergeLogging],
  ["services.*.environment", mergeByKey],
  ["services.*.labels", mergeByKey],
  ["services.*.annotations", mergeByKey],
  ["services.*.sysctls", mergeByKey],
  ["services.*.build.args", mergeByKey],
  ["services.*.build.labels", mergeByKey],
  ["services.*.build.additional_contexts", mergeByKey],
  ["services.*.deploy.labels", mergeByKey],
  ["services.*.extra_hosts", mergeHosts],
  ["services.*.build.extra_hosts", mergeHosts],
  ["networks.*.labels", mergeByKey],
  ["volumes.*.labels", mergeByKey],
  ["secrets.*.labels", mergeByKey],
  ["configs.*.labels", mergeByKey],
  ["networks.*.ipam.config", mergeIpamPools],
];

function matches(pattern: string, path: readonly string[]): boolean {
  const parts = pattern.split(".");
  return parts.length === path.length && parts.every((part, index) => part === "*" || part === path[index]);
}

function mergeValue(base: unknown, override: unknown, path: readonly string[]): unknown {
  for (const [pattern, merger] of MERGE_RULES) {
    if (matches(pattern, path)) return merger(base, override, path);
  }
  if (override === undefined || override === null) return deepClone(base);
  if (isTree(base) && isTree(override)) return mergeMappings(base, override, path);
  if (Array.isArray(base) && Array.isArray(override)) return [...deepClone(base), ...deepClone(override)];
  return deepClone(override);
}

function mergeMappings(base: Tree, override: Tree, path: readonly string[]): Tree {
  const merged = deepClone(base);
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined) continue;
    merged[key] = Object.prototype.hasOwnProperty.call(merged, key) && merged[key] !== undefined
      ? mergeValue(merged[key], value, [...path, key])
      : deepClone(value);
  }
  return merged;
}

/** Merges one compose model over another; neither input is modified. */
export function mergeModels(base: Tree, override: Tree, directives?: MergeDirectives): Tree {
  let left = base;
  let right = override;
  if (directives && (directives.reset.length > 0 || directives.override.length > 0)) {
    left = deepClone(base);
    right = deepClone(override);
    for (const path of directives.reset) {
      deleteAt(left, path);
      deleteAt(right, path);
    }
    for (const path of directives.override) deleteAt(left, path);
  }
  const merged = mergeMappings(left, right, []);
  const services = merged.services;
  if (isTree(services)) {
    for (const [name, service] of Object.entries(services)) {
      if (isTree(service)) services[name] = enforceUnicity(service);
    }
  }
  return merged;
}

/**
 * A service merged over the service it extends (compose-go `ExtendService`): the same
 * rules as for files, evaluated at `services.<name>`.
 */
export function mergeServices(base: Tree, override: Tree): Tree {
  return enforceUnicity(mergeMappings(base, override, ["services", "*"]));
}

type Indexer = (entry: unknown) => string;

const byValue: Indexer = (entry) => (typeof entry === "string" ? entry : JSON.stringify(entry));
const byKeyBeforeEquals: Indexer = (entry) => (typeof entry === "string" ? entry.split("=")[0] : JSON.stringify(entry));
const byField =
  (field: string): Indexer =>
  (entry) =>
    isTree(entry) && typeof entry[field] === "string" ? (entry[field] as string) : JSON.stringify(entry);
const byMountTarget =
  (defaultDir: string): Indexer =>
  (entry) => {
    if (typeof entry === "string") return `${defaultDir}/${entry}`;
    if (isTree(entry)) return typeof entry.target === "string" ? entry.target : `${defaultDir}/${String(entry.source)}`;
    return JSON.stringify(entry);
  };
const byPortBinding: Indexer = (entry) => {
  if (!isTree(entry)) return String(entry);
  const published = entry.published === undefined ? "" : String(entry.published);
  return `${entry.host_ip ?? "0.0.0.0"}:${published}:${String(entry.target)}/${entry.protocol ?? "tcp"}`;
};

/** Sequences of a service whose entries are identified by a key; a redefinition replaces in place. */
const UNIQUE_RULES: ReadonlyArray<[readonly string[], Indexer]> = [
  [["ports"], byPortBinding],
  [["volumes"], byField("target")],
  [["devices"], byField("target")],
  [["secrets"], byMountTarget("/run/secrets")],
  [["configs"], byMountTarget("")],
  [["env_file"], byField("path")],
  [["label_file"], byValue],
  [["expose"], (entry) => String(entry)],
  [["dns"], byKeyBeforeEquals],
  [["dns_opt"], byKeyBeforeEquals],
  [["dns_search"], byKeyBeforeEquals],
  [["cap_add"], byKeyBeforeEquals],
  [["cap_drop"], byKeyBeforeEquals],
  [["links"], byKeyBeforeEquals],
  [["profiles"], byKeyBeforeEquals],
  [["tmpfs"], byKeyBeforeEquals],
  [["build", "tags"], byKeyBeforeEquals],
];

function uniqueBy(entries: readonly unknown[], indexer: Indexer): unknown[] {
  const out: unknown[] = [];
  const seen = new Map<string, number>();
  for (const entry of entries) {
    const key = indexer(entry);
    const at = seen.get(key);
    if (at === undefined) {
      seen.set(key, out.length);
      out.push(entry);
    } else {
      out[at] = entry;
    }
  }
  return out;
}

/** Collapses redefinitions inside one service's sequences (compose-go `EnforceUnicity`). */
export function enforceUnicity(service: Tree): Tree {
  const result = { ...service };
  for (const [path, indexer] of UNIQUE_RULES) {
    if (path.length === 1) {
      const list = result[path[0]];
      if (Array.isArray(list)) result[path[0]] = uniqueBy(list, indexer);
    } else {
      const parent = result[path[0]];
      if (isTree(parent) && Array.isArray(parent[path[1]])) {
        result[path[0]] = { ...parent, [path[1]]: uniqueBy(parent[path[1]] as unknown[], indexer) };
      }
    }
  }
  const networks = result.networks;
  if (isTree(networks)) {
    const copy: Tree = {};
    for (const [name, attachment] of Object.entries(networks)) {
      if (!isTree(attachment)) {
        copy[name] = attachment;
        continue;
      }
      const entry = { ...attachment };
      for (const key of ["aliases", "link_local_ips"]) {
        if (Array.isArray(entry[key])) entry[key] = uniqueBy(entry[key] as unknown[], byKeyBeforeEquals);
      }
      copy[name] = entry;
    }
    result.networks = copy;
  }
  return result;
}

/** True when two resource definitions are the same (an include may repeat what the includer declares). */
export function sameDefinition(a: unknown, b: unknown): boolean {
  return deepEqual(a, b);
}
