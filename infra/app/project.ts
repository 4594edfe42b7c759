/**
 * The compose project an application deploys: its files loaded through the adapter
 * (variables pinned by the deployment winning over the process environment and `.env`),
 * then checked against the deployment's settings (service overrides, configured secrets)
 * and those settings applied. Pure apart from reading the compose files; the caller
 * decides where a settings problem is shown (a stack file, or component arguments).
 */
import path from "node:path";
import { loadProjectWithEnvironment } from "../compose/load.ts";
import type { Project } from "../compose/schema/index.ts";
import type { ReportIssue } from "./issues.ts";
import { applyServiceOverrides, checkServiceOverrides, type ServiceOverride } from "./overrides.ts";
import { checkSecrets, useConfiguredSecrets } from "./secrets.ts";
import type { EnvironmentTier } from "./tiers.ts";

export interface AppFiles {
  /** Compose files, merged in order; relative paths resolve against `baseDir`. */
  files: readonly string[];
  /** Env files replacing `.env`. */
  envFiles?: readonly string[];
  profiles?: readonly string[];
  projectName?: string;
  /** Directory relative paths in the files resolve against; default: the first file's. */
  projectDirectory?: string;
  /** Interpolation variables that win over the process environment and `.env`. */
  variables?: Readonly<Record<string, string>>;
}

export interface LoadedApp {
  project: Project;
  /**
   * What secret and config content from `environment:` is read from: the compose
   * environment (plus configured secrets once applied). Holds credentials; never log it.
   */
  environment: Record<string, string>;
}

/** Loads the files; throws ComposeError with every problem. */
export function loadAppProject(files: AppFiles, baseDir: string, processEnv: Readonly<Record<string, string | undefined>>): LoadedApp {
  const resolve = (file: string) => shown(path.resolve(baseDir, file));
  // The deployment's variables win over the process environment and .env: a stack pins what it deploys.
  const environment = { ...processEnv, ...(files.variables ?? {}) };
  return loadProjectWithEnvironment({
    files: files.files.map(resolve),
    envFiles: files.envFiles?.map(resolve),
    profiles: files.profiles === undefined ? undefined : [...files.profiles],
    projectName: files.projectName,
    workingDir: files.projectDirectory === undefined ? undefined : resolve(files.projectDirectory),
    environment,
  });
}

export interface AppSettings {
  overrides: Readonly<Record<string, ServiceOverride>>;
  /** Names of the secrets whose content the deployment sets. */
  configuredSecrets: readonly string[];
  tier: EnvironmentTier;
}

/** Reports every setting that does not fit the project. */
export function checkAppSettings(project: Project, settings: AppSettings, report: { overrides: ReportIssue; secrets: ReportIssue }): void {
  checkServiceOverrides(project, { ...settings.overrides }, report.overrides);
  checkSecrets(project, settings.configuredSecrets, settings.tier, report.secrets);
}

/** The project with the overrides applied and the configured secrets read from the environment. */
export function applyAppSettings(loaded: LoadedApp, overrides: Readonly<Record<string, ServiceOverride>>, secrets: Readonly<Record<string, string>>): LoadedApp {
  const overridden = applyServiceOverrides(loaded.project, { ...overrides });
  const withSecrets = useConfiguredSecrets(overridden, secrets);
  return { project: withSecrets.project, environment: { ...loaded.environment, ...withSecrets.variables } };
}

/** A path as messages show it: relative to the working directory when inside it, else absolute. */
function shown(absolute: string): string {
  const relative = path.relative(process.cwd(), absolute);
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : absolute;
}
