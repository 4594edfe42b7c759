/**
 * An interrupted `pulumi up` of a 10-service app: the pulumi CLI is stopped once some but
 * not all of the app exists, by SIGKILL (a crash or a CI timeout: the CLI and its plugins
 * die, leaving the stack's lock and a pending create) or by SIGINT (a user's Ctrl-C). After
 * stacks/recover.ts, the next `pulumi up` must converge to exactly the declared containers,
 * services, networks and secrets (no duplicates, no orphans, as the docker CLI lists them)
 * and `pulumi destroy` must leave nothing behind. On this checkout's engine (containers,
 * networks) and on a one-node test swarm (services, secrets, networks).
 */
import { after, before, describe, test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Stack } from "@pulumi/pulumi/automation/index.js";
import { createTestHosts, destroyTestHosts, harnessUnavailableReason, type TestHosts } from "../../harness/hosts.ts";
import { bootstrapSwarm } from "../../harness/swarm.ts";
import { publishBusyboxImage } from "../../harness/images.ts";
import { engineMissing, projectEnv } from "../pulumi-toolchain.ts";
import { composeStack, engineObjects, projectDir, removeDir, sleep, stateResources, type ComposeStackOptions, type EngineObjects } from "./ops-stack.ts";
import { childPids, runUp, startUp } from "./ops-run.ts";
import { recoverInterruptedRun } from "../../../stacks/recover.ts";

const suffix = randomBytes(3).toString("hex");
const SERVICES = 10;
const NOTHING: EngineObjects = { containers: [], services: [], networks: [], secrets: [], volumes: [] };

/**
 * Ten services in a chain, each waiting for the previous one to be healthy, so creation is
 * gradual; on a swarm each also reads a secret of its own.
 */
function composeText(swarm: boolean): string {
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
    if (swarm) lines.push(`    secrets: [t${i}]`, "    deploy:", "      endpoint_mode: dnsrr");
    if (i > 1) lines.push("    depends_on:", `      s${i - 1}:`, "        condition: service_healthy");
  }
  lines.push("networks:", "  back: {}");
  if (swarm) {
    lines.push("secrets:");
    for (let i = 1; i <= SERVICES; i++) lines.push(`  t${i}:`, `    file: ./t${i}.txt`);
  }
  return `${lines.join("\n")}\n`;
}

interface Scenario {
  project: string;
  swarm: boolean;
  host: string;
  options: ComposeStackOptions;
  stack: Stack;
  backendDir: string;
  dir: string;
}

let env: NodeJS.ProcessEnv = process.env;
let skipReason: string | undefined;
let swarmSkipReason: string | undefined;
let hosts: TestHosts | undefined;
const scenarios: Scenario[] = [];
let savedPath: string | undefined;

async function scenario(name: string, swarm: boolean, host: string, image: string): Promise<Scenario> {
  const project = `${name}-${suffix}`;
  const files: Record<string, string> = { "compose.yaml": composeText(swarm) };
  if (swarm) for (let i = 1; i <= SERVICES; i++) files[`t${i}.txt`] = `${randomBytes(12).toString("hex")}\n`;
  const dir = await projectDir(files);
  const backendDir = await mkdtemp(join(tmpdir(), "cp-day2-interrupt-backend-"));
  const options: ComposeStackOptions = {
    env,
    backendDir,
    stackName: project,
    projectName: project,
    dir,
    target: swarm ? "swarm" : "engine",
    dockerHost: host,
    insecureRegistries: hosts ? [hosts.registry] : undefined,
    environment: { IMAGE: image },
  };
  const created: Scenario = { project, swarm, host, options, stack: await composeStack(options), backendDir, dir };
  scenarios.push(created);
  return created;
}

/** What the docker CLI must list once the app converged: one of each declared object, nothing else. */
function assertDeclared(s: Scenario, objects: EngineObjects): void {
  const keys = Array.from({ length: SERVICES }, (_, i) => `s${i + 1}`);
  assert.deepEqual(objects.networks, [`${s.project}_back`], "one network");
  assert.deepEqual(objects.volumes, []);
  if (!s.swarm) {
    assert.deepEqual(objects.containers, keys.map((key) => `${s.project}-${key}-1`).sort(), "one container per service");
    assert.deepEqual(objects.services, []);
    assert.deepEqual(objects.secrets, []);
    return;
  }
  assert.deepEqual(objects.services, keys.map((key) => `${s.project}_${key}`).sort(), "one service per compose service");
  // Secret names carry a content hash: one per compose secret, no leftovers of the interrupted run.
  const secretKeys = objects.secrets.map((name) => name.slice(`${s.project}_`.length).replace(/-[0-9a-f]+$/, "").replace(/_[0-9a-f]+$/, ""));
  assert.equal(objects.secrets.length, SERVICES, `one secret per compose secret: ${objects.secrets.join(", ")}`);
  assert.deepEqual([...new Set(secretKeys)].sort(), keys.map((key) => key.replace("s", "t")).sort(), objects.secrets.join(", "));
  assert.equal(objects.containers.length, SERVICES, `one task container per service: ${objects.containers.join(", ")}`);
}

/** The engine's objects once swarm has removed the containers of removed tasks (it does so in the background). */
async function settledObjects(s: Scenario): Promise<EngineObjects> {
  let objects = await engineObjects(env, s.host, s.project);
  for (let i = 0; s.swarm && i < 30 && objects.containers.length !== SERVICES; i++) {
    await sleep(1000);
    objects = await engineObjects(env, s.host, s.project);
  }
  return objects;
}

before(async () => {
  env = await projectEnv();
  savedPath = process.env.PATH;
  process.env.PATH = env.PATH;
  skipReason = await engineMissing(env, { testImage: true });
  swarmSkipReason = skipReason ?? (await harnessUnavailableReason());
});

after(async () => {
  for (const s of scenarios) {
    await s.stack.destroy().catch(() => undefined);
    await s.stack.workspace.removeStack(s.stack.name, { force: true }).catch(() => undefined);
    await removeDir(s.dir);
    await removeDir(s.backendDir);
  }
  if (hosts) await destroyTestHosts(hosts);
  process.env.PATH = savedPath;
});

/**
 * Starts `up`, sends `signal` to the pulumi CLI once 3 containers exist (SIGKILL also
 * kills its plugins, as a crash of the whole process tree would), then recovers, runs
 * `up` again, checks the engine against the declared set, and destroys.
 */
async function interruptAndConverge(t: TestContext, s: Scenario, signal: "SIGKILL" | "SIGINT"): Promise<void> {
  const { host, project, stack } = s;
  const run = startUp(s.options);
  let interruptedAt: string[] = [];
  const deadline = Date.now() + 5 * 60_000;
  while (Date.now() < deadline) {
    const objects = await engineObjects(env, host, project);
    const created = s.swarm ? objects.services : objects.containers;
    if (created.length >= 3) {
      const cli = await childPids(run.child.pid!, "pulumi");
      assert.equal(cli.length, 1, "one pulumi CLI process under the run");
      // ps cuts command names at 15 characters: "pulumi-resource".
      const plugins = signal === "SIGKILL" ? await childPids(cli[0], "pulumi-resource", true) : [];
      process.kill(cli[0], signal);
      for (const plugin of plugins) process.kill(plugin, "SIGKILL");
      interruptedAt = created;
      break;
    }
    if (run.child.exitCode !== null) break;
    await sleep(200);
  }
  const interrupted = await run.done;
  assert.equal(interrupted.ok, false, "the interrupted run did not succeed");
  t.diagnostic(`${signal} with ${interruptedAt.length}/${SERVICES} ${s.swarm ? "services" : "containers"} on the engine`);
  assert.ok(interruptedAt.length >= 3 && interruptedAt.length < SERVICES, "interrupted part-way");
  const state = await stateResources(stack);
  const afterInterrupt = await engineObjects(env, host, project);
  t.diagnostic(
    `after ${signal}: ${afterInterrupt.containers.length} containers, ${afterInterrupt.services.length} services, ${afterInterrupt.secrets.length} secrets on the engine; ` +
      `${state.resources.length} resources and ${state.pending.length} pending operations in the state`,
  );

  if (signal === "SIGKILL") {
    // What a plain re-run meets: the dead run's lock (and, behind it, the pending create).
    const plain = await runUp(s.options);
    t.diagnostic(`plain re-run without recovery: ${plain.ok ? "succeeded" : (plain.message ?? "").split("\n").find((line) => /error:/.test(line))?.trim()}`);
    assert.equal(plain.ok, false);
    assert.match(plain.message ?? "", /locked/);
  }

  const started = Date.now();
  const recovery = await recoverInterruptedRun(stack, { backendUrl: `file://${s.backendDir}` });
  t.diagnostic(`recovery: ${JSON.stringify(recovery)}`);
  assert.equal(recovery.clearedPendingCreates, state.pending.filter((op) => (op as { type?: string }).type === "creating").length);
  if (signal === "SIGKILL") assert.equal(recovery.staleLocks, 1, "the dead run's lock was removed");
  const next = await runUp(s.options);
  t.diagnostic(`next up after ${signal}: ${JSON.stringify(next.resourceChanges)} in ${((Date.now() - started) / 1000).toFixed(1)} s (recovery included)`);
  assert.equal(next.ok, true, `the next up failed: ${next.message}`);
  assertDeclared(s, await settledObjects(s));
  assert.deepEqual((await stateResources(stack)).pending, [], "no pending operations left in the state");

  const settled = await stack.preview();
  assert.deepEqual(Object.keys(settled.changeSummary), ["same"], `after converging, preview still changes:\n${settled.stdout}`);

  const destroyed = await stack.destroy();
  assert.equal(destroyed.summary.result, "succeeded");
  let left = await engineObjects(env, host, project);
  // Swarm removes a removed service's task containers in the background.
  for (let i = 0; s.swarm && i < 30 && left.containers.length > 0; i++) {
    await sleep(1000);
    left = await engineObjects(env, host, project);
  }
  assert.deepEqual(left, NOTHING, "destroy leaves nothing behind");
}

describe("an interrupted pulumi up", { concurrency: 1 }, () => {
  test("engine, SIGKILL of the pulumi CLI mid-way (crash, CI timeout): recover, up converges, destroy leaves nothing", { timeout: 10 * 60_000 }, async (t) => {
    if (skipReason) return t.skip(skipReason);
    await interruptAndConverge(t, await scenario("intkill", false, env.DOCKER_HOST as string, env.COMPOSE_PULUMI_TEST_IMAGE as string), "SIGKILL");
  });

  test("engine, SIGINT of the pulumi CLI mid-way (Ctrl-C): up converges, destroy leaves nothing", { timeout: 10 * 60_000 }, async (t) => {
    if (skipReason) return t.skip(skipReason);
    await interruptAndConverge(t, await scenario("intint", false, env.DOCKER_HOST as string, env.COMPOSE_PULUMI_TEST_IMAGE as string), "SIGINT");
  });

  test("one-node swarm, SIGKILL mid-way: no duplicate or orphaned services, secrets or networks", { timeout: 12 * 60_000 }, async (t) => {
    if (swarmSkipReason) return t.skip(swarmSkipReason);
    hosts = await createTestHosts(1);
    const manager = hosts.hosts[0];
    await bootstrapSwarm(hosts, { managers: [manager], workers: [] });
    const image = await publishBusyboxImage(hosts, "busybox", `interrupt-${suffix}`);
    await interruptAndConverge(t, await scenario("intswarm", true, manager.dockerHost, image), "SIGKILL");
  });
});
