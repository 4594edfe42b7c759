/**
 * The compose schema: the single source of the adapter's types.
 *
 * ComposeFile is one file as validated (short syntax expanded, durations in nanoseconds,
 * sizes in bytes, no defaults applied); Project is the canonical model after loading.
 */
import type * as z from "zod";
import type { ComposeIssue } from "../errors.ts";
import type { SourceFile } from "../source.ts";
import { toComposeIssues } from "./issues.ts";
import { ComposeFileSchema, ProjectSchema } from "./project.ts";

export { ComposeFileSchema, ProjectSchema, projectName } from "./project.ts";
export { ServiceFileSchema, ServiceSchema, serviceShape } from "./service.ts";
export { NetworkSchema } from "./networks.ts";
export { VolumeSchema } from "./named-volumes.ts";
export { SecretSchema, ConfigSchema } from "./file-objects.ts";
export { ModelSchema } from "./models.ts";
export { DEPLOY_MODES } from "./deploy.ts";
export { DEPENDENCY_CONDITIONS } from "./depends-on.ts";
export { MOUNT_TYPES } from "./mounts.ts";
export type { Extensions, Syntax } from "./primitives.ts";
export { toComposeIssues } from "./issues.ts";

export type ComposeFile = z.output<typeof ComposeFileSchema>;
export type ComposeFileService = NonNullable<ComposeFile["services"]>[string];

export type Project = z.output<typeof ProjectSchema>;
export type Service = Project["services"][string];
export type Network = NonNullable<Project["networks"]>[string];
export type Volume = NonNullable<Project["volumes"]>[string];
export type Secret = NonNullable<Project["secrets"]>[string];
export type Config = NonNullable<Project["configs"]>[string];
export type Model = NonNullable<Project["models"]>[string];

export type ServicePort = NonNullable<Service["ports"]>[number];
export type ServiceVolumeMount = NonNullable<Service["volumes"]>[number];
export type ServiceNetworkAttachment = NonNullable<NonNullable<Service["networks"]>[string]>;
export type ServiceDependency = NonNullable<Service["depends_on"]>[string];
export type ServiceFileReference = NonNullable<Service["secrets"]>[number];
export type ServiceEnvFile = NonNullable<Service["env_file"]>[number];
export type ServiceBuild = NonNullable<Service["build"]>;
export type ServiceDeploy = NonNullable<Service["deploy"]>;
export type ServiceHealthcheck = NonNullable<Service["healthcheck"]>;
export type ServiceUlimit = NonNullable<Service["ulimits"]>[string];

/**
 * Validates one file's data (after interpolation) and expands its short syntax. Reports
 * every problem in the file, each positioned through `source`; returns the file only
 * when there were none.
 */
export function validateComposeFile(source: SourceFile, data: unknown): { file?: ComposeFile; issues: ComposeIssue[]; salvaged?: SalvagedFile } {
  // jitless: zod would otherwise generate and compile (new Function) a parser for each
  // mapping schema on its first use. A file is validated once per run, so compiling cost
  // more than it saved: a third of an ordinary file's validation, and 16 MiB of peak
  // memory on a 1,000-service file, at no gain in time there.
  const result = ComposeFileSchema.safeParse(data, { reportInput: true, jitless: true });
  if (result.success) return { file: result.data, issues: [] };
  return { issues: toComposeIssues(source, result.error.issues), salvaged: salvageFile(data, result.error.issues) };
}

/** The sections whose entries are validated, and checked, one by one. */
const ENTRY_SECTIONS = ["services", "networks", "volumes", "secrets", "configs"] as const;
export type EntrySection = (typeof ENTRY_SECTIONS)[number];

/** Names of entries left out, per section: none yet. */
export function noUncheckedEntries(): Record<EntrySection, Set<string>> {
  return Object.fromEntries(ENTRY_SECTIONS.map((section) => [section, new Set<string>()])) as Record<EntrySection, Set<string>>;
}

/**
 * What of an invalid file validated: the file without the entries (a service, a network,
 * ...) and top-level keys that had problems, and the names of the entries left out. The
 * loader goes on with it so that later stages report their problems in the same run; it
 * never returns a model built from it.
 */
export interface SalvagedFile {
  file: ComposeFile;
  unchecked: Record<EntrySection, Set<string>>;
}

function salvageFile(data: unknown, issues: readonly z.core.$ZodIssue[]): SalvagedFile | undefined {
  if (data === null || typeof data !== "object" || Array.isArray(data)) return undefined;
  const reduced: Record<string, unknown> = { ...(data as Record<string, unknown>) };
  const unchecked = noUncheckedEntries();
  for (const issue of issues) {
    const [top, entry] = issue.path;
    if (top === undefined) {
      // Unknown top-level keys: the rest of the file still means what it says.
      if (issue.code !== "unrecognized_keys") return undefined;
      for (const key of issue.keys) delete reduced[key];
      continue;
    }
    const section = ENTRY_SECTIONS.find((name) => name === top);
    if (section === undefined) {
      // `include` decides what else is loaded: without it, nothing later can be trusted.
      if (top === "include") return undefined;
      delete reduced[String(top)];
      continue;
    }
    if (entry === undefined) return undefined;
    unchecked[section].add(String(entry));
  }
  uncheckExtendingServices(reduced.services, unchecked.services);
  for (const section of ENTRY_SECTIONS) {
    if (unchecked[section].size === 0) continue;
    const entries = reduced[section];
    if (entries === null || typeof entries !== "object") return undefined;
    reduced[section] = Object.fromEntries(Object.entries(entries).filter(([name]) => !unchecked[section].has(name)));
  }
  const again = ComposeFileSchema.safeParse(reduced);
  return again.success ? { file: again.data, unchecked } : undefined;
}

/** Checks a canonical model (for instance one built by normalize) against ProjectSchema. */
export function validateProject(source: SourceFile, project: unknown): { project?: Project; issues: ComposeIssue[] } {
  const result = ProjectSchema.safeParse(project, { reportInput: true });
  if (result.success) return { project: result.data, issues: [] };
  return { issues: toComposeIssues(source, result.error.issues) };
}

/** A service that extends a left-out service of the same file cannot be built either: it is left out too. */
function uncheckExtendingServices(services: unknown, unchecked: Set<string>): void {
  if (services === null || typeof services !== "object") return;
  const baseOf = (service: unknown): string | undefined => {
    if (service === null || typeof service !== "object") return undefined;
    const extended = (service as Record<string, unknown>).extends;
    if (typeof extended === "string") return extended;
    if (extended === null || typeof extended !== "object") return undefined;
    const { service: base, file } = extended as Record<string, unknown>;
    return file === undefined && typeof base === "string" ? base : undefined;
  };
  for (let changed = unchecked.size > 0; changed; ) {
    changed = false;
    for (const [name, service] of Object.entries(services)) {
      const base = baseOf(service);
      if (!unchecked.has(name) && base !== undefined && unchecked.has(base)) {
        unchecked.add(name);
        changed = true;
      }
    }
  }
}
