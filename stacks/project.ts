/**
 * The compose project a stack deploys: its files loaded through the adapter, checked
 * against the stack configuration, then this environment's overrides and secrets applied
 * (infra/app/project.ts), with every problem positioned in the stack file.
 * Pure apart from reading the compose files; throws ComposeError for the files and
 * StackConfigError for configuration that does not fit them.
 */
import { applyAppSettings, checkAppSettings, loadAppProject, type LoadedApp } from "../infra/app/project.ts";
import { ConfigIssues, type StackConfig } from "./config.ts";
import type { StackConfigFile } from "./config-source.ts";

export type StackProject = LoadedApp;

export interface LoadStackOptions {
  /** Directory the configured paths are relative to (where the stack files live). */
  baseDir: string;
  processEnv: Readonly<Record<string, string | undefined>>;
  /** The stack file, for positions in messages. */
  file?: StackConfigFile;
}

export function loadStackProject(config: StackConfig, options: LoadStackOptions): StackProject {
  const loaded = loadAppProject(config.compose, options.baseDir, options.processEnv);
  const issues = new ConfigIssues({ stack: config.stack, file: options.file });
  checkAppSettings(
    loaded,
    { overrides: config.services, configuredSecrets: Object.keys(config.secrets), tier: config.environment },
    {
      overrides: (path, message) => issues.add("services", path, message),
      secrets: (path, message) => issues.add("secrets", path, message),
    },
  );
  issues.throwIfAny();
  return applyAppSettings(loaded, config.services, config.secrets);
}
