/**
 * Wall times of the product (`pulumi up --yes --skip-preview` of a program using
 * ComposeApp, as a user runs it) and of Debian's `docker stack deploy`, side by side on
 * one test swarm (1 manager + 2 workers): first deploy of the same generated 20-service
 * file, a re-run with nothing changed (no-op; for the product also with its preview,
 * `pulumi up --yes`), then `--updates` one-service changes
 * (an environment variable), each timed until the command returns, until the changed
 * service runs only new tasks, and until the whole stack has converged (no service still
 * in an update), with the ratios ours / stack deploy and how many services each tool
 * touched (Version.Index moved) and restarted.
 *
 *   node test/bench/stack-deploy-speed.bench.ts [--updates N] [--parallel N] [--profile]
 *
 * `--parallel N` runs `pulumi up --parallel N` (default: the CLI's own, 4 x CPUs unless
 * PULUMI_PARALLEL says otherwise); `--profile` prints where the product's first deploy and
 * no-op spent their time, per resource type, from the engine's events.
 *
 * Needs root (network-namespace hosts), Debian's docker.io and `npm run setup`. Prints
 * figures; it is not a pass/fail test.
 */
import { access } from "node:fs/promises";
import { parseArgs } from "node:util";
import { harnessUnavailableReason } from "../harness/hosts.ts";
import { projectEnv, toolchainMissing } from "../integration/pulumi-toolchain.ts";
import { SPEED_SERVICE_COUNT } from "../integration/day2/speed-compose.ts";
import { startSpeedCluster, stopSpeedCluster, type SpeedCluster } from "../integration/day2/speed-cluster.ts";
import { CHANGED_KEY, ratio, SpeedScenario, TOOLS, type StepTiming, type Tool, type UpdateResult } from "../integration/day2/speed-scenario.ts";
import { DEBIAN_DOCKER } from "../integration/day2/speed-swarm-state.ts";

const { values } = parseArgs({
  options: { updates: { type: "string", default: "3" }, parallel: { type: "string" }, profile: { type: "boolean", default: false } },
});
const updateCount = Number(values.updates);
if (!Number.isInteger(updateCount) || updateCount < 1) throw new Error(`--updates must be a positive integer, got ${values.updates}`);
const parallel = values.parallel === undefined ? undefined : Number(values.parallel);
if (parallel !== undefined && (!Number.isInteger(parallel) || parallel < 1)) throw new Error(`--parallel must be a positive integer, got ${values.parallel}`);

const env = await projectEnv();
const missing =
  (await toolchainMissing(env, ["docker"])) ??
  (await harnessUnavailableReason()) ??
  (await access(DEBIAN_DOCKER).then(() => undefined, () => `Debian's docker CLI (${DEBIAN_DOCKER}) is not installed`));
if (missing) {
  console.log(`stack-deploy-speed: cannot run here: ${missing}`);
  process.exit(0);
}
// LocalWorkspace finds `pulumi` through this process's PATH.
process.env.PATH = env.PATH;

const seconds = (value: number) => `${value.toFixed(1)}s`.padStart(7);

function row(label: string, timings: Record<Tool, StepTiming>): string {
  const cells = (key: keyof StepTiming) => {
    const ours = timings.ours[key];
    const theirs = timings.stackDeploy[key];
    if (ours === undefined || theirs === undefined) return ["-".padStart(7), "-".padStart(7), "-".padStart(6)];
    return [seconds(ours), seconds(theirs), ratio(ours, theirs).padStart(6)];
  };
  return [label.padEnd(18), ...cells("commandSeconds"), ...cells("changedSeconds"), ...cells("convergedSeconds")].join("  ");
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

let cluster: SpeedCluster | undefined;
let scenario: SpeedScenario | undefined;
try {
  cluster = await startSpeedCluster();
  console.log(`cluster: 1 manager + 2 workers, image ${cluster.image}, ready in ${cluster.setupSeconds.toFixed(1)}s`);
  scenario = new SpeedScenario(env, cluster, { parallel });
  await scenario.prepare();
  const profiles: string[] = [];

  const first = {} as Record<Tool, StepTiming>;
  for (const tool of TOOLS) {
    first[tool] = await scenario.firstDeploy(tool);
    if (tool === "ours") profiles.push("first deploy:", ...(scenario.lastProfile?.lines() ?? []));
  }
  const noOp = {} as Record<Tool, UpdateResult>;
  for (const tool of TOOLS) {
    noOp[tool] = await scenario.update(tool, { unchanged: true });
    if (tool === "ours") profiles.push("no-op:", ...(scenario.lastProfile?.lines() ?? []));
  }
  // `pulumi up --yes`, as a user who looks at the preview first runs it; stack deploy has no preview to run.
  const noOpPreviewed = { ...noOp, ours: await scenario.update("ours", { unchanged: true, preview: true }) };

  const updates: Record<Tool, UpdateResult>[] = [];
  for (let run = 1; run <= updateCount; run++) {
    await scenario.changeOneService(`${run + 1}`);
    const results = {} as Record<Tool, UpdateResult>;
    // Alternate which tool goes first, so neither always runs on a swarm still settling.
    for (const tool of run % 2 === 1 ? TOOLS : [...TOOLS].reverse()) results[tool] = await scenario.update(tool);
    updates.push(results);
  }

  const parallelNote = parallel === undefined ? `the CLI's default --parallel (${env.PULUMI_PARALLEL ? `PULUMI_PARALLEL=${env.PULUMI_PARALLEL}` : "4 x CPUs"})` : `--parallel ${parallel}`;
  console.log(`\n${SPEED_SERVICE_COUNT} services; pulumi up with ${parallelNote}; update = one environment variable of ${CHANGED_KEY}; ratio = ours / stack deploy`);
  const heading = ["ours", "stack", "ratio"].map((word, index) => word.padStart(index === 2 ? 6 : 7)).join("  ");
  console.log(["".padEnd(18), "command returned".padEnd(heading.length), "changed svc on new tasks".padEnd(heading.length), "stack converged"].join("  "));
  console.log(["step".padEnd(18), heading, heading, heading].join("  "));
  console.log(row("first deploy", first));
  console.log(row("no-op", noOp));
  console.log(row("no-op, previewed", noOpPreviewed));
  updates.forEach((results, index) => console.log(row(`update ${index + 1}`, results)));
  const medianOf = (tool: Tool, key: keyof StepTiming) => median(updates.map((results) => results[tool][key] ?? Number.NaN));
  const medians = (tool: Tool): StepTiming => ({
    commandSeconds: medianOf(tool, "commandSeconds"),
    changedSeconds: medianOf(tool, "changedSeconds"),
    convergedSeconds: medianOf(tool, "convergedSeconds"),
  });
  console.log(row("update (median)", { ours: medians("ours"), stackDeploy: medians("stackDeploy") }));
  console.log("\nservices touched per update (Version.Index moved) / with tasks replaced:");
  const touched = (result: UpdateResult) => `${result.touched.length}/${SPEED_SERVICE_COUNT} touched, ${result.restarted.length} restarted`;
  console.log(`  no-op: ours ${touched(noOp.ours)}; stack deploy ${touched(noOp.stackDeploy)}`);
  updates.forEach((results, index) => {
    const part = (tool: Tool) => `${results[tool].touched.length}/${SPEED_SERVICE_COUNT} touched, ${results[tool].restarted.length} restarted`;
    console.log(`  update ${index + 1}: ours ${part("ours")}; stack deploy ${part("stackDeploy")}`);
  });
  if (values.profile) console.log(["", "where ours spent its time (seconds from the command's start):", ...profiles].join("\n"));
} finally {
  await scenario?.cleanUp();
  await stopSpeedCluster(cluster);
}
