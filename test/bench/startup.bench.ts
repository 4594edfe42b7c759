/**
 * Start-up of the command line on ordinary compose files (2–8 services): wall time and
 * peak RSS of `compose-pulumi config` and `compose-pulumi graph --target engine`, the
 * compiled bin as users run it, against `docker compose config` v2.40.3 on the same file.
 * docker compose has no `graph`; its `config` is the nearest peer (it loads the same
 * files and prints the model), so graph's ratio says what computing the resources costs
 * on top of loading.
 *
 *   node test/bench/startup.bench.ts [--runs N] [--command config|graph]
 *
 * Builds dist/ first when it is missing or stale. Needs GNU time (Debian's `time`,
 * installed when run as root) and the docker compose CLI (bash scripts/compose-reference.sh).
 * Prints medians of N paired runs (default 15) after one unmeasured pair; it is not a
 * pass/fail test.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import {
  REPO_ROOT,
  benchEnvironment,
  ensureBuilt,
  gnuTimeMissing,
  mebibytes,
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

/** The target: at most this, and at most TARGET_RATIO times docker compose. */
const TARGET_SECONDS = 0.15;
const TARGET_MIB = 70;
const TARGET_RATIO = 3;

const FILES = [
  "examples/engine-app/compose.yaml",
  "test/fixtures/compose-corpus/awesome-compose/wordpress-mysql/compose.yaml",
  "test/fixtures/compose-corpus/temporal-docker-compose/docker-compose-postgres.yml",
  "test/fixtures/compose-corpus/example-voting-app/docker-compose.images.yml",
];

const COMMANDS = {
  config: (file: string) => ["config", "-f", file],
  graph: (file: string) => ["graph", "--target", "engine", "-f", file],
} as const;
type CommandName = keyof typeof COMMANDS;

const { values } = parseArgs({ options: { runs: { type: "string", default: "15" }, command: { type: "string", multiple: true } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${values.runs}`);
const commands = (values.command ?? Object.keys(COMMANDS)) as CommandName[];
for (const command of commands) if (!(command in COMMANDS)) throw new Error(`--command must be config or graph, got ${command}`);

const peer = peerCompose();
const missing = gnuTimeMissing() ?? ("missing" in peer ? peer.missing : undefined);
if (missing !== undefined || !("binary" in peer)) {
  console.log(`startup bench: cannot run here: ${missing}`);
  process.exit(0);
}
ensureBuilt();

const rows: string[][] = [];
const disagreements: string[] = [];
for (const command of commands) {
  for (const relative of FILES) {
    const cwd = path.join(REPO_ROOT, path.dirname(relative));
    const file = path.basename(relative);
    const ours = ourBin(COMMANDS[command](file), cwd);
    const theirs: Invocation = { command: peer.binary, args: ["-f", file, "config"], cwd, env: benchEnvironment() };
    if (command === "config" && output(ours) !== output(theirs)) disagreements.push(relative);
    const figures = medians(pairedRuns(ours, theirs, runs));
    const wall = figures.ours.wallSeconds;
    const rss = figures.ours.peakRssMiB;
    const met = wall <= TARGET_SECONDS && rss <= TARGET_MIB && wall / figures.peer.wallSeconds <= TARGET_RATIO && rss / figures.peer.peakRssMiB <= TARGET_RATIO;
    rows.push([
      `${command} ${relative.replace(/^test\/fixtures\/compose-corpus\//, "corpus/")}`,
      seconds(wall),
      seconds(figures.peer.wallSeconds),
      ratio(wall, figures.peer.wallSeconds),
      mebibytes(rss),
      mebibytes(figures.peer.peakRssMiB),
      ratio(rss, figures.peer.peakRssMiB),
      met ? "yes" : "no",
    ]);
  }
}

console.log(`\nmedians of ${runs} paired runs; peer: docker compose v2.40.3 \`config\` (for graph too: it has no graph, its config is the nearest peer)`);
console.log(`target: ours <= ${TARGET_SECONDS.toFixed(2)} s and <= ${TARGET_MIB} MiB peak RSS, each <= ${TARGET_RATIO}x docker compose\n`);
printTable(["command and file", "ours wall", "peer wall", "ratio", "ours RSS", "peer RSS", "ratio", "target met"], rows);
if (disagreements.length > 0) console.log(`\nconfig printed other bytes than docker compose for: ${disagreements.join(", ")}`);
