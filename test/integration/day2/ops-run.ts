/**
 * Runs one `pulumi up` of a compose stack (ops-stack.ts composeStack) in a process of its
 * own. A failing inline program leaves rejected promises behind in the process that ran
 * it, which node's test runner would count against the test; and an interrupted run must
 * be killable without touching the test process.
 *
 *   node ops-run.ts '<ComposeStackOptions without env, as JSON>'
 *
 * Prints one JSON line: { ok, summary?, message? }.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { composeStack, type ComposeStackOptions } from "./ops-stack.ts";

export interface RunOutcome {
  ok: boolean;
  resourceChanges?: Record<string, number>;
  message?: string;
}

/** Starts the child; `done` resolves with its outcome (or its stderr when it died). */
export function startUp(options: ComposeStackOptions): { child: ChildProcess; done: Promise<RunOutcome> } {
  // The environment travels as the child's environment, never on its command line.
  const { env, ...rest } = options;
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), JSON.stringify(rest)], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const done = new Promise<RunOutcome>((resolve) => {
    child.on("close", (code, signal) => {
      const last = stdout.trim().split("\n").pop() ?? "";
      try {
        resolve(JSON.parse(last) as RunOutcome);
      } catch {
        resolve({ ok: false, message: `ops-run exited ${code ?? signal}: ${stderr.slice(-2000)}` });
      }
    });
  });
  return { child, done };
}

export function runUp(options: ComposeStackOptions): Promise<RunOutcome> {
  return startUp(options).done;
}

/** Pids of the processes whose parent is `pid` and whose command is `name` (or starts with it, with `prefix`). */
export async function childPids(pid: number, name: string, prefix = false): Promise<number[]> {
  const { stdout } = await new Promise<{ stdout: string }>((resolve, reject) =>
    execFile("ps", ["-o", "pid=,comm=", "--ppid", String(pid)], (error, out) => (error && !out ? resolve({ stdout: "" }) : resolve({ stdout: out }))),
  );
  return stdout
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter(([p, comm]) => p && (prefix ? comm?.startsWith(name) : comm === name))
    .map(([p]) => Number(p));
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? "{}") as ComposeStackOptions;
  options.env = process.env;
  const errors: string[] = [];
  process.on("unhandledRejection", (reason) => errors.push(String((reason as Error)?.message ?? reason)));
  try {
    const stack = await composeStack(options);
    const result = await stack.up();
    process.stdout.write(`\n${JSON.stringify({ ok: result.summary.result === "succeeded", resourceChanges: result.summary.resourceChanges })}\n`);
  } catch (error) {
    process.stdout.write(`\n${JSON.stringify({ ok: false, message: String((error as Error)?.message ?? error) })}\n`);
  }
  process.exit(0);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) void main();
