/**
 * Problems found in a host inventory or a provisioner's settings, printed the way editors
 * and CI annotate them: `FILE:LINE:COL: dotted.path: message` (line and column when the
 * value came from a YAML file that could be read back, such as Pulumi.<stack>.yaml).
 */
import type * as z from "zod";

export type PathSegment = string | number;

export interface Position {
  line: number;
  col: number;
}

/** Where a checked value came from, to name it in messages. */
export interface ValueOrigin {
  /** The file a person edits to fix the value, e.g. `Pulumi.prod.yaml`. */
  file: string;
  /** Name of the value as a whole, e.g. the config key `myproject:inventory`. */
  root: string;
  /** Position of a path inside the value in `file` (of its key with `at: "key"`), when known. */
  locate?: (path: readonly PathSegment[], at?: "key" | "value") => Position | undefined;
}

export interface HostIssue {
  path: PathSegment[];
  message: string;
  /** The problem is the key itself (an unknown key), not its value. */
  at?: "key";
}

/** `root.hosts[1].labels["com.example/zone"]`. */
export function formatValuePath(root: string, path: readonly PathSegment[]): string {
  let out = root;
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

export function formatHostIssue(origin: ValueOrigin, issue: HostIssue): string {
  const position = origin.locate?.(issue.path, issue.at ?? "value");
  const where = position ? `${origin.file}:${position.line}:${position.col}` : origin.file;
  const path = formatValuePath(origin.root, issue.path);
  return path === "" ? `${where}: ${issue.message}` : `${where}: ${path}: ${issue.message}`;
}

/** Thrown when a value does not validate; lists every problem, never a secret value. */
export class HostConfigError extends Error {
  readonly issues: readonly HostIssue[];
  readonly origin: ValueOrigin;

  constructor(origin: ValueOrigin, issues: readonly HostIssue[]) {
    super(issues.map((issue) => formatHostIssue(origin, issue)).join("\n"));
    this.name = "HostConfigError";
    this.origin = origin;
    this.issues = issues;
  }
}

const KIND_NAMES: Readonly<Record<string, string>> = {
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "true or false",
  object: "a mapping",
  array: "a list",
  record: "a mapping",
};

export function describeKind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  switch (typeof value) {
    case "string":
      return "a string";
    case "number":
      return "a number";
    case "boolean":
      return "a boolean";
    case "object":
      return "a mapping";
    default:
      return typeof value;
  }
}

function valueAt(root: unknown, path: readonly PathSegment[]): { found: boolean; value: unknown } {
  let current: unknown = root;
  for (const segment of path) {
    if (current === null || typeof current !== "object" || !Object.prototype.hasOwnProperty.call(current, segment)) {
      return { found: false, value: undefined };
    }
    current = (current as Record<PathSegment, unknown>)[segment];
  }
  return { found: true, value: current };
}

/**
 * zod's issues as HostIssues; custom messages are kept, zod's generic ones rephrased.
 * `input` is the checked value, read back to name what was written (zod leaves it out).
 */
export function fromZodIssues(issues: readonly z.core.$ZodIssue[], input: unknown): HostIssue[] {
  const out: HostIssue[] = [];
  for (const issue of issues) {
    const path = issue.path.map((segment) => (typeof segment === "number" ? segment : String(segment)));
    const written = valueAt(input, path);
    switch (issue.code) {
      case "invalid_type":
        out.push({
          path,
          message: !written.found || written.value === undefined
            ? "is required"
            : `expected ${KIND_NAMES[issue.expected] ?? issue.expected}, got ${describeKind(written.value)}`,
        });
        break;
      case "invalid_value":
        out.push({
          path,
          message: !written.found
            ? `is required (one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")})`
            : `expected ${issue.values.map((v) => JSON.stringify(v)).join(" or ")}, got ${
              typeof written.value === "string" ? JSON.stringify(written.value) : describeKind(written.value)
            }`,
        });
        break;
      case "unrecognized_keys":
        for (const key of issue.keys) out.push({ path: [...path, key], message: "unknown key", at: "key" });
        break;
      case "invalid_key":
        for (const inner of issue.issues) out.push({ path, message: inner.message });
        break;
      default:
        out.push({ path, message: issue.message });
    }
  }
  return out;
}
