/**
 * Command-line entry: `cli <command> [options]`. Each command lives in infra/cli/ and is
 * listed in COMMANDS. Exit codes: 0 success, 1 invalid input, 2 wrong command line.
 */
import { pathToFileURL } from "node:url";
import { EXIT_OK, EXIT_USAGE, UsageError, type CliIO, type Command } from "./cli/command.ts";

interface CommandEntry {
  name: string;
  summary: string;
  /** Imported on use: `graph` pulls in the Pulumi SDK, which `config` has no need to load. */
  load(): Promise<Command>;
}

const COMMANDS: readonly CommandEntry[] = [
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
  return `Usage: cli <command> [options]\n\nCommands:\n${list}\n\nRun \`cli <command> --help\` for a command's options.`;
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
  const entry = COMMANDS.find((candidate) => candidate.name === name);
  if (!entry) {
    io.err(`unknown command "${name}"\n\n${mainUsage()}\n`);
    return EXIT_USAGE;
  }
  const command = await entry.load();
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`${error.message}\n\n${command.usage}\n`);
    return EXIT_USAGE;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
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
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
