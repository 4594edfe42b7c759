/**
 * Kubernetes object names. Compose keys allow `_`, `.` and upper case; Kubernetes names
 * (Services, Deployments, claims, Secrets) must be DNS-1123 labels: lower case letters,
 * digits and `-`, at most 63 characters, starting and ending with a letter or digit. A
 * Service's name is also the DNS name other pods reach it by, so the compose key becomes
 * that name as closely as Kubernetes allows (`db_primary` is `db-primary`).
 *
 * Every object lives in the project's namespace, which scopes it as `<project>_` scopes a
 * swarm's: names carry the compose key only.
 */
import { contentHash } from "../../naming.ts";

const MAX_LABEL = 63;

/** A compose key as a DNS-1123 label. */
export function kubernetesName(key: string): string {
  const name = key
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (name === "") return `x-${contentHash(key)}`;
  // A long key keeps its start and gets a hash of the whole, so two long keys stay distinct.
  return name.length <= MAX_LABEL ? name : `${name.slice(0, MAX_LABEL - 9).replace(/-+$/, "")}-${contentHash(key)}`;
}

/** `<name>-<suffix>` within the 63 characters, the suffix (a content hash) kept whole. */
export function suffixedName(key: string, suffix: string): string {
  const base = kubernetesName(key);
  const room = MAX_LABEL - suffix.length - 1;
  return `${base.length <= room ? base : base.slice(0, room).replace(/-+$/, "")}-${suffix}`;
}

/** The project's namespace: the stack's override, else the compose project name. */
export function namespaceName(projectName: string, override?: string): string {
  return override !== undefined && override !== "" ? override : kubernetesName(projectName);
}

/** Compose keys of one kind whose Kubernetes names collide, as `[name, keys]` pairs. */
export function collidingNames(keys: readonly string[]): [string, string[]][] {
  const byName = new Map<string, string[]>();
  for (const key of keys) byName.set(kubernetesName(key), [...(byName.get(kubernetesName(key)) ?? []), key]);
  return [...byName.entries()].filter(([, same]) => same.length > 1);
}
