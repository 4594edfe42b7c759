// Runs the project's actionlint build (scripts/actionlint.sh builds it on first use).
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

export const repoRoot = resolve(import.meta.dirname, "../../..");

export interface Finding {
  message: string;
  filepath: string;
  line: number;
  column: number;
  kind: string;
}

let cached: { path: string; seconds: number } | undefined;

/** The binary's path; a failed build throws with the script's own message (never a skip). */
export function actionlintBinary(): { path: string; seconds: number } {
  if (cached) return cached;
  const started = Date.now();
  const result = spawnSync("bash", [resolve(repoRoot, "scripts/actionlint.sh")], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`scripts/actionlint.sh failed (exit ${result.status}):\n${result.stderr}`);
  cached = { path: result.stdout.trim(), seconds: (Date.now() - started) / 1000 };
  return cached;
}

/** Lints FILES (relative to CWD, which must hold .github/) and returns the findings and the files linted. */
export function lint(cwd: string, files: readonly string[]): { findings: Finding[]; linted: string[]; stderr: string } {
  const result = spawnSync(actionlintBinary().path, ["-format", "{{json .}}", "-verbose", ...files], { cwd, encoding: "utf8" });
  // 0: clean, 1: findings; anything else is actionlint failing to run.
  if (result.status !== 0 && result.status !== 1) throw new Error(`actionlint exited ${result.status}:\n${result.stderr}`);
  const findings = result.stdout.trim() === "" ? [] : (JSON.parse(result.stdout) as Finding[]);
  const linted = [...result.stderr.matchAll(/^verbose: Linting (.+\.ya?ml)$/gm)].map((match) => match[1]!).sort();
  return { findings, linted, stderr: result.stderr };
}
