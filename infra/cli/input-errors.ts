/**
 * Problems with what the user gave a command (compose files, a stack file, files to write),
 * as the lines printed on stderr. A command throws them; the dispatcher prints every line
 * and exits with 1, never with a stack trace.
 */
import { ComposeError, formatIssue } from "../compose/errors.ts";
import { GraphError, formatGraphIssue } from "../graph/graph-error.ts";
import { HostConfigError } from "../hosts/issues.ts";
import { StackConfigError } from "../../stacks/config-error.ts";
import { StackFileError } from "../../stacks/stack-file.ts";

/** Any other problem with the input a command can name in one or more lines. */
export class InputError extends Error {
  readonly lines: readonly string[];

  constructor(lines: readonly string[]) {
    super(lines.join("\n"));
    this.name = "InputError";
    this.lines = lines;
  }
}

/** The lines to print for an input problem, or undefined for anything else. */
export function inputErrorLines(error: unknown): readonly string[] | undefined {
  if (error instanceof ComposeError || error instanceof StackConfigError) return error.issues.map(formatIssue);
  if (error instanceof GraphError) return error.issues.map((issue) => `error: ${formatGraphIssue(issue)}`);
  if (error instanceof HostConfigError) return error.message.split("\n");
  if (error instanceof StackFileError) return [`error: ${error.message}`];
  if (error instanceof InputError) return error.lines;
  return undefined;
}
