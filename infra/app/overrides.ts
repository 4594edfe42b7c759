/**
 * Per-environment changes to a compose project: replicas, resources and image tags per
 * service. The compose files stay the same for every environment; what differs lives in
 * the stack (`compose-pulumi:services` in `Pulumi.<stack>.yaml`, or ComposeApp's
 * `overrides`).
 */
import * as z from "zod";
import type { Project } from "../compose/schema/index.ts";
import { byteSize, closedObject, describeKind, integer, parsed, ValueProblem } from "../compose/schema/primitives.ts";
import type { ReportIssue } from "./issues.ts";

type ServiceConfig = Project["services"][string];

const nonEmptyString = parsed((value): string => {
  if (typeof value !== "string") throw new ValueProblem(`expected a string, got ${describeKind(value)}`);
  if (value.trim() === "") throw new ValueProblem("must not be empty");
  return value;
});

const cpusSchema = parsed((value): number => {
  const cpus = typeof value === "string" && /^\s*(\d+\.?\d*|\.\d+)\s*$/.test(value) ? Number(value) : value;
  if (typeof cpus !== "number" || !Number.isFinite(cpus) || cpus <= 0) {
    throw new ValueProblem(`expected a number of CPUs greater than 0 such as 0.5, got ${typeof value === "string" ? `"${value}"` : describeKind(value)}`);
  }
  return cpus;
});

const limitsSchema = closedObject({ cpus: cpusSchema.optional(), memory: byteSize.optional(), pids: integer({ min: 1 }).optional() });
const reservationsSchema = closedObject({ cpus: cpusSchema.optional(), memory: byteSize.optional() });

/** One service's override as written (a stack file, or program arguments); checked completely. */
export const serviceOverrideSchema = closedObject(
  {
    replicas: integer({ min: 0 }).optional(),
    image: nonEmptyString.optional(),
    tag: parsed((value): string => {
      const tag = typeof value === "number" ? String(value) : value;
      if (typeof tag !== "string" || !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) {
        throw new ValueProblem(`invalid image tag ${typeof tag === "string" ? `"${tag}"` : describeKind(value)}: letters, digits, "_", "." and "-", at most 128`);
      }
      return tag;
    }).optional(),
    resources: closedObject({ limits: limitsSchema.optional(), reservations: reservationsSchema.optional() }).optional(),
  },
  (override, ctx) => {
    if (override.image !== undefined && override.tag !== undefined) {
      ctx.addIssue({ code: "custom", path: ["tag"], message: "set either image or tag, not both" });
    }
  },
);

/** A checked override: CPUs as numbers, memory in bytes. */
export type ServiceOverride = z.output<typeof serviceOverrideSchema>;

/**
 * Overrides as written, checked against the schema: every problem is reported (with its
 * path under the service name), and only the services without problems are returned.
 */
export function parseServiceOverrides(raw: unknown, report: ReportIssue): Record<string, ServiceOverride> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== "object" || Array.isArray(raw)) {
    report([], `expected a mapping of service name to override, got ${describeKind(raw)}`);
    return {};
  }
  const out: Record<string, ServiceOverride> = {};
  for (const [name, value] of Object.entries(raw)) {
    const result = serviceOverrideSchema.safeParse(value);
    if (result.success) {
      out[name] = result.data;
      continue;
    }
    for (const issue of result.error.issues) {
      report([name, ...issue.path.map((segment) => (typeof segment === "number" ? segment : String(segment)))], issue.message);
    }
  }
  return out;
}

/** Reports overrides that do not fit the project (unknown service, tag without image...). */
export function checkServiceOverrides(project: Project, overrides: Record<string, ServiceOverride>, report: ReportIssue): void {
  const names = Object.keys(project.services);
  for (const [name, override] of Object.entries(overrides)) {
    const service = project.services[name];
    if (service === undefined) {
      report([name], `no service "${name}" in compose project "${project.name}" (services: ${names.join(", ")})`);
      continue;
    }
    const mode = service.deploy?.mode;
    if (override.replicas !== undefined && (mode === "global" || mode === "global-job")) {
      report([name, "replicas"], `service "${name}" runs in deploy mode "${mode}", which has no replica count`);
    }
    if (override.tag !== undefined && (service.image === undefined || service.image === "")) {
      report([name, "tag"], `service "${name}" has no image: to re-tag; set image instead`);
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
