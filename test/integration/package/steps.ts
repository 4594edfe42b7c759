/**
 * Commands of the package tests, run as a user types them in a project folder: each one
 * timed, its output kept and shown only when it fails, and the times reported together.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { TestContext } from "node:test";

const exec = promisify(execFile);

export interface StepResult {
  stdout: string;
  stderr: string;
  seconds: number;
}

/** Step name -> seconds, in the order they ran. */
export class StepTimes {
  readonly list: [string, number][] = [];

  add(name: string, seconds: number): void {
    this.list.push([name, seconds]);
  }

  /** `name 12.3 s, name 4.5 s` */
  toString(): string {
    return this.list.map(([name, seconds]) => `${name} ${seconds.toFixed(1)} s`).join(", ");
  }
}

/** Runs `command args` in `cwd`; a failure fails the test with the command's whole output. */
export async function step(
  times: StepTimes,
  name: string,
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<StepResult> {
  const started = performance.now();
  try {
    const { stdout, stderr } = await exec(command, args, { cwd: options.cwd, env: options.env, maxBuffer: 64 << 20, timeout: options.timeoutMs ?? 900_000 });
    const seconds = (performance.now() - started) / 1000;
    times.add(name, seconds);
    return { stdout, stderr, seconds };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; code?: unknown; signal?: unknown };
    throw new Error(`${name} failed (${[command, ...args].join(" ")}, exit ${String(failed.code ?? failed.signal)}):\n${failed.stdout ?? ""}\n${failed.stderr ?? ""}`);
  }
}

/** Reports the times of a test's steps in the test's output. */
export function reportTimes(t: TestContext, what: string, times: StepTimes): void {
  t.diagnostic(`${what}: ${times.toString()}`);
}
