// Turns a bootstrap script plus its inputs into the text that runs on a host over SSH,
// and reads the one-line JSON result back.
import { readFileSync } from "node:fs";
import {
  BOOTSTRAP_SCRIPT_NAMES,
  type BootstrapInputs,
  type BootstrapResults,
  type BootstrapScriptName,
} from "./contract.ts";

/** The remote command that runs a rendered script fed on stdin (keeps inputs off argv). */
export const BOOTSTRAP_STDIN_COMMAND = "sh -s";

const scriptDir = new URL("./", import.meta.url);

function source(file: string): string {
  return readFileSync(new URL(file, scriptDir), "utf8");
}

/** Quotes a value for POSIX sh: everything inside single quotes is literal. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

function assignments(name: BootstrapScriptName, inputs: object): string {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(inputs)) {
    if (value === undefined) continue;
    if (!/^[A-Z][A-Z0-9_]*$/.test(key)) {
      throw new Error(`bootstrap script ${name}: input name "${key}" is not an upper-case shell variable name`);
    }
    if (typeof value !== "string") {
      throw new Error(`bootstrap script ${name}: input ${key} must be a string, got ${typeof value}`);
    }
    if (value.includes("\0")) {
      throw new Error(`bootstrap script ${name}: input ${key} contains a NUL byte`);
    }
    lines.push(`${key}=${shellQuote(value)}`);
  }
  return lines.join("\n");
}

/** The full script text (inputs, shared prelude, script) to feed to `sh -s` on stdin. */
export function bootstrapScript<N extends BootstrapScriptName>(name: N, inputs: BootstrapInputs[N]): string {
  if (!(BOOTSTRAP_SCRIPT_NAMES as readonly string[]).includes(name)) {
    throw new Error(`unknown bootstrap script "${name}"; known: ${BOOTSTRAP_SCRIPT_NAMES.join(", ")}`);
  }
  return [`# bootstrap: ${name}`, assignments(name, inputs), source("lib.sh"), source(`${name}.sh`)].join("\n");
}

/**
 * The same script as one command line (`sh -c '...'`), for hooks that take no stdin such
 * as a remote command's delete. Its inputs are visible in the host's process list while
 * it runs: never use it for inputs that are secrets.
 */
export function bootstrapCommand<N extends BootstrapScriptName>(name: N, inputs: BootstrapInputs[N]): string {
  return `sh -c ${shellQuote(bootstrapScript(name, inputs))}`;
}

/** Parses a script's stdout; a failed script's own error message becomes the thrown error. */
export function parseBootstrapResult<N extends BootstrapScriptName>(name: N, stdout: string): BootstrapResults[N] {
  const last = stdout.trimEnd().split("\n").pop() ?? "";
  let parsed: unknown;
  try {
    parsed = JSON.parse(last);
  } catch {
    throw new Error(`bootstrap script ${name} printed no JSON result (last stdout line: ${JSON.stringify(last.slice(0, 200))})`);
  }
  if (typeof parsed !== "object" || parsed === null || !("ok" in parsed)) {
    throw new Error(`bootstrap script ${name} printed a result without "ok"`);
  }
  const { ok, error, ...rest } = parsed as { ok: unknown; error?: unknown };
  if (ok !== true) throw new Error(`bootstrap script ${name} failed: ${String(error ?? "unknown error")}`);
  return rest as BootstrapResults[N];
}
