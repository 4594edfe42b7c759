/**
 * Per-environment changes to the compose project: replicas, resources and image tags per
 * service, from the stack configuration. The compose files stay the same for every
 * environment; what differs lives in `Pulumi.<stack>.yaml`.
 */
import type { Project } from "../infra/compose/schema/index.ts";
import type { ConfigIssues, ServiceOverride } from "./config.ts";

type ServiceConfig = Project["services"][string];

/** Reports overrides that do not fit the project (unknown service, tag without image...). */
export function checkServiceOverrides(project: Project, overrides: Record<string, ServiceOverride>, issues: ConfigIssues): void {
  const names = Object.keys(project.services);
  for (const [name, override] of Object.entries(overrides)) {
    const service = project.services[name];
    if (service === undefined) {
      issues.add("services", [name], `no service "${name}" in compose project "${project.name}" (services: ${names.join(", ")})`);
      continue;
    }
    const mode = service.deploy?.mode;
    if (override.replicas !== undefined && (mode === "global" || mode === "global-job")) {
      issues.add("services", [name, "replicas"], `service "${name}" runs in deploy mode "${mode}", which has no replica count`);
    }
    if (override.tag !== undefined && (service.image === undefined || service.image === "")) {
      issues.add("services", [name, "tag"], `service "${name}" has no image: to re-tag; set image instead`);
    }
  }
}

/** The project with the overrides applied; the input is not changed. */
export function applyServiceOverrides(project: Project, overrides: Record<string, ServiceOverride>): Project {
  const services: Record<string, ServiceConfig> = { ...project.services };
  for (const [name, override] of Object.entries(overrides)) {
    const service = services[name];
    if (service !== undefined) services[name] = overrideService(service, override);
  }
  return { ...project, services };
}

function overrideService(service: ServiceConfig, override: ServiceOverride): ServiceConfig {
  const out: ServiceConfig = { ...service };
  if (override.image !== undefined) out.image = override.image;
  if (override.tag !== undefined && service.image !== undefined) out.image = withTag(service.image, override.tag);
  if (override.replicas !== undefined || override.resources !== undefined) {
    const deploy = { ...(service.deploy ?? {}) };
    if (override.replicas !== undefined) deploy.replicas = override.replicas;
    if (override.resources !== undefined) {
      const resources = { ...(deploy.resources ?? {}) };
      if (override.resources.limits !== undefined) resources.limits = { ...(resources.limits ?? {}), ...definedOnly(override.resources.limits) };
      if (override.resources.reservations !== undefined) {
        resources.reservations = { ...(resources.reservations ?? {}), ...definedOnly(override.resources.reservations) };
      }
      deploy.resources = resources;
    }
    out.deploy = deploy;
    // deploy.replicas wins over scale; keep the two from disagreeing in the model.
    if (override.replicas !== undefined && out.scale !== undefined) out.scale = override.replicas;
  }
  return out;
}

/**
 * `image` with its tag (or digest) replaced: the tag is what follows the last ":" after
 * the last "/", so a registry port (`127.0.0.1:5000/web`) is kept.
 */
export function withTag(image: string, tag: string): string {
  const at = image.indexOf("@");
  const name = at === -1 ? image : image.slice(0, at);
  const slash = name.lastIndexOf("/");
  const colon = name.lastIndexOf(":");
  const repository = colon > slash ? name.slice(0, colon) : name;
  return `${repository}:${tag}`;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}
