/**
 * com.docker.compose.config-hash of a service, as compose's ServiceHash computes it: the
 * service definition without the keys that do not change what one container is (how many
 * run, how the image is built or pulled, start order, profiles), plus the content hashes
 * of the secrets and configs it mounts. Adding a replica therefore leaves the existing
 * replicas' hash, and so the replicas themselves, untouched.
 */
import { createHash } from "node:crypto";
import type { ServiceConfig } from "./model.ts";

/** The service as hashed: compose's ServiceHash leaves out exactly these keys. */
export function hashedServiceDefinition(service: ServiceConfig): Partial<ServiceConfig> {
  const { build: _build, pull_policy: _pullPolicy, scale: _scale, depends_on: _dependsOn, profiles: _profiles, ...rest } = service;
  if (rest.deploy === undefined || rest.deploy === null) return rest;
  const { replicas: _replicas, ...deploy } = rest.deploy;
  return { ...rest, deploy };
}

/** `mounted`: one `kind:key:contentHash` entry per mounted secret or config. */
export function serviceConfigHash(service: ServiceConfig, mounted: string[]): string {
  return createHash("sha256").update(JSON.stringify({ service: hashedServiceDefinition(service), mounted })).digest("hex");
}
