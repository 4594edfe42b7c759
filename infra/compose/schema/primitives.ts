/**
 * Building blocks shared by every part of the compose schema: strict objects that still
 * admit `x-*` extensions, scalars that also accept the strings interpolation produces
 * ("true", "3"), and the list-or-map forms compose allows almost everywhere.
 *
 * Each schema is built for one of two syntaxes: "file" (what a person writes, short forms
 * expanded) or "canonical" (the model after normalize, where durations are already
 * nanoseconds). Both produce the same output types.
 */
import * as z from "zod";
import { suggest, unknownKeyMessage } from "../suggest.ts";
import { DurationError, parseDuration } from "../durations.ts";
import { ByteSizeError, parseByteSize } from "../bytes.ts";
import { PortSpecError } from "../port-spec.ts";
import { VolumeSpecError } from "../volume-spec.ts";
import { ShellWordsError } from "../shell-words.ts";

export type Syntax = "file" | "canonical";

/** Extension keys (`x-*`) are kept as written, on every object that allows them. */
export type Extensions = { [key: `x-${string}`]: unknown };

/** A problem with one value; becomes one issue positioned at that value (or at `path` inside it). */
export class ValueProblem extends Error {
  readonly path: readonly (string | number)[];

  constructor(
    message: string,
    path: readonly (string | number)[] = [],
  ) {
    super(message);
    this.path = path;
  }
}

const KNOWN_PROBLEMS = [ValueProblem, DurationError, ByteSizeError, PortSpecError, VolumeSpecError, ShellWordsError];

/**
 * A transform whose function throws ValueProblem (or a short-syntax helper's error) for bad
 * input; the error becomes an issue at that value instead of escaping the parse.
 */
export function guarded<I, O>(convert: (input: I) => O) {
  return (input: I, ctx: z.core.$RefinementCtx<I>): O => {
    try {
      return convert(input);
    } catch (error) {
      if (KNOWN_PROBLEMS.some((kind) => error instanceof kind)) {
        const path = error instanceof ValueProblem ? [...error.path] : [];
        ctx.addIssue({ code: "custom", message: (error as Error).message, path });
        return z.NEVER;
      }
      throw error;
    }
  };
}

/**
 * A schema defined by a parse function that throws ValueProblem (or a helper's error) for
 * bad input. One transform schema, not unknown() piped into one: the schema holds
 * hundreds of these, and each schema object zod builds costs start-up.
 */
export function parsed<T>(parse: (value: unknown) => T): z.ZodType<T, unknown> {
  const convert = guarded(parse);
  return z.transform((value: unknown, ctx): T => {
    if (value === undefined) {
      ctx.addIssue({ code: "custom", message: "is required" });
      return z.NEVER;
    }
    return convert(value, ctx);
  });
}

/** "a string", "a list", ... for messages that say what was found instead. */
export function describeKind(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  switch (typeof value) {
    case "string":
      return "a string";
    case "number":
      return Number.isInteger(value) ? "an integer" : "a number";
    case "boolean":
      return "a boolean";
    case "object":
      return "a mapping";
    default:
      return typeof value;
  }
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A consistency rule across the keys of one mapping ("external" with "driver", global
 * mode with replicas). It runs even when some values are invalid, so that every problem
 * is reported at once; a value that failed to parse may still be there in raw form.
 */
export type CrossCheck<S extends z.ZodRawShape> = (value: Partial<z.output<z.ZodObject<S>>>, ctx: z.core.$RefinementCtx<unknown>) => void;

/**
 * A mapping with exactly the keys of `shape` plus `x-*` extensions. Unknown keys are
 * reported with the closest allowed key, even when other values in the mapping are wrong.
 * The output type (extensions included) is declared, not produced by an identity
 * transform: that would cost two more schema objects per mapping, and a step per value.
 */
export function composeObject<S extends z.ZodRawShape>(shape: S, ...checks: CrossCheck<S>[]) {
  return strictObject(shape, true, checks) as unknown as z.ZodType<z.output<z.ZodObject<S>> & Extensions, unknown>;
}

/** Like composeObject, without `x-*` extensions (the few places compose-spec does not allow them). */
export function closedObject<S extends z.ZodRawShape>(shape: S, ...checks: CrossCheck<S>[]) {
  return strictObject(shape, false, checks) as unknown as z.ZodType<z.output<z.ZodObject<S>>, unknown>;
}

function strictObject<S extends z.ZodRawShape>(shape: S, extensions: boolean, checks: CrossCheck<S>[]) {
  const allowed = Object.keys(shape);
  const allowedSet = new Set(allowed);
  return z
    .looseObject(shape, { error: (issue) => (issue.code === "invalid_type" ? `expected a mapping, got ${describeKind(issue.input)}` : undefined) })
    .superRefine(
      (value, ctx) => {
        if (!isMapping(value)) return;
        for (const key of Object.keys(value)) {
          if (!allowedSet.has(key) && !(extensions && key.startsWith("x-"))) {
            ctx.addIssue({ code: "custom", path: [key], message: unknownKeyMessage(key, allowed) });
          }
        }
        for (const check of checks) check(value as Partial<z.output<z.ZodObject<S>>>, ctx);
      },
      { when: () => true },
    );
}

// ---- scalars -------------------------------------------------------------------------

export const str = parsed((value): string => {
  if (typeof value !== "string") throw new ValueProblem(`expected a string, got ${describeKind(value)}`);
  return value;
});

/** Strings, and numbers written where compose takes text (`expose: [8000]`, `uid: 103`). */
export const text = parsed((value): string => {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  throw new ValueProblem(`expected a string, got ${describeKind(value)}`);
});

const TRUE_WORDS = ["y", "yes", "true", "on"];
const FALSE_WORDS = ["n", "no", "false", "off"];

/** Booleans; also the YAML 1.1 words compose-go accepts from interpolated strings ("true", "yes", "off"). */
export const bool = parsed((value): boolean => {
  if (typeof value === "boolean") return value;
  if (typeof value === "string") return booleanWord(value);
  throw new ValueProblem(`expected a boolean (true or false), got ${describeKind(value)}`);
});

export function booleanWord(value: string): boolean {
  const lower = value.toLowerCase();
  if (TRUE_WORDS.includes(lower)) return true;
  if (FALSE_WORDS.includes(lower)) return false;
  throw new ValueProblem(`invalid boolean "${value}": expected true or false`);
}

/** Whole numbers; decimal strings too (interpolation yields strings). */
export function integer(range: { min?: number; max?: number } = {}): z.ZodType<number, unknown> {
  return parsed((value): number => {
    let result: number;
    if (typeof value === "number") {
      if (!Number.isInteger(value)) throw new ValueProblem(`expected an integer, got ${value}`);
      result = value;
    } else if (typeof value === "string" && /^[-+]?\d+$/.test(value.trim())) {
      result = Number(value.trim());
    } else if (typeof value === "string") {
      throw new ValueProblem(`invalid integer "${value}"`);
    } else {
      throw new ValueProblem(`expected an integer, got ${describeKind(value)}`);
    }
    checkRange(result, range);
    return result;
  });
}

/** Numbers with an optional fraction; numeric strings too. */
export function decimal(range: { min?: number; max?: number } = {}): z.ZodType<number, unknown> {
  return parsed((value): number => {
    let result: number;
    if (typeof value === "number") result = value;
    else if (typeof value === "string" && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(value.trim())) result = Number(value.trim());
    else if (typeof value === "string") throw new ValueProblem(`invalid number "${value}"`);
    else throw new ValueProblem(`expected a number, got ${describeKind(value)}`);
    checkRange(result, range);
    return result;
  });
}

function checkRange(value: number, { min, max }: { min?: number; max?: number }): void {
  if (min !== undefined && value < min) throw new ValueProblem(max === undefined ? `must be at least ${min}, got ${value}` : `must be between ${min} and ${max}, got ${value}`);
  if (max !== undefined && value > max) throw new ValueProblem(min === undefined ? `must be at most ${max}, got ${value}` : `must be between ${min} and ${max}, got ${value}`);
}

/** One of a fixed set of words, with a did-you-mean for near misses. */
export function oneOf<const T extends readonly string[]>(what: string, values: T): z.ZodType<T[number], unknown> {
  return parsed((value): T[number] => {
    if (typeof value !== "string") throw new ValueProblem(`expected ${what}, got ${describeKind(value)}`);
    if ((values as readonly string[]).includes(value)) return value as T[number];
    const list = values.map((v) => `"${v}"`).join(", ");
    const close = values.find((v) => v.toLowerCase() === value.toLowerCase()) ?? suggest(value, values);
    const hint = close === undefined ? "" : ` (did you mean "${close}"?)`;
    throw new ValueProblem(`invalid ${what} "${value}": expected one of ${list}${hint}`);
  });
}

/** Durations in nanoseconds: Go duration strings in files, numbers in the canonical model. */
export function duration(syntax: Syntax): z.ZodType<number, unknown> {
  if (syntax === "canonical") return integer();
  return parsed((value): number => {
    if (typeof value !== "string") {
      throw new ValueProblem(`expected a duration such as "10s" or "1m30s", got ${describeKind(value)}`);
    }
    return parseDuration(value);
  });
}

/** Byte counts: numbers, or strings with a unit ("512m", "1gb"). */
export const byteSize = parsed((value): number => {
  if (typeof value === "number" || typeof value === "string") return parseByteSize(value);
  throw new ValueProblem(`expected a size such as "512m" or a number of bytes, got ${describeKind(value)}`);
});

/**
 * File modes: YAML numbers as they are (a YAML 1.1 `0440` is already octal), strings as
 * Go reads them with base prefix detection ("0440" octal, "0o440", "0x1ff", "288").
 */
export const fileMode = parsed((value): number => {
  if (typeof value === "number") {
    if (!Number.isInteger(value) || value < 0) throw new ValueProblem(`invalid file mode ${value}`);
    return value;
  }
  if (typeof value !== "string") throw new ValueProblem(`expected a file mode such as "0440", got ${describeKind(value)}`);
  const mode = parseGoUint(value);
  if (mode === undefined) throw new ValueProblem(`invalid file mode "${value}"`);
  return mode;
});

function parseGoUint(text: string): number | undefined {
  const lower = text.toLowerCase();
  let digits = lower;
  let base = 10;
  if (/^0x[0-9a-f]+$/.test(lower)) [digits, base] = [lower.slice(2), 16];
  else if (/^0o[0-7]+$/.test(lower)) [digits, base] = [lower.slice(2), 8];
  else if (/^0b[01]+$/.test(lower)) [digits, base] = [lower.slice(2), 2];
  else if (/^0[0-7]+$/.test(lower)) [digits, base] = [lower.slice(1), 8];
  else if (!/^\d+$/.test(lower)) return undefined;
  return parseInt(digits, base);
}

// ---- lists and maps ------------------------------------------------------------------

export const stringList = z.array(str, { error: (issue) => (issue.code === "invalid_type" ? `expected a list of strings, got ${describeKind(issue.input)}` : undefined) });

/** A string or a list of strings, always a list. */
export const stringOrList = parsed((value): string[] => {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) {
    return value.map((item, index) => {
      if (typeof item !== "string") throw new ValueProblem(`expected a string, got ${describeKind(item)}`, [index]);
      return item;
    });
  }
  throw new ValueProblem(`expected a string or a list of strings, got ${describeKind(value)}`);
});

/** Strings and numbers as text: `expose: ["3000", 8000]`, `group_add: [mail, 1000]`. */
export const textList = z.array(text, { error: (issue) => (issue.code === "invalid_type" ? `expected a list, got ${describeKind(issue.input)}` : undefined) });

type ScalarValue = string | number | boolean | null;

function scalarText(value: unknown, key: string): string | null {
  if (value === null) return null;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw new ValueProblem(`expected a string, number, boolean or null, got ${describeKind(value)}`, [key]);
}

/**
 * The list-or-mapping form (`[A=1, B]` or `{A: 1, B: null}`) as a mapping. `keepNull`
 * decides what a key without a value means: null (environment: take it from the shell)
 * or "" (labels, sysctls).
 */
function listOrDict<V extends string | null>(what: string, absent: (key: string) => V): z.ZodType<Record<string, V>, unknown> {
  return parsed((value): Record<string, V> => {
    const result: Record<string, V> = {};
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        if (typeof item !== "string") throw new ValueProblem(`expected "KEY=VALUE", got ${describeKind(item)}`, [index]);
        const equals = item.indexOf("=");
        if (equals === 0) throw new ValueProblem(`missing name before "="`, [index]);
        if (equals === -1) result[item] = absent(item);
        else result[item.slice(0, equals)] = item.slice(equals + 1) as V;
      });
      return result;
    }
    if (isMapping(value)) {
      for (const [key, item] of Object.entries(value)) {
        const converted = scalarText(item as ScalarValue, key);
        result[key] = converted === null ? absent(key) : (converted as V);
      }
      return result;
    }
    throw new ValueProblem(`expected ${what} as a mapping or a list of "KEY=VALUE", got ${describeKind(value)}`);
  });
}

/** Environment-like maps: a name without a value is null (resolved later from the environment). */
export const envMap = listOrDict<string | null>("variables", () => null);

/** Label-like maps: a name without a value is "". */
export const labelMap = listOrDict<string>("entries", () => "");

/** Options mappings whose values must be scalars (driver_opts, logging options): all text. */
export const optionsMap = parsed((value): Record<string, string> => {
  if (!isMapping(value)) throw new ValueProblem(`expected a mapping, got ${describeKind(value)}`);
  const result: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    const converted = scalarText(item, key);
    result[key] = converted ?? "";
  }
  return result;
});
