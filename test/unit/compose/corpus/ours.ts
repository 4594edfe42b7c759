/**
 * Running this project's `config --format json` and `--format yaml` (infra/cli.ts, in
 * process) on one corpus entry, in the same surroundings as the reference.
 */
import path from "node:path";
import { main } from "../../../../infra/cli.ts";
import { CORPUS, entryFiles, type Printed, type Reference } from "./entries.ts";
import { CORPUS_ENVIRONMENT, placeCorpus } from "./environment.ts";

export async function runOurs(entry: string): Promise<Reference> {
  return { json: await runFormat(entry, "json"), yaml: await runFormat(entry, "yaml") };
}

async function runFormat(entry: string, format: "json" | "yaml"): Promise<Printed> {
  const files = entryFiles(entry).map((file) => path.join(CORPUS, file));
  const fileArgs = files.flatMap((file) => ["-f", path.relative(path.dirname(files[0]!), file)]);
  let out = "";
  let err = "";
  const code = await main(["config", ...fileArgs, "--format", format], {
    out: (text) => (out += text),
    err: (text) => (err += text),
    env: { ...CORPUS_ENVIRONMENT },
    cwd: path.dirname(files[0]!),
  });
  if (code !== 0) return { error: placeCorpus(err.trim()) };
  return { text: placeCorpus(out) };
}
