/**
 * Running the real docker compose CLI (built by scripts/compose-reference.sh) on one
 * corpus entry, the way the stored reference was recorded.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CORPUS, entryFiles, type Printed, type Reference } from "./entries.ts";
import { CORPUS_ENVIRONMENT, placeCorpus } from "./environment.ts";

export const COMPOSE_VERSION = "2.40.3";

/** Where scripts/compose-reference.sh puts the binary (COMPOSE_PULUMI_CACHE as in scripts/lib/paths.sh). */
export function referenceBinary(): string {
  const cache = process.env.COMPOSE_PULUMI_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "compose-pulumi");
  return path.join(cache, "toolchain", `docker-compose-v${COMPOSE_VERSION}`, "docker-compose");
}

export function referenceMissing(): string | undefined {
  return fs.existsSync(referenceBinary())
    ? undefined
    : `the reference docker compose is not built at ${referenceBinary()} (run scripts/compose-reference.sh)`;
}

export function runReference(entry: string, binary = referenceBinary()): Reference {
  return { json: runFormat(entry, binary, "json"), yaml: runFormat(entry, binary, "yaml") };
}

function runFormat(entry: string, binary: string, format: "json" | "yaml"): Printed {
  const files = entryFiles(entry).map((file) => path.join(CORPUS, file));
  const fileArgs = files.flatMap((file) => ["-f", path.relative(path.dirname(files[0]!), file)]);
  const result = spawnSync(binary, [...fileArgs, "config", "--format", format], {
    cwd: path.dirname(files[0]!),
    env: { ...CORPUS_ENVIRONMENT },
    encoding: "utf8",
    // A file that made compose wait for the network or a prompt must not stall the run.
    timeout: 30_000,
  });
  if (result.error) throw result.error;
  // Warnings carry the time they were logged; without it a re-recording changes nothing.
  // (Which of several problems compose reports first can still vary: it walks Go maps.)
  if (result.status !== 0) return { error: placeCorpus(result.stderr.replace(/^time="[^"]*" /gm, "").trim()) };
  return { text: placeCorpus(result.stdout) };
}
