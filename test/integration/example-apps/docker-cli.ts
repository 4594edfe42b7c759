/**
 * The docker CLI as a bounded async call: every invocation has a deadline, and a
 * failure carries the command and the tail of its stderr (never of stdin).
 */
import { spawn } from "node:child_process";

export interface DockerResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface DockerOptions {
  timeoutMs?: number;
  /** Resolve with the exit code instead of rejecting when docker exits non-zero. */
  allowFailure?: boolean;
  env?: NodeJS.ProcessEnv;
}

export class DockerCommandError extends Error {
  readonly args: string[];
  readonly result: DockerResult;

  constructor(
    args: string[],
    result: DockerResult,
  ) {
    const tail = result.stderr.trim().split("\n").slice(-15).join("\n");
    super(`docker ${args.join(" ")} exited ${result.code}${tail ? `:\n${tail}` : ""}`);
    this.args = args;
    this.result = result;
  }
}

export function docker(args: string[], options: DockerOptions = {}): Promise<DockerResult> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const child = spawn("docker", args, { env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`docker ${args.join(" ")} did not finish within ${timeoutMs / 1000}s`));
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      const result = { code: code ?? -1, stdout, stderr };
      if (result.code !== 0 && !options.allowFailure) reject(new DockerCommandError(args, result));
      else resolve(result);
    });
  });
}

/** Why the daemon named by DOCKER_HOST cannot be used, or undefined when it can. */
export async function dockerUnavailable(): Promise<string | undefined> {
  try {
    const result = await docker(["version", "--format", "{{.Server.Version}}"], { timeoutMs: 15_000, allowFailure: true });
    if (result.code === 0) return undefined;
    return `no Docker daemon answers at ${process.env.DOCKER_HOST ?? "the default socket"} (run scripts/setup.sh)`;
  } catch (error) {
    return `the docker CLI cannot run: ${(error as Error).message}`;
  }
}
