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
import { withoutUnusedResources } from "../compose/unused.ts";
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
  /** The project as compose deploys it: resources no enabled service uses are left out. */
  project: Project;
  /** Secrets the files declare that no enabled service uses (a profile that is off): a value set for one is not needed. */
  unusedSecrets: readonly string[];
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
  const loaded = loadProjectWithEnvironment({
    files: files.files.map(resolve),
    envFiles: files.envFiles?.map(resolve),
    profiles: files.profiles === undefined ? undefined : [...files.profiles],
    projectName: files.projectName,
    workingDir: files.projectDirectory === undefined ? undefined : resolve(files.projectDirectory),
    environment,
    // Every declared secret is loaded so that a stack may set one its current profiles leave unused.
    allResources: true,
  });
  const project = withoutUnusedResources(loaded.project) as Project;
  const unusedSecrets = Object.keys(loaded.project.secrets ?? {}).filter((key) => project.secrets?.[key] === undefined);
  return { project, unusedSecrets, environment: loaded.environment };
}

export interface AppSettings {
  overrides: Readonly<Record<string, ServiceOverride>>;
  /** Names of the secrets whose content the deployment sets. */
  configuredSecrets: readonly string[];
  tier: EnvironmentTier;
}

/** Reports every setting that does not fit the project. */
export function checkAppSettings(loaded: LoadedApp, settings: AppSettings, report: { overrides: ReportIssue; secrets: ReportIssue }): void {
  checkServiceOverrides(loaded.project, { ...settings.overrides }, report.overrides);
  const used = settings.configuredSecrets.filter((key) => !loaded.unusedSecrets.includes(key));
  checkSecrets(loaded.project, used, settings.tier, report.secrets);
}

/** The project with the overrides applied and the configured secrets read from the environment. */
export function applyAppSettings(loaded: LoadedApp, overrides: Readonly<Record<string, ServiceOverride>>, secrets: Readonly<Record<string, string>>): LoadedApp {
  const overridden = applyServiceOverrides(loaded.project, { ...overrides });
  const withSecrets = useConfiguredSecrets(overridden, secrets);
  return { project: withSecrets.project, unusedSecrets: loaded.unusedSecrets, environment: { ...loaded.environment, ...withSecrets.variables } };
}

/** A path as messages show it: relative to the working directory when inside it, else absolute. */
function shown(absolute: string): string {
  const relative = path.relative(process.cwd(), absolute);
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : absolute;
}
