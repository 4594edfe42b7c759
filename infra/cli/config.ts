/**
 * `config`: load the compose files and print the canonical model in the shape of
 * `docker compose config --format json|yaml`. Every problem is printed on stderr, one
 * per line, as `FILE:LINE:COL: dotted.path: message`.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { ComposeError, formatIssue } from "../compose/errors.ts";
import { loadProject } from "../compose/load.ts";
import { renderModel, type RenderFormat } from "../compose/render.ts";
import { EXIT_FAILED, EXIT_OK, UsageError, type CliIO, type Command } from "./command.ts";

const DEFAULT_FILES = ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"];

const usage = `Usage: cli config [-f FILE]... [options]

Print the compose project as \`docker compose config\` does.

Options:
  -f, --file FILE              compose file; repeat to merge several, in order
                               (default: $COMPOSE_FILE, else compose.yaml in the current directory)
      --env-file FILE          env file replacing .env; repeat for several
      --profile NAME           activate a profile; repeat for several (default: $COMPOSE_PROFILES)
  -p, --project-name NAME      project name (default: $COMPOSE_PROJECT_NAME, name:, directory name)
      --project-directory DIR  directory relative paths resolve against (default: the first file's)
      --format json|yaml       output format (default: json)
  -h, --help                   show this help`;

export const configCommand: Command = {
  name: "config",
  summary: "print the canonical model of compose files (docker compose config)",
  usage,
  run(argv: string[], io: CliIO): number {
    const { values } = parseConfigArgs(argv);
    if (values.help) {
      io.out(`${usage}\n`);
      return EXIT_OK;
    }
    const format = values.format ?? "json";
    if (format !== "json" && format !== "yaml") throw new UsageError(`--format must be json or yaml, got "${format}"`);

    const files = values.file ?? filesFromEnvironment(io.env) ?? defaultFiles();
    if (files.length === 0) {
      io.err(`no compose file given and none of ${DEFAULT_FILES.join(", ")} in ${process.cwd()}\n`);
      return EXIT_FAILED;
    }
    const profiles = values.profile ?? io.env.COMPOSE_PROFILES?.split(",").filter((profile) => profile !== "");
    try {
      const project = loadProject({
        files,
        envFiles: values["env-file"],
        profiles,
        projectName: values["project-name"],
        workingDir: values["project-directory"],
        environment: io.env,
      });
      io.out(renderModel(project, format satisfies RenderFormat));
      return EXIT_OK;
    } catch (error) {
      if (!(error instanceof ComposeError)) throw error;
      io.err(error.issues.map((issue) => `${formatIssue(issue)}\n`).join(""));
      return EXIT_FAILED;
    }
  },
};

function parseConfigArgs(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: false,
      strict: true,
      options: {
        file: { type: "string", short: "f", multiple: true },
        "env-file": { type: "string", multiple: true },
        profile: { type: "string", multiple: true },
        "project-name": { type: "string", short: "p" },
        "project-directory": { type: "string" },
        format: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** COMPOSE_FILE lists files separated by the platform's path separator, as docker compose reads it. */
function filesFromEnvironment(env: CliIO["env"]): string[] | undefined {
  const list = env.COMPOSE_FILE?.split(path.delimiter).filter((file) => file !== "");
  return list && list.length > 0 ? list : undefined;
}

function defaultFiles(): string[] {
  const found = DEFAULT_FILES.find((file) => fs.existsSync(file));
  return found ? [found] : [];
}
