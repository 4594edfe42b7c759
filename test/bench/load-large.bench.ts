/**
 * Loading a large generated compose file (test/bench/large-compose.ts: 1,000 services
 * with 5,000 ports, 5,000 volume mounts and 5,000 environment entries by default):
 *
 * 1. `compose-pulumi config` (the compiled bin) against `docker compose config` v2.40.3
 *    on the same file, in YAML (the default, which the target is about) and in JSON:
 *    medians of paired runs of wall time and peak RSS, and the ratios;
 * 2. where our time goes: the loader's first stages timed one by one in this process.
 *
 *   node test/bench/load-large.bench.ts [--services N] [--runs N]
 *
 * Builds dist/ first when it is missing or stale. Needs GNU time (Debian's `time`,
 * installed when run as root) and the docker compose CLI (bash scripts/compose-reference.sh).
 * Prints figures; it is not a pass/fail test.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { interpolate } from "../../infra/compose/interpolate.ts";
import { loadProject } from "../../infra/compose/load.ts";
import { parseComposeText } from "../../infra/compose/parse.ts";
import { renderModel } from "../../infra/compose/render.ts";
import { validateComposeFile } from "../../infra/compose/schema/index.ts";
import { LARGE_COMPOSE_ENVIRONMENT, generateCompose } from "./large-compose.ts";
import {
  benchEnvironment,
  ensureBuilt,
  gnuTimeMissing,
  mebibytes,
  median,
  medians,
  output,
  ourBin,
  pairedRuns,
  peerCompose,
  printTable,
  ratio,
  seconds,
  type Invocation,
} from "./measure.ts";

/** The target for this file: at most docker compose's wall time and 1.2 times its peak RSS. */
const TARGET_WALL_RATIO = 1.0;
const TARGET_RSS_RATIO = 1.2;

const { values } = parseArgs({
  options: { services: { type: "string", default: "1000" }, runs: { type: "string", default: "7" } },
});
const serviceCount = Number(values.services);
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${values.runs}`);

const peer = peerCompose();
const missing = gnuTimeMissing() ?? ("missing" in peer ? peer.missing : undefined);
if (missing !== undefined || !("binary" in peer)) {
  console.log(`load-large bench: cannot run here: ${missing}`);
  process.exit(0);
}
ensureBuilt();

function timed<T>(action: () => T): { result: T; ms: number } {
  const start = performance.now();
  const result = action();
  return { result, ms: performance.now() - start };
}

const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "compose-bench-"));
try {
  const file = path.join(workspace, "compose.yaml");
  const text = generateCompose(serviceCount);
  fs.writeFileSync(file, text);
  const env = benchEnvironment(LARGE_COMPOSE_ENVIRONMENT);
  console.log(`generated: ${serviceCount} services, ${(text.length / 1024 / 1024).toFixed(1)} MiB, ${text.split("\n").length} lines`);
  console.log(`\nmedians of ${runs} paired runs of \`config\` on the file; peer: docker compose v2.40.3 \`config\``);
  console.log(`target (YAML, the default): ours <= ${TARGET_WALL_RATIO.toFixed(1)}x docker compose's wall time and <= ${TARGET_RSS_RATIO.toFixed(1)}x its peak RSS\n`);
  const rows: string[][] = [];
  const disagreements: string[] = [];
  for (const format of ["yaml", "json"] as const) {
    const ours = { ...ourBin(["config", "-f", "compose.yaml", "--format", format], workspace), env };
    const theirs: Invocation = { command: peer.binary, args: ["-f", "compose.yaml", "config", "--format", format], cwd: workspace, env };
    if (output(ours) !== output(theirs)) disagreements.push(format);
    const figures = medians(pairedRuns(ours, theirs, runs));
    const met = (ratioOf: number, target: number) => (format === "yaml" ? (ratioOf <= target ? "yes" : "no") : "");
    const wallRatio = figures.ours.wallSeconds / figures.peer.wallSeconds;
    const rssRatio = figures.ours.peakRssMiB / figures.peer.peakRssMiB;
    rows.push(
      [`${format}: wall`, seconds(figures.ours.wallSeconds), seconds(figures.peer.wallSeconds), ratio(figures.ours.wallSeconds, figures.peer.wallSeconds), met(wallRatio, TARGET_WALL_RATIO)],
      [`${format}: peak RSS`, mebibytes(figures.ours.peakRssMiB), mebibytes(figures.peer.peakRssMiB), ratio(figures.ours.peakRssMiB, figures.peer.peakRssMiB), met(rssRatio, TARGET_RSS_RATIO)],
    );
  }
  printTable(["format: figure", "ours", "peer", "ratio", "target met"], rows);
  console.log(disagreements.length === 0 ? "\nconfig printed the same bytes as docker compose in both formats" : `\nconfig printed OTHER bytes than docker compose in: ${disagreements.join(", ")}`);

  // In this process, from the sources: the stages after a first, unmeasured load.
  const environment = { HOME: os.homedir(), ...LARGE_COMPOSE_ENVIRONMENT };
  const load = () => loadProject({ files: [file], environment });
  load();
  const whole = [0, 1, 2].map(() => timed(load).ms);
  const parse = timed(() => parseComposeText(file, workspace, text));
  const source = parse.result.source;
  if (!source) throw new Error("the generated file does not parse");
  const interpolation = timed(() => interpolate(source, environment));
  const validation = timed(() => validateComposeFile(source, interpolation.result.data));
  const rendering = timed(() => renderModel(load(), "yaml"));
  const rest = median(whole) - parse.ms - interpolation.ms - validation.ms;
  console.log("\nin-process stages, warm (from the sources):");
  printTable(
    ["stage", "time"],
    [
      ["loadProject, whole (median of 3)", `${median(whole).toFixed(0)} ms`],
      ["  parse (YAML, positions)", `${parse.ms.toFixed(0)} ms`],
      ["  interpolate (and casts)", `${interpolation.ms.toFixed(0)} ms`],
      ["  validate (schema, expansion)", `${validation.ms.toFixed(0)} ms`],
      ["  the other stages", `${Math.max(0, rest).toFixed(0)} ms`],
      ["render as YAML (with a load)", `${rendering.ms.toFixed(0)} ms`],
    ],
  );
} finally {
  fs.rmSync(workspace, { recursive: true, force: true });
}
