/**
 * `config`: load the compose files and print the canonical model in the shape of
 * `docker compose config --format json|yaml`. Every problem is printed on stderr, one
 * per line, as `FILE:LINE:COL: dotted.path: message`.
 */
import { loadProject } from "../compose/load.ts";
import { renderModel, type RenderFormat } from "../compose/render.ts";
import { COMPOSE_OPTIONS_USAGE, loadOptionsFrom, parseComposeCommandLine } from "./compose-options.ts";
import { EXIT_OK, UsageError, workingDirectory, type CliIO, type Command } from "./command.ts";

const usage = `Usage: compose-pulumi config [-f FILE]... [options]

Print the compose project as \`docker compose config\` does.

Options:
${COMPOSE_OPTIONS_USAGE}
      --format yaml|json       output format (default: yaml)
      --all-resources          keep resources no service uses (default: drop them, as compose does)
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
    const format = values.format ?? "yaml";
    if (format !== "json" && format !== "yaml") throw new UsageError(`--format must be json or yaml, got "${format}"`);
    const project = loadProject({ ...loadOptionsFrom(values, io, workingDirectory(io)), allResources: values["all-resources"] === true });
    io.out(renderModel(project, format satisfies RenderFormat));
    return EXIT_OK;
  },
};

function parseConfigArgs(argv: string[]) {
  return parseComposeCommandLine(argv, {
    format: { type: "string" },
    "all-resources": { type: "boolean" },
  });
}
