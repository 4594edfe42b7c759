/**
 * Why a ComposeApp cannot be deployed: every problem found in its compose files and
 * arguments, one per line (`FILE:LINE:COL: dotted.path: message` for the files). A
 * Pulumi RunError, so `pulumi preview` and `pulumi up` print the lines without a stack
 * trace. Secret values never appear in it.
 */
import * as pulumi from "@pulumi/pulumi";

export class ComposeAppError extends pulumi.RunError {
  /** The problems, one line each, in the order they were found. */
  readonly problems: readonly string[];

  constructor(app: string, problems: readonly string[]) {
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    super(`ComposeApp "${app}" cannot be deployed (${count}):\n${problems.join("\n")}`);
    this.name = "ComposeAppError";
    this.problems = problems;
  }
}
