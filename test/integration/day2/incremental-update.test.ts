/**
 * The product against `docker stack deploy` (Debian's docker CLI) on one harness swarm
 * (1 manager + 2 workers), side by side: both deploy the same generated 20-service file
 * under their own names, then the same one-service change (an environment variable).
 *
 * - `pulumi preview` of the change lists exactly one step: an update of that service;
 * - `pulumi up` touches exactly that service (only its Version.Index moves) and replaces
 *   only its tasks;
 * - `docker stack deploy` re-sends every service of the file: every Version.Index moves.
 *
 * Wall times and ratios (ours / stack deploy) are printed as diagnostics; the benchmark
 * test/bench/stack-deploy-speed.bench.ts prints the same figures without assertions.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { harnessUnavailableReason } from "../../harness/hosts.ts";
import { projectEnv, toolchainMissing } from "../pulumi-toolchain.ts";
import { SPEED_SERVICE_COUNT } from "./speed-compose.ts";
import { startSpeedCluster, stopSpeedCluster, type SpeedCluster } from "./speed-cluster.ts";
import { CHANGED_KEY, ratio, SpeedScenario, TOOLS, type StepTiming, type Tool, type UpdateResult } from "./speed-scenario.ts";
import { DEBIAN_DOCKER, serviceVersions } from "./speed-swarm-state.ts";
import { access } from "node:fs/promises";

let missing: string | undefined;
let cluster: SpeedCluster | undefined;
let scenario: SpeedScenario | undefined;
let savedPath: string | undefined;
const first: Partial<Record<Tool, StepTiming>> = {};
const updates: Partial<Record<Tool, UpdateResult>> = {};

before(async () => {
  const env = await projectEnv();
  missing = (await toolchainMissing(env, ["docker"])) ?? (await harnessUnavailableReason());
  if (!missing) missing = await access(DEBIAN_DOCKER).then(() => undefined, () => `Debian's docker CLI (${DEBIAN_DOCKER}, package docker.io) is not installed`);
  if (missing) return;
  // LocalWorkspace finds `pulumi` through this process's PATH.
  savedPath = process.env.PATH;
  process.env.PATH = env.PATH;
  cluster = await startSpeedCluster();
  scenario = new SpeedScenario(env, cluster);
  await scenario.prepare();
});

after(async () => {
  await scenario?.cleanUp();
  await stopSpeedCluster(cluster);
  if (savedPath !== undefined) process.env.PATH = savedPath;
});

describe("incremental update against docker stack deploy", { concurrency: 1 }, () => {
  test(`first deploy: both tools create all ${SPEED_SERVICE_COUNT} services`, { timeout: 15 * 60_000 }, async (t) => {
    if (missing) return t.skip(missing);
    t.diagnostic(`cluster: 1 manager + 2 workers ready in ${cluster!.setupSeconds.toFixed(1)}s`);
    for (const tool of TOOLS) first[tool] = await scenario!.firstDeploy(tool);
    for (const tool of TOOLS) {
      const versions = await serviceVersions(cluster!.manager.dockerHost, scenario!.namespaces[tool]);
      assert.equal(Object.keys(versions).length, SPEED_SERVICE_COUNT, `${tool} created ${Object.keys(versions).join(", ")}`);
    }
    printTimings(t, "first deploy", first);
  });

  test("pulumi preview of a one-service change lists exactly one update step", { timeout: 10 * 60_000 }, async (t) => {
    if (missing) return t.skip(missing);
    if (!first.ours || !first.stackDeploy) return t.skip("the first deploy did not complete");
    await scenario!.changeOneService(`2-${scenario!.suffix}`);
    const steps = await scenario!.previewOurs();
    t.diagnostic(`preview steps: ${steps.map((step) => `${step.op} ${step.urn.split("::").pop()}`).join("; ")}`);
    assert.deepEqual(
      steps.map((step) => ({ op: step.op, type: step.type, name: step.urn.split("::").pop() })),
      [{ op: "update", type: "docker:index/service:Service", name: `${scenario!.namespaces.ours}-${CHANGED_KEY}` }],
    );
  });

  test("the update touches one service with pulumi up and every service with docker stack deploy", { timeout: 15 * 60_000 }, async (t) => {
    if (missing) return t.skip(missing);
    if (!first.ours || !first.stackDeploy) return t.skip("the first deploy did not complete");
    for (const tool of TOOLS) updates[tool] = await scenario!.update(tool);
    printTimings(t, "one-service update", updates);
    for (const tool of TOOLS) {
      const result = updates[tool]!;
      t.diagnostic(`${tool}: Version.Index moved on ${result.touched.length}/${SPEED_SERVICE_COUNT} services, tasks replaced on ${result.restarted.join(", ") || "none"}`);
    }

    const ours = updates.ours!;
    assert.deepEqual(ours.touched, [scenario!.changedService("ours")], "pulumi up must update exactly the changed service");
    assert.deepEqual(ours.restarted, [scenario!.changedService("ours")], "only the changed service's tasks may be replaced");
    for (const [name, after] of Object.entries(ours.after)) {
      if (name !== scenario!.changedService("ours")) assert.equal(after.updatedAt, ours.before[name].updatedAt, `${name} UpdatedAt moved`);
    }

    const stack = updates.stackDeploy!;
    const all = Object.keys(stack.before).sort();
    assert.equal(all.length, SPEED_SERVICE_COUNT);
    assert.deepEqual(stack.touched, all, "docker stack deploy re-sends every service of the file");
    for (const name of all) assert.ok(stack.after[name].index > stack.before[name].index, `${name}: Version.Index did not increase`);
    assert.ok(stack.restarted.includes(scenario!.changedService("stackDeploy")), "stack deploy must roll the changed service");
  });
});

function printTimings(t: import("node:test").TestContext, step: string, timings: Partial<Record<Tool, StepTiming>>): void {
  const ours = timings.ours!;
  const theirs = timings.stackDeploy!;
  const pair = (what: string, a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined ? [] : [`${what} ours ${a.toFixed(1)}s vs stack deploy ${b.toFixed(1)}s (ratio ${ratio(a, b)})`];
  const parts = [
    ...pair("command returned", ours.commandSeconds, theirs.commandSeconds),
    ...pair("changed service on new tasks", ours.changedSeconds, theirs.changedSeconds),
    ...pair("stack converged", ours.convergedSeconds, theirs.convergedSeconds),
  ];
  t.diagnostic(`${step}: ${parts.join("; ")}`);
}
