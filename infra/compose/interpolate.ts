/**
 * Variable interpolation with the syntax and edge cases of compose-go's `template` package:
 * `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`,
 * `${VAR:+alternative}`, `${VAR+alternative}`, nested references inside the operands, and
 * `$$` for a literal `$`. A `$` that starts no reference (`a $ b`, `^x$`, `$}`) stays as it is;
 * `${` that does not form a reference is an error. Operands are evaluated only when used,
 * as a shell does.
 *
 * Only values are interpolated, never keys. Afterwards the strings at the fields compose-go
 * casts (`read_only`, `deploy.replicas`, ...) become booleans and numbers, so that
 * `replicas: ${N}` validates like `replicas: 3`.
 */
import type { ComposeIssue, PathSegment } from "./errors.ts";
import { formatPath } from "./errors.ts";
import { locateValue } from "./parse.ts";
import type { SourceFile } from "./source.ts";

export type Lookup = (name: string) => string | undefined;

/** A value that cannot be interpolated. The message never repeats the value itself. */
export class InterpolationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InterpolationError";
  }
}

export function interpolate(source: SourceFile, env: Readonly<Record<string, string>>): { data: unknown; issues: ComposeIssue[] } {
  const lookup: Lookup = (name) => (Object.hasOwn(env, name) ? env[name] : undefined);
  const issues: ComposeIssue[] = [];
  const report = (path: PathSegment[], message: string) => {
    const position = locateValue(source, path);
    issues.push({ file: source.file, line: position?.line, col: position?.col, path: formatPath(path), message });
  };
  const data = interpolateValue(source.data, [], lookup, report);
  return { data, issues };
}

function interpolateValue(value: unknown, path: PathSegment[], lookup: Lookup, report: (path: PathSegment[], message: string) => void): unknown {
  if (typeof value === "string") {
    let text: string;
    try {
      text = interpolateString(value, lookup);
    } catch (error) {
      if (!(error instanceof InterpolationError)) throw error;
      report(path, error.message);
      return value;
    }
    const cast = castFor(path);
    if (!cast) return text;
    const result = cast(text);
    if (result.ok) return result.value;
    report(path, `failed to cast to expected type: ${result.error}`);
    return text;
  }
  if (Array.isArray(value)) return value.map((item, index) => interpolateValue(item, [...path, index], lookup, report));
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const interpolated = interpolateValue(item, [...path, key], lookup, report);
      if (key === "__proto__") Object.defineProperty(out, key, { value: interpolated, enumerable: true, writable: true, configurable: true });
      else out[key] = interpolated;
    }
    return out;
  }
  return value;
}

/** Substitutes every reference in `value`; throws InterpolationError for bad syntax or a missing required variable. */
export function interpolateString(value: string, lookup: Lookup): string {
  return substitute(value, lookup, 0);
}

// compose-go's pattern, case-insensitive: `$$`, `$name`, `${name...}` up to the LAST `}` on
// the line (the operand is narrowed to the balanced brace afterwards), or a bare `${`.
const REFERENCE = /\$(?:(\$)|([_a-z][_a-z0-9]*)|\{(?:([_a-z][_a-z0-9]*(?::?[-+?][^\n]*)?)\}|()))/gi;
const SINGLE_REFERENCE = new RegExp(REFERENCE.source, "i");

/** `offset` is where `template` starts inside the value being interpolated, for error messages. */
function substitute(template: string, lookup: Lookup, offset: number): string {
  let out = "";
  let copied = 0;
  for (const match of template.matchAll(REFERENCE)) {
    const index = match.index ?? 0;
    out += template.slice(copied, index) + replaceReference(match[0], lookup, offset + index);
    copied = index + match[0].length;
  }
  return out + template.slice(copied);
}

function replaceReference(matched: string, lookup: Lookup, offset: number): string {
  const operator = firstOperator(matched);
  let reference = matched;
  let rest = "";
  const closing = firstBalancedClosingBrace(matched);
  if (closing > -1) {
    reference = matched.slice(0, closing + 1);
    rest = matched.slice(closing + 1);
  }
  const groups = SINGLE_REFERENCE.exec(reference);
  if (groups?.[1]) return "$";
  const named = groups?.[2];
  const braced = groups?.[3];
  if (!named && !braced) {
    throw new InterpolationError(
      `invalid interpolation format: "\${" at character ${offset + 1} does not start a valid reference; you may need to escape any $ with another $`,
    );
  }
  if (braced && operator) {
    const applied = operator.apply(braced, lookup, offset + 2);
    if (applied !== undefined) return applied + substitute(rest, lookup, offset + closing + 1);
  }
  return lookup((named ?? braced) as string) ?? "";
}

interface Operator {
  separator: string;
  /** The replacement, or undefined when `substitution` does not use this operator. */
  apply(substitution: string, lookup: Lookup, offset: number): string | undefined;
}

const OPERATORS: Operator[] = [
  required(":?", (value) => value !== ""),
  required("?", () => true),
  fallback(":-", (value) => value === undefined || value === ""),
  fallback("-", (value) => value === undefined),
  fallback(":+", (value) => value !== undefined && value !== ""),
  fallback("+", (value) => value !== undefined),
];

/** The operator whose separator occurs first in the whole matched text, as compose-go picks it. */
function firstOperator(matched: string): Operator | undefined {
  let best: Operator | undefined;
  let bestIndex = Infinity;
  for (const operator of OPERATORS) {
    const index = matched.indexOf(operator.separator);
    if (index >= 0 && index < bestIndex) {
      best = operator;
      bestIndex = index;
    }
  }
  return best;
}

function required(separator: string, isValid: (value: string) => boolean): Operator {
  return {
    separator,
    apply(substitution, lookup, offset) {
      const cut = substitution.indexOf(separator);
      if (cut < 0) return undefined;
      const name = substitution.slice(0, cut);
      const value = lookup(name);
      if (value !== undefined && isValid(value)) return value;
      const reason = substitute(substitution.slice(cut + separator.length), lookup, offset + cut + separator.length);
      throw new InterpolationError(
        reason === "" ? `required variable ${name} is missing a value` : `required variable ${name} is missing a value: ${reason}`,
      );
    },
  };
}

/** `${VAR:-x}` and `${VAR-x}` use x when VAR is absent; `${VAR:+x}` and `${VAR+x}` use x when VAR is present. */
function fallback(separator: string, usesOperand: (value: string | undefined) => boolean): Operator {
  return {
    separator,
    apply(substitution, lookup, offset) {
      const cut = substitution.indexOf(separator);
      if (cut < 0) return undefined;
      const value = lookup(substitution.slice(0, cut));
      if (!usesOperand(value)) return value ?? "";
      return substitute(substitution.slice(cut + separator.length), lookup, offset + cut + separator.length);
    },
  };
}

/**
 * compose-go's brace matching: counts `{` and `}`, and skips the character after each `{`
 * (the first character of a name), which is what lets `${A:-{"json":1}}` keep its braces.
 */
function firstBalancedClosingBrace(text: string): number {
  let open = 0;
  for (let index = 0; index < text.length; index++) {
    if (text[index] === "}") {
      open--;
      if (open === 0) return index;
    }
    if (text[index] === "{") {
      open++;
      index++;
    }
  }
  return -1;
}

type CastResult = { ok: true; value: unknown } | { ok: false; error: string };
type Cast = (text: string) => CastResult;

const LIST = Symbol("list item");
const ANY = "*";
type PatternSegment = string | typeof LIST;

const toInt: Cast = (text) => parseGoInteger(text, "strconv.Atoi");
const toInt64: Cast = (text) => parseGoInteger(text, "strconv.ParseInt");
const toFloat: Cast = (text) => {
  const trimmed = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : NaN;
  if (!Number.isNaN(trimmed)) return Number.isFinite(trimmed) ? { ok: true, value: trimmed } : { ok: false, error: `strconv.ParseFloat: parsing ${goQuote(text)}: value out of range` };
  return { ok: false, error: `strconv.ParseFloat: parsing ${goQuote(text)}: invalid syntax` };
};
const toBoolean: Cast = (text) => {
  switch (text.toLowerCase()) {
    case "true":
    case "y":
    case "yes":
    case "on":
      return { ok: true, value: true };
    case "false":
    case "n":
    case "no":
    case "off":
      return { ok: true, value: false };
    default:
      return { ok: false, error: `invalid boolean: ${text}` };
  }
};

function parseGoInteger(text: string, func: string): CastResult {
  if (!/^[+-]?\d+$/.test(text)) return { ok: false, error: `${func}: parsing ${goQuote(text)}: invalid syntax` };
  const value = BigInt(text);
  if (value < -(2n ** 63n) || value > 2n ** 63n - 1n) return { ok: false, error: `${func}: parsing ${goQuote(text)}: value out of range` };
  return { ok: true, value: Number(value) };
}

function goQuote(text: string): string {
  return JSON.stringify(text);
}

const service = (...rest: PatternSegment[]): PatternSegment[] => ["services", ANY, ...rest];

/** compose-go's interpolateTypeCastMapping (loader/interpolate.go). */
const CASTS: Array<[PatternSegment[], Cast]> = [
  [service("configs", LIST, "mode"), toInt],
  [service("cpu_count"), toInt64],
  [service("cpu_percent"), toFloat],
  [service("cpu_period"), toInt64],
  [service("cpu_quota"), toInt64],
  [service("cpu_rt_period"), toInt64],
  [service("cpu_rt_runtime"), toInt64],
  [service("cpus"), toFloat],
  [service("cpu_shares"), toInt64],
  [service("init"), toBoolean],
  [service("deploy", "replicas"), toInt],
  [service("deploy", "update_config", "parallelism"), toInt],
  [service("deploy", "update_config", "max_failure_ratio"), toFloat],
  [service("deploy", "rollback_config", "parallelism"), toInt],
  [service("deploy", "rollback_config", "max_failure_ratio"), toFloat],
  [service("deploy", "restart_policy", "max_attempts"), toInt],
  [service("deploy", "placement", "max_replicas_per_node"), toInt],
  [service("healthcheck", "retries"), toInt],
  [service("healthcheck", "disable"), toBoolean],
  [service("oom_kill_disable"), toBoolean],
  [service("oom_score_adj"), toInt64],
  [service("pids_limit"), toInt64],
  [service("ports", LIST, "target"), toInt],
  [service("privileged"), toBoolean],
  [service("read_only"), toBoolean],
  [service("scale"), toInt],
  [service("secrets", LIST, "mode"), toInt],
  [service("stdin_open"), toBoolean],
  [service("tty"), toBoolean],
  [service("ulimits", ANY), toInt],
  [service("ulimits", ANY, "hard"), toInt],
  [service("ulimits", ANY, "soft"), toInt],
  [service("volumes", LIST, "read_only"), toBoolean],
  [service("volumes", LIST, "volume", "nocopy"), toBoolean],
  [["networks", ANY, "external"], toBoolean],
  [["networks", ANY, "internal"], toBoolean],
  [["networks", ANY, "attachable"], toBoolean],
  [["networks", ANY, "enable_ipv6"], toBoolean],
  [["volumes", ANY, "external"], toBoolean],
  [["secrets", ANY, "external"], toBoolean],
  [["configs", ANY, "external"], toBoolean],
];

function castFor(path: readonly PathSegment[]): Cast | undefined {
  for (const [pattern, cast] of CASTS) {
    if (pattern.length !== path.length) continue;
    const matches = pattern.every((segment, index) => {
      const actual = path[index];
      if (segment === ANY) return true;
      if (segment === LIST) return typeof actual === "number";
      return segment === actual;
    });
    if (matches) return cast;
  }
  return undefined;
}
