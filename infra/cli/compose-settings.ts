/**
 * The COMPOSE_* settings a command starts from, as docker compose reads them before it
 * picks its files: the process environment, then the `COMPOSE_*` variables that the
 * project's env files set and the process environment does not (docker compose's
 * `setEnvWithDotEnv`). So a `.env` that says `COMPOSE_FILE=a.yaml:b.yaml` or
 * `COMPOSE_PROFILES=web` works as if it had been exported.
 *
 * Which env files: `--env-file`, else COMPOSE_ENV_FILES (comma-separated), else `.env`
 * in the project directory (`--project-directory`, else the first `-f` file's directory,
 * else the current one) unless COMPOSE_DISABLE_ENV_FILE is true. Problems in those files
 * are not reported here: the loader reads the same files and reports them in place.
 */
import fs from "node:fs";
import path from "node:path";
import { parseEnvFile } from "../compose/env-file.ts";
import { parseGoBool } from "../compose/go-format.ts";

type Environment = Readonly<Record<string, string | undefined>>;

export interface SettingsInput {
  envFiles?: readonly string[];
  files?: readonly string[];
  projectDirectory?: string;
  env: Environment;
  cwd: string;
}

/** The env files the command line names, or COMPOSE_ENV_FILES's; undefined: the default `.env`. */
export function envFilesFrom(flags: readonly string[] | undefined, env: Environment): string[] | undefined {
  if (flags !== undefined && flags.length > 0) return [...flags];
  const listed = (env.COMPOSE_ENV_FILES ?? "").split(",").filter((file) => file !== "");
  return listed.length > 0 ? listed : undefined;
}

/** The environment with the env files' COMPOSE_* variables added where the process has none. */
export function withComposeSettings(input: SettingsInput): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { ...input.env };
  for (const file of settingsFiles(input)) {
    const text = readIfFile(file);
    if (text === undefined) continue;
    const { vars } = parseEnvFile(file, text, (name) => input.env[name]);
    for (const [name, value] of Object.entries(vars)) {
      if (name.startsWith("COMPOSE_") && input.env[name] === undefined) out[name] = value;
    }
  }
  return out;
}

function settingsFiles(input: SettingsInput): string[] {
  const given = envFilesFrom(input.envFiles, input.env);
  if (given !== undefined) return given.map((file) => path.resolve(input.cwd, file));
  // A bad value is the loader's to report; here it disables nothing.
  if (parseGoBool(input.env.COMPOSE_DISABLE_ENV_FILE ?? "") === true) return [];
  const firstFile = input.files?.find((file) => file !== "-");
  const directory =
    input.projectDirectory !== undefined
      ? path.resolve(input.cwd, input.projectDirectory)
      : firstFile !== undefined
        ? path.dirname(path.resolve(input.cwd, firstFile))
        : path.resolve(input.cwd);
  return [path.join(directory, ".env")];
}

function readIfFile(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}
