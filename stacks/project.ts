/**
 * The compose project a stack deploys: its files loaded through the adapter, checked
 * against the stack configuration, then this environment's overrides and secrets applied.
 * Pure apart from reading the compose files; throws ComposeError for the files and
 * StackConfigError for configuration that does not fit them.
 */
import path from "node:path";
import { loadProjectWithEnvironment } from "../infra/compose/load.ts";
import type { Project } from "../infra/compose/schema/index.ts";
import { ConfigIssues, type StackConfig } from "./config.ts";
import type { StackConfigFile } from "./config-source.ts";
import { applyServiceOverrides, checkServiceOverrides } from "./overrides.ts";
import { checkSecrets, useConfiguredSecrets } from "./secrets.ts";

export interface StackProject {
  project: Project;
  /**
   * What secret and config content from `environment:` is read from: the compose
   * environment plus the configured secrets. Holds credentials; never log it.
   */
  environment: Record<string, string>;
}

export interface LoadStackOptions {
  /** Directory the configured paths are relative to (where the stack files live). */
  baseDir: string;
  processEnv: Readonly<Record<string, string | undefined>>;
  /** The stack file, for positions in messages. */
  file?: StackConfigFile;
}

export function loadStackProject(config: StackConfig, options: LoadStackOptions): StackProject {
  const resolve = (file: string) => path.resolve(options.baseDir, file);
  const { compose } = config;
  // The stack's variables win over the process environment and .env: a stack pins what it deploys.
  const environment = { ...options.processEnv, ...(compose.variables ?? {}) };
  const loaded = loadProjectWithEnvironment({
    files: compose.files.map(resolve),
    envFiles: compose.envFiles?.map(resolve),
    profiles: compose.profiles,
    projectName: compose.projectName,
    workingDir: compose.projectDirectory === undefined ? undefined : resolve(compose.projectDirectory),
    environment,
  });

  const issues = new ConfigIssues({ stack: config.stack, file: options.file });
  checkServiceOverrides(loaded.project, config.services, issues);
  checkSecrets(loaded.project, config.secrets, config.environment, issues);
  issues.throwIfAny();

  const overridden = applyServiceOverrides(loaded.project, config.services);
  const withSecrets = useConfiguredSecrets(overridden, config.secrets);
  return { project: withSecrets.project, environment: { ...loaded.environment, ...withSecrets.variables } };
}
