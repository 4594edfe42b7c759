/**
 * An interrupted `pulumi up` of a 10-service app on this checkout's engine: the pulumi CLI
 * is killed (SIGKILL, as a crash or a CI timeout would) once some but not all containers
 * exist. After stacks/recover.ts (stale lock of the dead run, pending creates), the next
 * `pulumi up` must converge to exactly the declared containers and
 * networks (no duplicates, no orphans, as the docker CLI lists them) and `pulumi destroy`
 * must leave nothing behind.
 */
import { after, before, describe, test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Stack } from "@pulumi/pulumi/automation/index.js";
import { daemonMissing, projectEnv, toolchainMissing } from "../pulumi-toolchain.ts";
import { composeStack, engineObjects, projectDir, removeDir, sleep, stateResources, type ComposeStackOptions } from "./ops-stack.ts";
import { childPids, runUp, startUp } from "./ops-run.ts";
import { recoverInterruptedRun } from "../../../stacks/recover.ts";

const suffix = randomBytes(3).toString("hex");
const project = `interrupt-${suffix}`;
const SERVICES = 10;

/** Ten services in a chain, each waiting for the previous one to be healthy, so creation is gradual. */
function composeText(): string {
  const lines = ["services:"];
  for (let i = 1; i <= SERVICES; i++) {
    lines.push(
      `  s${i}:`,
      "    image: ${IMAGE}",
      `    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 1; mkdir -p /tmp; touch /tmp/up; while true; do sleep 1; done"]`,
      "    healthcheck:",
      `      test: ["CMD", "sh", "-c", "test -f /tmp/up"]`,
      "      interval: 1s",
      "      retries: 30",
      "    networks: [back]",
    );
    if (i > 1) lines.push("    depends_on:", `      s${i - 1}:`, "        condition: service_healthy");
  }
  lines.push("networks:", "  back: {}");
  return `${lines.join("\n")}\n`;
}

const declared = {
  containers: Array.from({ length: SERVICES }, (_, i) => `${project}-s${i + 1}-1`).sort(),
  services: [],
  networks: [`${project}_back`],
  secrets: [],
  volumes: [],
};

let env: NodeJS.ProcessEnv = process.env;
let skipReason: string | undefined;
let stack: Stack | undefined;
let options: ComposeStackOptions | undefined;
let dir: string | undefined;
let backendDir: string | undefined;
let savedPath: string | undefined;

before(async () => {
  env = await projectEnv();
  savedPath = process.env.PATH;
  process.env.PATH = env.PATH;
  skipReason = (await toolchainMissing(env, ["docker"])) ?? (await daemonMissing(env));
  if (!skipReason && !env.COMPOSE_PULUMI_TEST_IMAGE) skipReason = "COMPOSE_PULUMI_TEST_IMAGE is not set (run `npm run setup`)";
  if (skipReason) return;
  dir = await projectDir({ "compose.yaml": composeText() });
  backendDir = await mkdtemp(join(tmpdir(), "cp-day2-interrupt-backend-"));
  options = {
    env,
    backendDir,
    stackName: `interrupt-${suffix}`,
    projectName: project,
    dir,
    target: "engine",
    dockerHost: env.DOCKER_HOST as string,
    environment: { IMAGE: env.COMPOSE_PULUMI_TEST_IMAGE as string },
  };
  stack = await composeStack(options);
});

after(async () => {
  if (stack) {
    await stack.destroy().catch(() => undefined);
    await stack.workspace.removeStack(stack.name, { force: true }).catch(() => undefined);
  }
  await removeDir(dir);
  await removeDir(backendDir);
  process.env.PATH = savedPath;
});

/**
 * Starts `up`, sends `signal` to the pulumi CLI once 3 containers exist (SIGKILL also
 * kills its plugins, as a crash of the whole process tree would), then recovers, runs
 * `up` again, checks the engine against the declared set, and destroys.
 */
async function interruptAndConverge(t: TestContext, signal: "SIGKILL" | "SIGINT"): Promise<void> {
  const host = env.DOCKER_HOST as string;
  const run = startUp(options!);
  let interruptedAt: string[] = [];
  const deadline = Date.now() + 5 * 60_000;
  while (Date.now() < deadline) {
    const containers = (await engineObjects(env, host, project)).containers;
    if (containers.length >= 3) {
      const cli = await childPids(run.child.pid!, "pulumi");
      assert.equal(cli.length, 1, "one pulumi CLI process under the run");
      // ps cuts command names at 15 characters: "pulumi-resource".
      const plugins = signal === "SIGKILL" ? await childPids(cli[0], "pulumi-resource", true) : [];
      process.kill(cli[0], signal);
      for (const plugin of plugins) process.kill(plugin, "SIGKILL");
      interruptedAt = containers;
      break;
    }
    if (run.child.exitCode !== null) break;
    await sleep(200);
  }
  const interrupted = await run.done;
  assert.equal(interrupted.ok, false, "the interrupted run did not succeed");
  t.diagnostic(`${signal} with ${interruptedAt.length}/${SERVICES} containers on the engine`);
  assert.ok(interruptedAt.length >= 3 && interruptedAt.length < SERVICES, "interrupted part-way");
  const state = await stateResources(stack!);
  const afterInterrupt = await engineObjects(env, host, project);
  t.diagnostic(`after ${signal}: ${afterInterrupt.containers.length} containers on the engine, ${state.resources.length} resources and ${state.pending.length} pending operations in the state`);

  const started = Date.now();
  const recovery = await recoverInterruptedRun(stack!, { backendUrl: `file://${backendDir}` });
  t.diagnostic(`recovery: ${JSON.stringify(recovery)}`);
  assert.equal(recovery.clearedPendingCreates, state.pending.filter((op) => (op as { type?: string }).type === "creating").length);
  if (signal === "SIGKILL") assert.equal(recovery.staleLocks, 1, "the dead run's lock was removed");
  const next = await runUp(options!);
  t.diagnostic(`next up after ${signal}: ${JSON.stringify(next.resourceChanges)} in ${((Date.now() - started) / 1000).toFixed(1)} s (recovery included)`);
  assert.equal(next.ok, true, `the next up failed: ${next.message}`);
  assert.deepEqual(await engineObjects(env, host, project), declared, "exactly the declared containers and networks, no duplicates or orphans");
  assert.deepEqual((await stateResources(stack!)).pending, [], "no pending operations left in the state");

  const settled = await stack!.preview();
  assert.deepEqual(Object.keys(settled.changeSummary), ["same"], `after converging, preview still changes:\n${settled.stdout}`);

  const destroyed = await stack!.destroy();
  assert.equal(destroyed.summary.result, "succeeded");
  assert.deepEqual(await engineObjects(env, host, project), { containers: [], services: [], networks: [], secrets: [], volumes: [] });
}

describe("an interrupted pulumi up", { concurrency: 1 }, () => {
  test("SIGKILL of the pulumi CLI mid-way (crash, CI timeout): recover, up converges, destroy leaves nothing", { timeout: 10 * 60_000 }, async (t) => {
    if (skipReason) return t.skip(skipReason);
    await interruptAndConverge(t, "SIGKILL");
  });

  test("SIGINT of the pulumi CLI mid-way (Ctrl-C): up converges, destroy leaves nothing", { timeout: 10 * 60_000 }, async (t) => {
    if (skipReason) return t.skip(skipReason);
    await interruptAndConverge(t, "SIGINT");
  });
});
