/**
 * Positioned problems found while loading compose files.
 *
 * Every stage collects issues instead of throwing on the first one, so a user sees all
 * that is wrong with their files in one run. The printed form is the one editors and CI
 * annotate: `FILE:LINE:COL: dotted.path: message`.
 */

export type PathSegment = string | number;

export interface ComposeIssue {
  /** The file as the user named it (or as an include/extends named it, resolved). */
  file: string;
  line?: number;
  col?: number;
  /** Dotted path into the document, e.g. `services.web.ports[0]`. Empty for the whole file. */
  path: string;
  message: string;
}

/** `services.web.ports[0]` from ["services", "web", "ports", 0]. Keys with dots are quoted. */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = "";
  for (const segment of segments) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (/^[A-Za-z0-9_\-]+$/.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

export function formatIssue(issue: ComposeIssue): string {
  const where = [issue.file, issue.line, issue.col].filter((part) => part !== undefined).join(":");
  return issue.path === "" ? `${where}: ${issue.message}` : `${where}: ${issue.path}: ${issue.message}`;
}

/** Thrown by the pipeline's entry point when any stage reported issues; nothing is half-loaded. */
export class ComposeError extends Error {
  readonly issues: readonly ComposeIssue[];

  constructor(issues: readonly ComposeIssue[]) {
    super(issues.map(formatIssue).join("\n"));
    this.name = "ComposeError";
    this.issues = issues;
  }
}
