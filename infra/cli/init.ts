/**
 * `init`: in a folder holding compose files, write the Pulumi project that deploys them
 * (infra/cli/scaffold.ts): Pulumi.yaml, package.json, index.ts, Pulumi.<stack>.yaml and
 * .gitignore. The compose files are loaded first, so a broken file is reported with its
 * positions before anything is written; an existing file is never overwritten (every
 * such file is named, and nothing is written).
 */
import fs from "node:fs";
import path from "node:path";
import { loadProject } from "../compose/load.ts";
import { TARGET_NAMES, type Target } from "../graph/targets/target.ts";
import { ENVIRONMENTS, tierFromStackName, type EnvironmentTier } from "../app/tiers.ts";
import { scaffoldFiles } from "./scaffold.ts";
import { COMPOSE_OPTIONS_USAGE, loadOptionsFrom, parseComposeCommandLine } from "./compose-options.ts";
import { InputError } from "./input-errors.ts";
import { ownManifest } from "./version.ts";
import { EXIT_OK, UsageError, workingDirectory, type CliIO, type Command } from "./command.ts";

const usage = `Usage: compose-pulumi init [-f FILE]... [options]

Write a Pulumi project that deploys the compose files in this folder with ComposeApp:
Pulumi.yaml, package.json, index.ts, Pulumi.<stack>.yaml and .gitignore. Existing files
are never overwritten. Then: npm install, and pulumi up --stack <stack>.

Options:
${COMPOSE_OPTIONS_USAGE}
      --target engine|swarm|kubernetes
                               where the stack runs (default: engine)
  -s, --stack NAME             the stack file to write (default: dev)
      --environment dev|staging|prod
                               the stack's policy rules (default: the stack name's, else dev)
      --name NAME              Pulumi project name (default: the compose project name)
      --package-spec SPEC      how package.json depends on compose-pulumi (default: ^VERSION;
                               e.g. file:../compose-pulumi-VERSION.tgz)
  -h, --help                   show this help`;

/** Pulumi's rule for project names. */
const PROJECT_NAME = /^[A-Za-z0-9_.-]{1,100}$/;
const STACK_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

export const initCommand: Command = {
  name: "init",
  summary: "write a Pulumi project that deploys the compose files here (Pulumi.yaml, index.ts, a stack)",
  usage,
  run(argv: string[], io: CliIO): number {
    const { values } = parseInitArgs(argv);
    if (values.help) {
      io.out(`${usage}\n`);
      return EXIT_OK;
    }
    const target = values.target ?? "engine";
    if (!(TARGET_NAMES as readonly string[]).includes(target)) throw new UsageError(`--target must be engine, swarm or kubernetes, got "${target}"`);
    const stack = values.stack ?? "dev";
    if (!STACK_NAME.test(stack)) throw new UsageError(`--stack must be letters, digits, "_", "." or "-", got "${stack}"`);
    const tier = (values.environment ?? tierFromStackName(stack) ?? "dev") as EnvironmentTier;
    if (!(ENVIRONMENTS as readonly string[]).includes(tier)) throw new UsageError(`--environment must be dev, staging or prod, got "${tier}"`);

    const cwd = workingDirectory(io);
    const options = loadOptionsFrom(values, io, cwd);
    const project = loadProject(options);
    const name = values.name ?? project.name;
    if (!PROJECT_NAME.test(name)) throw new UsageError(`--name must be letters, digits, "_", "." or "-", got "${name}"`);
    const manifest = ownManifest();
    const files = scaffoldFiles({
      name,
      project,
      files: options.files.map((file) => toPosix(path.relative(cwd, path.resolve(cwd, file)))),
      target: target as Target,
      stack,
      tier,
      packageSpec: packageSpec(values["package-spec"], manifest.version, cwd),
      pulumiSpec: manifest.dependencies["@pulumi/pulumi"] ?? "^3",
    });
    writeAll(cwd, files);

    io.out(
      [
        `Wrote ${Object.keys(files).join(", ")} for compose project "${project.name}" (${Object.keys(project.services).length} services, target ${target}).`,
        "Next:",
        "  npm install",
        `  pulumi up --stack ${stack}`,
        "",
      ].join("\n"),
    );
    return EXIT_OK;
  },
};

/** A path to a tarball or folder becomes a `file:` spec; anything else is a version range or npm spec as given. */
function packageSpec(given: string | undefined, version: string, cwd: string): string {
  if (given === undefined) return `^${version}`;
  if (given.startsWith("file:") || !fs.existsSync(path.resolve(cwd, given))) return given;
  return `file:${toPosix(path.relative(cwd, path.resolve(cwd, given))) || "."}`;
}

/** Writes every file or none: existing ones are named first, and a failed write removes what this run wrote. */
function writeAll(dir: string, files: Record<string, string>): void {
  const existing = Object.keys(files).filter((name) => fs.existsSync(path.join(dir, name)));
  if (existing.length > 0) {
    throw new InputError(existing.map((name) => `error: ${path.join(dir, name)}: already exists; init never overwrites a file (move it away, or run init in an empty folder)`));
  }
  const written: string[] = [];
  try {
    for (const [name, content] of Object.entries(files)) {
      fs.writeFileSync(path.join(dir, name), content, { flag: "wx" });
      written.push(name);
    }
  } catch (error) {
    for (const name of written) fs.rmSync(path.join(dir, name), { force: true });
    throw new InputError([`error: cannot write ${dir}: ${(error as Error).message}; nothing was written`]);
  }
}

function toPosix(file: string): string {
  return file.split(path.sep).join("/");
}

function parseInitArgs(argv: string[]) {
  return parseComposeCommandLine(argv, {
    target: { type: "string" },
    stack: { type: "string", short: "s" },
    environment: { type: "string" },
    name: { type: "string" },
    "package-spec": { type: "string" },
  });
}
