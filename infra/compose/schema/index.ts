/**
 * The compose schema: the single source of the adapter's types.
 *
 * ComposeFile is one file as validated (short syntax expanded, durations in nanoseconds,
 * sizes in bytes, no defaults applied); Project is the canonical model after loading.
 */
import type { z } from "zod";
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
export function validateComposeFile(source: SourceFile, data: unknown): { file?: ComposeFile; issues: ComposeIssue[] } {
  const result = ComposeFileSchema.safeParse(data, { reportInput: true });
  if (result.success) return { file: result.data, issues: [] };
  return { issues: toComposeIssues(source, result.error.issues) };
}

/** Checks a canonical model (for instance one built by normalize) against ProjectSchema. */
export function validateProject(source: SourceFile, project: unknown): { project?: Project; issues: ComposeIssue[] } {
  const result = ProjectSchema.safeParse(project, { reportInput: true });
  if (result.success) return { project: result.data, issues: [] };
  return { issues: toComposeIssues(source, result.error.issues) };
}
