/**
 * What every `infra/cli.ts` subcommand implements. A subcommand returns its exit code
 * instead of exiting, and writes through `io`, so tests can run it in-process.
 */

export const EXIT_OK = 0;
/** The input was read but is wrong (invalid compose files, failed checks). */
export const EXIT_FAILED = 1;
/** The command line itself is wrong. */
export const EXIT_USAGE = 2;

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** The environment the command sees (compose variables, HOME, COMPOSE_*). */
  env: Readonly<Record<string, string | undefined>>;
  /** The directory the command runs in; default: the process's working directory. */
  cwd?: string;
}

/** The directory a command runs in. */
export function workingDirectory(io: CliIO): string {
  return io.cwd ?? process.cwd();
}

export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The full usage text, printed for `--help` and for a wrong command line. */
  usage: string;
  run(argv: string[], io: CliIO): number | Promise<number>;
}

/** A wrong command line; the dispatcher prints the message and the command's usage, and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
