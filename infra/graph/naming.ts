/**
 * Physical and logical names, following Docker's own tools so that `docker stack ps
 * <project>` and `docker compose -p <project> ps` list what was deployed.
 *
 * - `docker stack deploy` scopes everything as `<project>_<key>` (cli/compose/convert
 *   Namespace.Scope), unless the compose file gives an explicit `name:`.
 * - `docker compose` names containers `<project>-<service>-<n>` and networks/volumes
 *   `<project>_<key>`.
 * - Logical (Pulumi) names are built from compose keys, never from list positions, so
 *   reordering YAML never replaces a resource.
 */
import { createHash } from "node:crypto";

/** `<project>_<key>`, the stack namespace scope. */
export function scopeName(project: string, key: string): string {
  return `${project}_${key}`;
}

/** The physical name of a project-level object: its explicit `name:` or the scoped key. */
export function objectName(project: string, key: string, explicitName?: string): string {
  return explicitName !== undefined && explicitName !== "" ? explicitName : scopeName(project, key);
}

/** Swarm service name, as `docker stack deploy` names it. */
export function swarmServiceName(project: string, service: string): string {
  return scopeName(project, service);
}

/** Engine container name for replica `number` (1-based), as `docker compose up` names it. */
export function engineContainerName(project: string, service: string, number: number, containerName?: string): string {
  if (containerName !== undefined && containerName !== "") return containerName;
  return `${project}-${service}-${number}`;
}

/** First hex characters of the SHA-256 of `content`. */
export function contentHash(content: string | Buffer, length = 8): string {
  return createHash("sha256").update(content).digest("hex").slice(0, length);
}

/**
 * Name of a created secret or config: its base name plus a short content hash, so that a
 * rotation creates a new object, moves the services onto it, and only then deletes the
 * old one (swarm refuses to delete or update a secret in use).
 */
export function hashedObjectName(baseName: string, hash: string): string {
  return `${baseName}-${hash}`;
}

/** Logical name of a child of the project component: `<component>-<compose key>`. */
export function logicalName(componentName: string, ...keys: string[]): string {
  return [componentName, ...keys].join("-");
}

/** The registry of an image name: docker's rule, a first path segment with a dot or a colon, or localhost. */
export function registryHost(imageName: string): string {
  const slash = imageName.indexOf("/");
  const first = slash === -1 ? "" : imageName.slice(0, slash);
  return first !== "" && (/[.:]/.test(first) || first === "localhost") ? first : "docker.io";
}
