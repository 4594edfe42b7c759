/**
 * A service's `env_file` and `label_file` read into its `environment` and `labels`
 * (compose-go `WithServicesEnvironmentResolved` / `WithServicesLabelsResolved`).
 *
 * Env files apply in order, later ones winning; the service's own `environment` wins
 * over all of them, except that a name listed without a value does not erase a value an
 * env file gave. Interpolation inside an env file sees the project environment first,
 * then the service's environment. A missing env file is an error unless it is marked
 * `required: false`; a missing label file is always an error.
 */
import type { ComposeIssue } from "./errors.ts";
import { parseEnvFile } from "./env-file.ts";
import type { Environment } from "./normalize.ts";
import type { Origins } from "./origins.ts";
import { isTree, treeOrEmpty, type Tree } from "./tree.ts";

/** Reads a file's text; undefined when it does not exist. */
export type ReadText = (path: string) => string | undefined;

export function resolveServiceFiles(
  model: Tree,
  environment: Environment,
  origins: Origins,
  readText: ReadText,
  displayPath: (path: string) => string,
): { model: Tree; issues: ComposeIssue[] } {
  const issues: ComposeIssue[] = [];
  const services: Tree = {};
  for (const [name, value] of Object.entries(treeOrEmpty(model.services))) {
    const service = treeOrEmpty(value);
    const out: Tree = { ...service };
    if (Array.isArray(service.env_file) && service.env_file.length > 0) {
      out.environment = environmentWithFiles(name, service, environment, origins, readText, displayPath, issues);
    }
    if (Array.isArray(service.label_file) && service.label_file.length > 0) {
      out.labels = labelsWithFiles(name, service, origins, readText, displayPath, issues);
    }
    services[name] = out;
  }
  return { model: { ...model, services }, issues };
}

function environmentWithFiles(
  name: string,
  service: Tree,
  environment: Environment,
  origins: Origins,
  readText: ReadText,
  displayPath: (path: string) => string,
  issues: ComposeIssue[],
): Tree {
  const own = treeOrEmpty(service.environment);
  const lookup = (key: string): string | undefined => {
    const fromProject = environment[key];
    if (fromProject !== undefined) return fromProject;
    const fromService = own[key];
    return typeof fromService === "string" ? fromService : undefined;
  };
  const fromFiles: Record<string, string> = {};
  (service.env_file as unknown[]).forEach((entry, index) => {
    if (!isTree(entry) || typeof entry.path !== "string") return;
    const text = readText(entry.path);
    if (text === undefined) {
      if (entry.required !== false) issues.push(origins.issue(["services", name, "env_file", index], `env file ${displayPath(entry.path)} not found`));
      return;
    }
    const parsed = entry.format === "raw" ? parseRaw(text) : parseEnvFile(displayPath(entry.path), text, lookup);
    issues.push(...parsed.issues);
    Object.assign(fromFiles, parsed.vars);
  });
  const merged: Tree = { ...fromFiles };
  for (const [key, value] of Object.entries(own)) {
    if (value !== null && value !== undefined) merged[key] = value;
    else if (!Object.prototype.hasOwnProperty.call(merged, key)) merged[key] = null;
  }
  return merged;
}

function labelsWithFiles(
  name: string,
  service: Tree,
  origins: Origins,
  readText: ReadText,
  displayPath: (path: string) => string,
  issues: ComposeIssue[],
): Tree {
  const fromFiles: Record<string, string> = {};
  (service.label_file as unknown[]).forEach((entry, index) => {
    if (typeof entry !== "string") return;
    const text = readText(entry);
    if (text === undefined) {
      issues.push(origins.issue(["services", name, "label_file", index], `label file ${displayPath(entry)} not found`));
      return;
    }
    const parsed = parseEnvFile(displayPath(entry), text, (key) => fromFiles[key]);
    issues.push(...parsed.issues);
    Object.assign(fromFiles, parsed.vars);
  });
  return { ...fromFiles, ...treeOrEmpty(service.labels) };
}

/** `format: raw`: each line is KEY=VALUE taken literally, without quotes, escapes or interpolation. */
function parseRaw(text: string): { vars: Record<string, string>; issues: ComposeIssue[] } {
  const vars: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === "" || line.trimStart().startsWith("#")) continue;
    const at = line.indexOf("=");
    if (at > 0) vars[line.slice(0, at)] = line.slice(at + 1);
  }
  return { vars, issues: [] };
}

/**
 * The model without `env_file` once the files are folded into `environment`, as docker
 * compose holds it (`WithServicesEnvironmentResolved(discardEnvFiles=true)`); compose-go's
 * own loader keeps them. `label_file` stays: compose prints it.
 */
export function withoutEnvFiles(model: Tree): Tree {
  const services: Tree = {};
  for (const [name, value] of Object.entries(treeOrEmpty(model.services))) {
    const { env_file: _folded, ...service } = treeOrEmpty(value);
    services[name] = service;
  }
  return { ...model, services };
}
