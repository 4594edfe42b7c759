#!/usr/bin/env node
/**
 * Command-line entry, the package's `compose-pulumi` command: `compose-pulumi <command>
 * [options]`. Each command lives in infra/cli/ and is listed in COMMANDS.
 *
 * Exit codes: 0 success; 1 invalid input (every problem printed, one per line); 2 wrong
 * command line (the message, then the usage). A problem with the input never prints a
 * stack trace; an unexpected failure prints one `error:` line and how to get the trace
 * (COMPOSE_PULUMI_DEBUG=1). Nothing is coloured, so NO_COLOR and pipes need no handling.
 */
import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, type CliIO, type Command } from "./cli/command.ts";
import { inputErrorLines } from "./cli/input-errors.ts";
import { ownManifest } from "./cli/version.ts";

interface CommandEntry {
  name: string;
  summary: string;
  /** Imported on use: `graph` pulls in the Pulumi SDK, which `config` has no need to load. */
  load(): Promise<Command>;
}

const COMMANDS: readonly CommandEntry[] = [
  {
    name: "init",
    summary: "write a Pulumi project that deploys the compose files here (Pulumi.yaml, index.ts, a stack)",
    load: async () => (await import("./cli/init.ts")).initCommand,
  },
  {
    name: "config",
    summary: "print the canonical model of compose files (docker compose config)",
    load: async () => (await import("./cli/config.ts")).configCommand,
  },
  {
    name: "graph",
    summary: "print the resources a deployment would create and their dependencies",
    load: async () => (await import("./cli/graph.ts")).graphCommand,
  },
];

function mainUsage(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  const list = COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`).join("\n");
  return [
    "Usage: compose-pulumi <command> [options]",
    "",
    "Docker Compose and Docker Swarm as Pulumi infrastructure-as-code.",
    "",
    `Commands:\n${list}`,
    "",
    "Options:\n  -h, --help     show this help\n  -V, --version  print the version",
    "",
    "Run `compose-pulumi <command> --help` for a command's options.",
  ].join("\n");
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.err(`${mainUsage()}\n`);
    return EXIT_USAGE;
  }
  if (name === "-h" || name === "--help" || name === "help") {
    io.out(`${mainUsage()}\n`);
    return EXIT_OK;
  }
  if (name === "-V" || name === "--version" || name === "version") {
    io.out(`${ownManifest().version}\n`);
    return EXIT_OK;
  }
  const entry = COMMANDS.find((candidate) => candidate.name === name);
  if (!entry) {
    io.err(`unknown command "${name}"\n\n${mainUsage()}\n`);
    return EXIT_USAGE;
  }
  let command: Command | undefined;
  try {
    command = await entry.load();
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\n\n${command?.usage ?? mainUsage()}\n`);
      return EXIT_USAGE;
    }
    const lines = inputErrorLines(error);
    if (lines !== undefined) {
      io.err(lines.map((line) => `${line}\n`).join(""));
      return EXIT_FAILED;
    }
    return reportUnexpected(error, io);
  }
}

/** A failure that is not the input's fault: one line, and the trace only when asked for. */
function reportUnexpected(error: unknown, io: CliIO): number {
  const message = error instanceof Error ? error.message : String(error);
  io.err(`error: ${message.split("\n")[0]}\n`);
  if (io.env.COMPOSE_PULUMI_DEBUG) {
    io.err(`${error instanceof Error ? error.stack ?? message : message}\n`);
  } else {
    io.err("  this is a bug in compose-pulumi, not a problem with your files; run again with COMPOSE_PULUMI_DEBUG=1 for the stack trace\n");
  }
  return EXIT_FAILED;
}

/** Run as a command (`node infra/cli.ts`), not imported; the package's bin is infra/bin.ts. */
function isEntryPoint(): boolean {
  if (process.argv[1] === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

/**
 * Runs the command line as this process: its arguments, standard streams and environment;
 * the exit code is set, not forced, so pending output is written first.
 */
export function runAsProcess(): void {
  // `npm run cli` runs from the package root; paths on its command line are meant from where it was typed.
  if (process.env.npm_lifecycle_event === "cli" && process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
  const io: CliIO = {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: process.env,
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    // main reports every failure itself; this is for one in writing the report (a closed pipe).
    (error: unknown) => {
      process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}

if (isEntryPoint()) runAsProcess();
