/**
 * A stack configuration that does not fit: every problem, each positioned in the stack
 * file (`FILE:LINE:COL: compose-pulumi:key.path: message`). Apart from stacks/config.ts
 * so that reporting one does not load what reading the configuration needs.
 */
import { formatIssue, type ComposeIssue } from "../infra/compose/errors.ts";

export class StackConfigError extends Error {
  readonly issues: readonly ComposeIssue[];
  constructor(issues: readonly ComposeIssue[]) {
    super(issues.map(formatIssue).join("\n"));
    this.name = "StackConfigError";
    this.issues = issues;
  }
}
