/**
 * Where a Pulumi project keeps a stack's configuration, and that configuration read
 * without the Pulumi engine: `Pulumi.yaml` (its `name` and `stackConfigDir`), then
 * `Pulumi.<stack>.yaml` beside it or in that directory. The values come out as Pulumi
 * hands them to a program (full keys, objects as JSON text); a `secure:` value cannot be
 * decrypted here and stands as a placeholder, its key listed as secret.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import type { StackConfigFile } from "./config-source.ts";

/** Stands in for a `secure:` value, which only the engine can decrypt. */
export const SECURE_PLACEHOLDER = "(secret)";

export interface PulumiProject {
  /** The folder of `Pulumi.yaml`. */
  dir: string;
  name: string;
  /** Where `Pulumi.<stack>.yaml` files live. */
  stackConfigDir: string;
}

export interface StackFileValues {
  file: StackConfigFile & { path: string };
  values: Record<string, string>;
  secretKeys: Set<string>;
}

export class StackFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackFileError";
  }
}

/** The Pulumi project whose `Pulumi.yaml` (or `Pulumi.yml`) is in `dir` or the nearest parent. */
export function findPulumiProject(dir: string): PulumiProject {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    for (const name of ["Pulumi.yaml", "Pulumi.yml"]) {
      const file = path.join(current, name);
      if (existsSync(file)) return readPulumiProject(file);
    }
    if (path.dirname(current) === current) break;
  }
  throw new StackFileError(`no Pulumi.yaml in ${path.resolve(dir)} or its parents: run this in the folder of the Pulumi project`);
}

function readPulumiProject(file: string): PulumiProject {
  let document: unknown;
  try {
    document = parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new StackFileError(`${file}: ${(error as Error).message.split("\n")[0]}`);
  }
  const settings = (document ?? {}) as { name?: unknown; stackConfigDir?: unknown };
  if (typeof settings.name !== "string" || settings.name === "") throw new StackFileError(`${file}: name: the project needs a name`);
  const dir = path.dirname(file);
  const configDir = typeof settings.stackConfigDir === "string" ? path.resolve(dir, settings.stackConfigDir) : dir;
  return { dir, name: settings.name, stackConfigDir: configDir };
}

/** The path of a stack's configuration file. */
export function stackFilePath(project: PulumiProject, stack: string): string {
  return path.join(project.stackConfigDir, `Pulumi.${stack}.yaml`);
}

/** A stack's file, shown relative to `displayFrom`; undefined when the stack has none. */
export function readStackFile(project: PulumiProject, stack: string, displayFrom: string): (StackConfigFile & { path: string }) | undefined {
  const file = stackFilePath(project, stack);
  if (!existsSync(file)) return undefined;
  const relative = path.relative(displayFrom, file);
  return { path: file, display: relative.startsWith("..") ? file : relative, text: readFileSync(file, "utf8") };
}

/** The configuration of a stack's file as a program receives it, secure values as placeholders. */
export function stackFileValues(project: PulumiProject, stack: string, displayFrom: string): StackFileValues {
  const file = readStackFile(project, stack, displayFrom);
  if (file === undefined) {
    const present = listStacks(project);
    const known = present.length === 0 ? "it has none" : `stacks with a file: ${present.join(", ")}`;
    throw new StackFileError(`no stack file ${path.relative(displayFrom, stackFilePath(project, stack)) || stackFilePath(project, stack)} for stack "${stack}" (${known})`);
  }
  let document: unknown;
  try {
    document = parse(file.text);
  } catch (error) {
    throw new StackFileError(`${file.display}: ${(error as Error).message.split("\n")[0]}`);
  }
  const config = ((document ?? {}) as { config?: unknown }).config ?? {};
  if (typeof config !== "object" || config === null || Array.isArray(config)) throw new StackFileError(`${file.display}: config: expected a mapping`);
  const values: Record<string, string> = {};
  const secretKeys = new Set<string>();
  for (const [key, raw] of Object.entries(config)) {
    const fullKey = key.includes(":") ? key : `${project.name}:${key}`;
    const { value, secret } = withPlaceholders(raw);
    if (secret) secretKeys.add(fullKey);
    values[fullKey] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return { file, values, secretKeys };
}

/** The stacks that have a file in the project's stack directory. */
export function listStacks(project: PulumiProject): string[] {
  let names: string[];
  try {
    names = readdirSync(project.stackConfigDir);
  } catch {
    return [];
  }
  return names
    .map((name) => /^Pulumi\.(.+)\.yaml$/.exec(name)?.[1])
    .filter((name): name is string => name !== undefined)
    .sort();
}

function isSecure(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && "secure" in value;
}

function withPlaceholders(value: unknown): { value: unknown; secret: boolean } {
  if (isSecure(value)) return { value: SECURE_PLACEHOLDER, secret: true };
  if (Array.isArray(value)) {
    const items = value.map(withPlaceholders);
    return { value: items.map((item) => item.value), secret: items.some((item) => item.secret) };
  }
  if (typeof value === "object" && value !== null) {
    let secret = false;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const inner = withPlaceholders(item);
      secret ||= inner.secret;
      out[key] = inner.value;
    }
    return { value: out, secret };
  }
  return { value, secret: false };
}
