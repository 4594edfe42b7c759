/**
 * A command in a pseudo-terminal (util-linux `script`), answering the prompts it shows,
 * for what a person runs interactively: `pulumi up --stack dev` on a stack that does not
 * exist yet asks to create it.
 */
import { spawn } from "node:child_process";

export interface Prompt {
  /** Text that shows the prompt. */
  shows: string;
  /** What the person types (with the Enter key as "\r"). */
  answer: string;
}

/** Runs `commandLine` in a terminal of 160 columns; resolves with its exit code and output (escape sequences removed). */
export function runInTerminal(
  commandLine: string,
  options: { cwd: string; env: NodeJS.ProcessEnv; prompts: Prompt[]; timeoutMs: number },
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // A person's terminal, whatever runs the tests: pulumi prompts only when TERM is not
    // "dumb" and no CI system is detected from the environment (CI=true and the like).
    const env = { ...options.env, TERM: "xterm-256color", PULUMI_DISABLE_CI_DETECTION: "1" };
    const child = spawn("script", ["-qfec", `stty cols 160 rows 50; ${commandLine}`, "/dev/null"], { cwd: options.cwd, env, stdio: ["pipe", "pipe", "pipe"] });
    let raw = "";
    const pending = [...options.prompts];
    const timer = setTimeout(() => {
      child.kill("SIGTERM");
      reject(new Error(`${commandLine} did not finish in ${options.timeoutMs / 1000} s:\n${plain(raw)}`));
    }, options.timeoutMs);
    const read = (chunk: Buffer) => {
      raw += chunk.toString("utf8");
      const next = pending[0];
      if (next !== undefined && plain(raw).includes(next.shows)) {
        pending.shift();
        child.stdin.write(next.answer);
      }
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      child.stdin.end();
      resolve({ code, output: plain(raw) });
    });
  });
}

/** Terminal output without colours, cursor moves and terminal queries. */
export function plain(text: string): string {
  return text
    .replace(/\x1b\][^\x07\x1b]*(\x07|\x1b\\)/g, "")
    .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "")
    .replace(/\r\n/g, "\n")
    .replace(/\r/g, "\n");
}
