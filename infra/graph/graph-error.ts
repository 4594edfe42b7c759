/**
 * A problem that keeps a model from becoming resources, and the error that carries all of
 * them. Apart from warnings.ts, which finds them, so that reporting one (the command
 * line's error printer) does not load the checks and the capability table.
 */

export interface GraphIssue {
  /** Dotted path into the model, e.g. `services.web.ulimits`. */
  path: string;
  message: string;
}

export function formatGraphIssue(issue: GraphIssue): string {
  return `${issue.path}: ${issue.message}`;
}

/** Thrown before any resource is created; lists every problem found. */
export class GraphError extends Error {
  readonly issues: readonly GraphIssue[];
  constructor(issues: readonly GraphIssue[]) {
    super(issues.map(formatGraphIssue).join("\n"));
    this.name = "GraphError";
    this.issues = issues;
  }
}
