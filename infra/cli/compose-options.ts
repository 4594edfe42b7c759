/**
 * The options every command that reads compose files shares, read one way: which files
 * (infra/cli/compose-files.ts), env files, profiles (COMPOSE_PROFILES by default), the
 * project name and directory.
 */
import path from "node:path";
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import type { LoadOptions } from "../compose/load.ts";
import { composeFiles } from "./compose-files.ts";
import { envFilesFrom, withComposeSettings } from "./compose-settings.ts";
import { InputError } from "./input-errors.ts";
import { UsageError, type CliIO } from "./command.ts";

/** parseArgs definitions of the shared options. */
export const COMPOSE_OPTIONS = {
  file: { type: "string", short: "f", multiple: true },
  "env-file": { type: "string", multiple: true },
  profile: { type: "string", multiple: true },
  "project-name": { type: "string", short: "p" },
  "project-directory": { type: "string" },
} as const;

/**
 * A compose command's command line: the shared options, the command's own, and `-h`;
 * no positional arguments. A wrong command line is a UsageError (exit 2, with the usage).
 */
export function parseComposeCommandLine<T extends ParseArgsOptionsConfig>(argv: string[], own: T) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: false,
      strict: true,
      options: { ...COMPOSE_OPTIONS, ...own, help: { type: "boolean", short: "h" } } as const,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Their lines in a command's usage. */
export const COMPOSE_OPTIONS_USAGE = `  -f, --file FILE              compose file; repeat to merge several, in order (default:
                               $COMPOSE_FILE split on $COMPOSE_PATH_SEPARATOR, else compose.yaml,
                               compose.yml, docker-compose.yaml or docker-compose.yml here or above)
      --env-file FILE          env file replacing .env; repeat for several (default: $COMPOSE_ENV_FILES)
      --profile NAME           activate a profile; repeat for several (default: $COMPOSE_PROFILES)
  -p, --project-name NAME      project name (default: $COMPOSE_PROJECT_NAME, name:, directory name)
      --project-directory DIR  directory relative paths resolve against (default: the first file's)`;

export interface ComposeOptionValues {
  file?: string[];
  "env-file"?: string[];
  profile?: string[];
  "project-name"?: string;
  "project-directory"?: string;
}

/**
 * The loader's options for the command line; throws InputError when no compose file can
 * be found. COMPOSE_* settings from the project's env files count as if exported
 * (infra/cli/compose-settings.ts); the loader itself reads COMPOSE_PROFILES and
 * COMPOSE_PROJECT_NAME from the same environment.
 */
export function loadOptionsFrom(values: ComposeOptionValues, io: CliIO, cwd = process.cwd()): LoadOptions {
  const envFiles = envFilesFrom(values["env-file"], io.env);
  const env = withComposeSettings({ envFiles, files: values.file, projectDirectory: values["project-directory"], env: io.env, cwd });
  const found = composeFiles(values.file, env, cwd);
  if ("error" in found) throw new InputError([`error: ${found.error}`]);
  // The loader reads paths from the process's directory; a command run elsewhere names them absolutely.
  const at = (file: string) => (path.resolve(cwd) === process.cwd() ? file : path.resolve(cwd, file));
  return {
    files: found.files.map(at),
    envFiles: envFiles?.map(at),
    profiles: values.profile,
    projectName: values["project-name"],
    workingDir: values["project-directory"] === undefined ? undefined : at(values["project-directory"]),
    environment: env,
  };
}
