/**
 * zod's issues turned into ComposeIssues a person can act on: positioned through the
 * source file, phrased in compose terms, and for values that may take several forms
 * (string, number or mapping) reported against the form that was actually written.
 */
import type * as z from "zod";
import type { ComposeIssue, PathSegment } from "../errors.ts";
import { formatPath } from "../errors.ts";
import type { SourceFile } from "../source.ts";
import { describeKind } from "./primitives.ts";

type ZodIssue = z.core.$ZodIssue;

interface Located {
  path: PathSegment[];
  message: string;
}

const EXPECTED_NAMES: Readonly<Record<string, string>> = {
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "a boolean (true or false)",
  object: "a mapping",
  array: "a list",
  null: "null",
  record: "a mapping",
};

export function toComposeIssues(source: SourceFile, issues: readonly ZodIssue[]): ComposeIssue[] {
  const located: Located[] = [];
  for (const issue of issues) collect(issue, [], located);
  const seen = new Set<string>();
  const result: ComposeIssue[] = [];
  for (const { path, message } of located) {
    const key = `${formatPath(path)}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const position = source.locate(path);
    result.push({ file: source.file, line: position?.line, col: position?.col, path: formatPath(path), message });
  }
  return result.sort(byPosition);
}

function byPosition(a: ComposeIssue, b: ComposeIssue): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}

function collect(issue: ZodIssue, prefix: PathSegment[], out: Located[]): void {
  const path = [...prefix, ...issue.path.map((segment) => (typeof segment === "number" ? segment : String(segment)))];
  switch (issue.code) {
    case "invalid_union": {
      if (issue.input === undefined) {
        out.push({ path, message: "is required" });
        return;
      }
      // The branch that accepted the value's kind (string, list, mapping...) explains the failure.
      const matching = issue.errors.find((branch) => !branch.some(isKindMismatch));
      if (matching !== undefined) for (const inner of matching) collect(inner, path, out);
      else out.push({ path, message: issue.message });
      return;
    }
    case "invalid_type": {
      if (issue.input === undefined) {
        out.push({ path, message: "is required" });
        return;
      }
      const message = isDefaultMessage(issue.message)
        ? `expected ${EXPECTED_NAMES[issue.expected] ?? issue.expected}, got ${describeKind(issue.input)}`
        : issue.message;
      out.push({ path, message });
      return;
    }
    default:
      out.push({ path, message: issue.message });
  }
}

/** The value was of the wrong kind for this branch (a nested choice counts when none of its branches fit). */
function isKindMismatch(issue: ZodIssue): boolean {
  if (issue.path.length !== 0) return false;
  if (issue.code === "invalid_type") return true;
  return issue.code === "invalid_union" && issue.errors.every((branch) => branch.some(isKindMismatch));
}

function isDefaultMessage(message: string): boolean {
  return message.startsWith("Invalid input");
}
